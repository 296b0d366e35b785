package io.lambdaingress.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialSourceTest {

  private static final Map<String, String> IRSA = Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/op",
      "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token");
  private static final Map<String, String> POD_IDENTITY = Map.of(
      "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token");

  @Test
  void namesTheProviderTheSdkChainReachesFirst() {
    assertThat(CredentialSource.of(IRSA)).isEqualTo(CredentialSource.IRSA);
    assertThat(CredentialSource.of(POD_IDENTITY)).isEqualTo(CredentialSource.POD_IDENTITY);
    assertThat(CredentialSource.of(Map.of())).isEqualTo(CredentialSource.NONE);
    // The chain's order: static keys before web identity, web identity before the container endpoint.
    assertThat(CredentialSource.of(Map.of("AWS_ACCESS_KEY_ID", "AKIA", "AWS_ROLE_ARN", "r", "AWS_WEB_IDENTITY_TOKEN_FILE", "f")))
        .isEqualTo(CredentialSource.STATIC_KEYS);
    assertThat(CredentialSource.of(merge(IRSA, POD_IDENTITY))).isEqualTo(CredentialSource.IRSA);
    // The web identity provider needs both variables; an empty one counts as unset.
    assertThat(CredentialSource.of(Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/op"))).isEqualTo(CredentialSource.NONE);
    assertThat(CredentialSource.of(Map.of("AWS_ACCESS_KEY_ID", " "))).isEqualTo(CredentialSource.NONE);
  }

  @Test
  void failureIsOneLineWithTheCauseAndTheFix() {
    String line = CredentialSource.IRSA.failure("Not authorized to perform sts:AssumeRoleWithWebIdentity (Service: Sts, Status Code: 403)\n"
        + "\tat software.amazon.awssdk...");
    assertThat(line).doesNotContain("\n").doesNotContain("\tat ")
        .startsWith("AWS credentials from IRSA (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) do not work: Not authorized")
        .contains("fix: the role's trust policy", "system:serviceaccount:", "sts.amazonaws.com", "docs/install.md step 3a");
    assertThat(CredentialSource.POD_IDENTITY.failure(null)).contains("unknown cause", "pod identity association", "step 3b");
    assertThat(CredentialSource.NONE.failure("Unable to load credentials")).contains("serviceAccount.roleArn", "Pod Identity association");
  }

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new java.util.HashMap<>(a);
    m.putAll(b);
    return m;
  }
}
