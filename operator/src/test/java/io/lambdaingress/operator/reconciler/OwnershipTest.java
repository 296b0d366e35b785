package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnershipTest {

  private static final Ownership OURS = new Ownership(Map.of("lambdaingress.io/cluster", "prod",
      "lambdaingress.io/namespace", "default", "lambdaingress.io/name", "sample"));

  @Test
  void ownedMeansEveryOwnerTagWithItsValueWhateverElseIsThere() {
    assertThat(OURS.owns(Map.of("lambdaingress.io/cluster", "prod", "lambdaingress.io/namespace", "default",
        "lambdaingress.io/name", "sample", "team", "payments"))).isTrue();
  }

  @Test
  void aMissingOrDifferentOwnerTagIsNotOurs() {
    assertThat(OURS.owns(Map.of())).isFalse();
    assertThat(OURS.owns(Map.of("lambdaingress.io/cluster", "prod", "lambdaingress.io/namespace", "default"))).isFalse();
    // The same object name in another namespace, or the same object in another cluster.
    assertThat(OURS.owns(Map.of("lambdaingress.io/cluster", "prod", "lambdaingress.io/namespace", "other",
        "lambdaingress.io/name", "sample"))).isFalse();
    assertThat(OURS.owns(Map.of("lambdaingress.io/cluster", "staging", "lambdaingress.io/namespace", "default",
        "lambdaingress.io/name", "sample"))).isFalse();
  }

  @Test
  void aFormerClusterNameIsOursOnlyForTheSameNamespaceAndName() {
    Ownership renamed = new Ownership(Map.of("lambdaingress.io/cluster", "prod-2", "lambdaingress.io/namespace", "default",
        "lambdaingress.io/name", "sample"), Set.of("prod"));
    assertThat(renamed.owns(Map.of("lambdaingress.io/cluster", "prod", "lambdaingress.io/namespace", "default",
        "lambdaingress.io/name", "sample"))).isTrue();
    assertThat(renamed.owns(Map.of("lambdaingress.io/cluster", "prod", "lambdaingress.io/namespace", "default",
        "lambdaingress.io/name", "other"))).isFalse();
    assertThat(renamed.owns(Map.of("lambdaingress.io/cluster", "staging", "lambdaingress.io/namespace", "default",
        "lambdaingress.io/name", "sample"))).isFalse();
    assertThat(renamed.owns(Map.of("lambdaingress.io/namespace", "default", "lambdaingress.io/name", "sample"))).isFalse();
  }

  @Test
  void requireFailsWithNameConflictNamingTheResource() {
    OURS.require("ALB", "li-default-sample-12345678-alb", Map.of("lambdaingress.io/cluster", "prod",
        "lambdaingress.io/namespace", "default", "lambdaingress.io/name", "sample"));
    assertThatThrownBy(() -> OURS.require("ALB", "li-default-sample-12345678-alb", Map.of("owner", "someone-else")))
        .isInstanceOfSatisfying(AwsFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(Reason.NameConflict);
          assertThat(f.awsErrorCode()).isNull();
          assertThat(f.getMessage()).startsWith("ALB li-default-sample-12345678-alb already exists and is not owned by this LambdaIngress")
              .contains("lambdaingress.io/name=sample");
        });
  }
}
