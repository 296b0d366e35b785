package io.lambdaingress.operator.aws;

import java.util.Map;

/**
 * Which credentials provider of the SDK's default chain this environment sets up, judged from the variables
 * that chain reads and in its order (static keys, IRSA's web identity, a profile, the container endpoint of
 * EKS Pod Identity). When the credentials do not work, the chain's own error lists every provider it tried;
 * this names the one the installation meant, and the fix for it.
 */
public enum CredentialSource {
  STATIC_KEYS("static keys (AWS_ACCESS_KEY_ID)",
      "check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or remove them and use IRSA or EKS Pod Identity (docs/install.md step 3)"),
  IRSA("IRSA (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE)",
      "the role's trust policy must allow sts:AssumeRoleWithWebIdentity to the cluster's OIDC provider for "
          + "sub system:serviceaccount:<namespace>:<serviceaccount> and aud sts.amazonaws.com, and the pod must reach STS "
          + "(docs/install.md step 3a)"),
  PROFILE("a profile (AWS_PROFILE)", "check the profile in AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE"),
  POD_IDENTITY("EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI)",
      "check the pod identity association of the operator's ServiceAccount (aws eks list-pod-identity-associations) "
          + "and that the eks-pod-identity-agent add-on runs on the node (docs/install.md step 3b)"),
  NONE("no credentials configured for the operator",
      "give the operator an IAM role: the chart's serviceAccount.roleArn (IRSA) or an EKS Pod Identity association "
          + "for its ServiceAccount (docs/install.md step 3)");

  private final String description;
  private final String fix;

  CredentialSource(String description, String fix) {
    this.description = description;
    this.fix = fix;
  }

  /** The provider the SDK's default chain would pick first in this environment. */
  public static CredentialSource of(Map<String, String> env) {
    if (set(env, "AWS_ACCESS_KEY_ID")) {
      return STATIC_KEYS;
    }
    if (set(env, "AWS_ROLE_ARN") && set(env, "AWS_WEB_IDENTITY_TOKEN_FILE")) {
      return IRSA;
    }
    if (set(env, "AWS_PROFILE")) {
      return PROFILE;
    }
    if (set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI") || set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      return POD_IDENTITY;
    }
    return NONE;
  }

  public String description() {
    return description;
  }

  /** One line for the log: what failed, the SDK's cause (first line only), and what to change. */
  public String failure(String cause) {
    String firstLine = cause == null ? "unknown cause" : cause.strip().lines().findFirst().orElse("unknown cause");
    return "AWS credentials from " + description + " do not work: " + firstLine + "; fix: " + fix;
  }

  private static boolean set(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }
}
