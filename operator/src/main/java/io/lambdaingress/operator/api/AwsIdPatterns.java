package io.lambdaingress.operator.api;

/**
 * The shapes of the AWS ids and ARNs a spec names, as regular expressions for the CRD's {@code pattern}s
 * (RE2 in the API server, java.util.regex in tests and the model: only syntax both read the same).
 * A malformed id is refused at apply; whether it exists is the operator's question (DependencyNotFound).
 */
public final class AwsIdPatterns {

  /** EC2 ids: 8 hex digits (older resources) or 17 (newer ones). */
  public static final String SUBNET_ID = "^subnet-[0-9a-f]{8,17}$";
  public static final String SECURITY_GROUP_ID = "^sg-[0-9a-f]{8,17}$";
  /** The same limits as maxLength: CEL rules over these strings are costed by it, a pattern does not count. */
  public static final int SUBNET_ID_MAX = 24;
  public static final int SECURITY_GROUP_ID_MAX = 20;
  public static final int IPV4_MAX = 15;

  /** In any partition (aws, aws-cn, aws-us-gov); role names may carry a path. */
  public static final String ROLE_ARN = "^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";

  /** A function, optionally with a version or alias qualifier. */
  public static final String FUNCTION_ARN =
      "^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$";

  /**
   * Image URIs the operator can pin: one pinned by digest (used as it is), or an ECR image with a tag
   * (resolved to a digest like repository/tag). The model's ImageRef reads the groups: registry/repository
   * and digest; account, region, repository and tag.
   */
  private static final String PINNED_IMAGE = "(.+)@(sha256:[0-9a-f]{64})";
  private static final String ECR_TAGGED_IMAGE =
      "([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com[^/]*/(.+):([A-Za-z0-9_][A-Za-z0-9_.-]*)";
  public static final String PINNED_IMAGE_URI = "^" + PINNED_IMAGE + "$";
  public static final String ECR_TAGGED_IMAGE_URI = "^" + ECR_TAGGED_IMAGE + "$";
  public static final String IMAGE_URI = "^(" + PINNED_IMAGE + "|" + ECR_TAGGED_IMAGE + ")$";

  /** An ACM certificate (ACM answers for its own region only: the model compares the region with the operator's). */
  public static final String ACM_CERTIFICATE_ARN = "^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]{1,128}$";
  public static final int ACM_CERTIFICATE_ARN_MAX = 200;

  /**
   * A WAFv2 web ACL. An ALB takes a regional one of its own region: a CloudFront (global) one is refused by a rule of
   * the field with its own message, another region by the model.
   */
  public static final String WEB_ACL_ARN = "^arn:aws[a-zA-Z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:(regional|global)/webacl/[A-Za-z0-9_-]{1,128}/[a-f0-9-]{36}$";
  public static final int WEB_ACL_ARN_MAX = 250;

  /** An AWS account id. */
  public static final String ACCOUNT_ID = "^[0-9]{12}$";

  /** Who may connect to an endpoint service: anyone, an account's root, a role or a user (paths allowed). */
  public static final String ENDPOINT_SERVICE_PRINCIPAL =
      "^(\\*|arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(root|(role|user)/[A-Za-z0-9+=,.@_/-]{1,512}))$";
  public static final int ENDPOINT_SERVICE_PRINCIPAL_MAX = 600;

  /** A lowercase DNS name of at least two labels, each 1-63 characters, not starting or ending with a hyphen. */
  public static final String PRIVATE_DNS_NAME = "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$";

  private AwsIdPatterns() {}
}
