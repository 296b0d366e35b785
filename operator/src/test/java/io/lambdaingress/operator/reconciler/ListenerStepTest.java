package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/** A listener's default action is ours only as one forward to our target group alone. */
class ListenerStepTest {

  private static final String OURS = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/li-ltg/1";
  private static final String STRAY = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/stray/2";

  private static Listener with(Action... actions) {
    return Listener.builder().port(80).protocol("HTTP").defaultActions(actions).build();
  }

  @Test
  void aForwardToOurGroupIsOursInEitherFormAwsReports() {
    assertThat(ListenerStep.forwardsOnlyTo(with(Action.builder().type("forward").targetGroupArn(OURS).build()), OURS)).isTrue();
    Action weightedToOurs = Action.builder().type("forward").forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(OURS).weight(1))).build();
    assertThat(ListenerStep.forwardsOnlyTo(with(weightedToOurs), OURS)).isTrue();
  }

  @Test
  void anotherActionOrAnotherGroupIsDrift() {
    assertThat(ListenerStep.forwardsOnlyTo(with(Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode("503")).build()), OURS)).isFalse();
    assertThat(ListenerStep.forwardsOnlyTo(with(Action.builder().type("forward").targetGroupArn(STRAY).build()), OURS)).isFalse();
    // AWS reports TargetGroupArn only for a single group; a weighted forward lists them all.
    Action split = Action.builder().type("forward").targetGroupArn(OURS)
        .forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(OURS).weight(1), t -> t.targetGroupArn(STRAY).weight(1))).build();
    assertThat(ListenerStep.forwardsOnlyTo(with(split), OURS)).isFalse();
    assertThat(ListenerStep.forwardsTo(with(split), OURS)).as("still recognised as ours after a port change").isTrue();
    assertThat(ListenerStep.forwardsOnlyTo(with(), OURS)).isFalse();
  }
}
