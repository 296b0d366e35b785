package io.lambdaingress.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EcrPullRefusalTest {

  private static final AwsFailure REFUSED = new AwsFailure(Reason.AwsAccessDenied, "create function f: AccessDeniedException: "
      + "Lambda does not have permission to access the ECR image. Check the ECR permissions.", "AccessDeniedException", null);

  @Test
  void lambdasPullRefusalNamesTheRepositoryAndBothFixes() {
    AwsFailure f = EcrPullRefusal.explain(REFUSED,
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/orders@sha256:" + "a".repeat(64));
    assertThat(f.reason()).isEqualTo(Reason.AwsAccessDenied);
    assertThat(f.awsErrorCode()).isEqualTo("AccessDeniedException");
    assertThat(f.getMessage()).startsWith(REFUSED.getMessage())
        .contains("ECR repository team/orders does not let Lambda pull")
        .contains("aws ecr set-repository-policy --repository-name team/orders --policy-text file://docs/ecr-lambda-pull-policy.json")
        .contains("ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy").doesNotContain("\n");
  }

  @Test
  void anyOtherFailureOrAnImageOutsideEcrStaysAsItWas() {
    AwsFailure other = new AwsFailure(Reason.AwsAccessDenied, "create function f: AccessDeniedException: not authorized",
        "AccessDeniedException", null);
    assertThat(EcrPullRefusal.explain(other, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:v1")).isSameAs(other);
    assertThat(EcrPullRefusal.explain(REFUSED, "registry.example.com/orders@sha256:" + "a".repeat(64))).isSameAs(REFUSED);
    assertThat(EcrPullRefusal.explain(REFUSED, null)).isSameAs(REFUSED);
  }
}
