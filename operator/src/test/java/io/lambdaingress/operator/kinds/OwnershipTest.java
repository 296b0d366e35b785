package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.api.LambdaStatus;
import io.lambdaingress.operator.api.LoadBalancerStatus;
import io.lambdaingress.operator.reconciler.RecordedChain;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnershipTest {

  private static final Ownership OURS = new Ownership(Map.of("lambdaingress.io/cluster", "prod",
      "lambdaingress.io/namespace", "default", "lambdaingress.io/name", "sample"));

  private static final String ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/li-alb/50dc6c495c0c9188";

  @Test
  void whatTheStatusRecordedIsOursEvenWithItsOwnerTagsStrippedOrChanged() {
    Ownership recorded = new Ownership(OURS.ownerTags(), Set.of(), Set.of(ALB_ARN));
    recorded.require("ALB", "li-default-sample-12345678-alb", ALB_ARN, Map.of());
    recorded.require("ALB", "li-default-sample-12345678-alb", ALB_ARN, Map.of("lambdaingress.io/name", "someone-else"));
    // The same name with another ARN is another creation: someone else's, whatever it says.
    assertThatThrownBy(() -> recorded.require("ALB", "li-default-sample-12345678-alb", ALB_ARN.replace("50dc", "7777"), Map.of()))
        .isInstanceOfSatisfying(AwsFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.NameConflict));
  }

  @Test
  void aFunctionIsRecordedByItsArnAndTheImageWePinnedNotByItsNameAlone() {
    LambdaIngressStatus status = new LambdaIngressStatus();
    LambdaStatus lambda = new LambdaStatus();
    lambda.setFunctionArn("arn:aws:lambda:us-east-1:123456789012:function:sample");
    lambda.setImageDigest("sha256:aaaa");
    status.setLambda(lambda);
    LoadBalancerStatus alb = new LoadBalancerStatus();
    alb.setArn(ALB_ARN);
    alb.setTargetGroupArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/li-ltg/1");
    status.setAlb(alb);

    RecordedChain recorded = RecordedChain.of(status);
    assertThat(recorded.previousFunctionArn()).isEqualTo(lambda.getFunctionArn());
    assertThat(recorded.identities()).containsExactlyInAnyOrder(ALB_ARN, alb.getTargetGroupArn(),
        RecordedChain.functionIdentity(lambda.getFunctionArn(), "sha256:aaaa"));
    // A function re-created under the name by someone else runs another image: not recorded as ours.
    assertThat(recorded.identities()).doesNotContain(RecordedChain.functionIdentity(lambda.getFunctionArn(), "sha256:bbbb"));
    assertThat(RecordedChain.of(null)).isEqualTo(RecordedChain.NONE);
  }

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
        "lambdaingress.io/name", "sample"), Set.of("prod"), Set.of());
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
    OURS.require("ALB", "li-default-sample-12345678-alb", ALB_ARN, Map.of("lambdaingress.io/cluster", "prod",
        "lambdaingress.io/namespace", "default", "lambdaingress.io/name", "sample"));
    assertThatThrownBy(() -> OURS.require("ALB", "li-default-sample-12345678-alb", ALB_ARN, Map.of("owner", "someone-else")))
        .isInstanceOfSatisfying(AwsFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(Reason.NameConflict);
          assertThat(f.awsErrorCode()).isNull();
          assertThat(f.getMessage()).startsWith("ALB li-default-sample-12345678-alb already exists and is not owned by this LambdaIngress")
              .contains("lambdaingress.io/name=sample");
        });
  }
}
