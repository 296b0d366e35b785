package io.lambdaingress.operator.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's refusal to pull a function's image from ECR, said with the repository and what fixes it. Lambda pulls
 * only what the repository policy lets the service principal lambda.amazonaws.com pull; when the policy does not,
 * CreateFunction adds it only for a caller allowed ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy (Lambda
 * developer guide, "Create a Lambda function using a container image", "Amazon ECR permissions"), and otherwise
 * answers AccessDeniedException with a message that names neither the repository nor the fix.
 */
final class EcrPullRefusal {

  /** The start of what Lambda answers (aws-samples/bedrock-access-gateway#127 quotes it in full). */
  static final String AWS_MESSAGE = "Lambda does not have permission to access the ECR image";
  // <account>.dkr.ecr.<region>.amazonaws.com/<repository>, then :tag or @digest.
  private static final Pattern REPOSITORY = Pattern.compile("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com[^/]*/([^@:]+)");

  private EcrPullRefusal() {}

  /** The failure, explained when it is Lambda's pull refusal for this image; otherwise as it was. */
  static AwsFailure explain(AwsFailure f, String imageUri) {
    Matcher m = REPOSITORY.matcher(imageUri == null ? "" : imageUri);
    if (!f.getMessage().contains(AWS_MESSAGE) || !m.find()) {
      return f;
    }
    String repository = m.group(1);
    return new AwsFailure(f.reason(), f.getMessage() + " ECR repository " + repository + " does not let Lambda pull: add "
        + "to its repository policy the statement of docs/ecr-lambda-pull-policy.json (aws ecr set-repository-policy "
        + "--repository-name " + repository + " --policy-text file://docs/ecr-lambda-pull-policy.json), or allow the "
        + "operator's role ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy on it so that Lambda adds it itself "
        + "(docs/iam-policy.json does for repositories named lambda-ingress/*)", f.awsErrorCode(), f);
  }
}
