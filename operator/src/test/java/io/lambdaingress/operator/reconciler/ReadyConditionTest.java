package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadyConditionTest {

  private static final String LONG_AGO = "2020-01-01T00:00:00Z";

  private static LambdaIngressStatus previously(String status, String reason) {
    LambdaIngressStatus s = new LambdaIngressStatus();
    Condition c = new Condition();
    c.setType("Ready");
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage("before");
    c.setLastTransitionTime(LONG_AGO);
    s.setConditions(List.of(c));
    return s;
  }

  private static Condition set(LambdaIngressStatus previous, boolean ready, String reason, String message) {
    LambdaIngressStatus next = new LambdaIngressStatus();
    ReadyCondition.set(previous, next, ready, reason, message, 7);
    return ReadyCondition.of(next).orElseThrow();
  }

  @Test
  void theTransitionTimeStaysWhileTheStatusIsUnchanged() {
    Condition c = set(previously("True", "Reconciled"), true, "Reconciled", "the chain matches the spec");
    assertThat(c.getLastTransitionTime()).isEqualTo(LONG_AGO);
    assertThat(c.getObservedGeneration()).isEqualTo(7L);
    assertThat(c.getMessage()).isEqualTo("the chain matches the spec");
  }

  @Test
  void anotherReasonWithTheSameStatusIsNoTransition() {
    Condition c = set(previously("False", "DependencyNotFound"), false, "InvalidSpec", "spec.alb.subnets: ...");
    assertThat(c.getLastTransitionTime()).isEqualTo(LONG_AGO);
    assertThat(c.getReason()).isEqualTo("InvalidSpec");
    assertThat(c.getMessage()).isEqualTo("spec.alb.subnets: ...");
  }

  @Test
  void aFlipOrAFirstConditionStampsNow() {
    Instant before = Instant.now().minusSeconds(1);
    Condition flipped = set(previously("True", "Reconciled"), false, "NameConflict", "ALB x already exists");
    assertThat(flipped.getStatus()).isEqualTo("False");
    assertThat(Instant.parse(flipped.getLastTransitionTime())).isAfterOrEqualTo(before.truncatedTo(ChronoUnit.SECONDS));

    Condition first = set(null, true, "Reconciled", "ok");
    assertThat(first.getStatus()).isEqualTo("True");
    assertThat(Instant.parse(first.getLastTransitionTime())).isAfterOrEqualTo(before.truncatedTo(ChronoUnit.SECONDS));
    assertThat(set(new LambdaIngressStatus(), true, "Reconciled", "ok").getLastTransitionTime()).isNotEqualTo(LONG_AGO);
  }

  @Test
  void aVeryLongMessageIsCut() {
    assertThat(set(null, false, "AwsError", "x".repeat(10_000)).getMessage()).hasSize(4000);
  }
}
