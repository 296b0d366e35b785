package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Which listeners a target group replacement may delete (ours that forward to the group, nothing else), and
 * when a listener's default action is as we set it (one forward to our target group alone).
 */
class ListenerStepTest {

  private static final Map<String, String> OWNER = Map.of("lambdaingress.io/cluster", "c", "lambdaingress.io/namespace", "ns",
      "lambdaingress.io/name", "sample");
  private static final Ownership OURS = new Ownership(OWNER);
  private static final String OLD_GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/li-alb/1";
  private static final String FOREIGN_GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/theirs/2";
  private static Listener forwarding(String arn, int port, String targetGroupArn) {
    return Listener.builder().listenerArn(arn).port(port).defaultActions(Action.builder().type(ActionTypeEnum.FORWARD)
        .targetGroupArn(targetGroupArn).build()).build();
  }

  @Test
  void onlyTheListenersForwardingToTheReplacedGroupAreDetached() {
    Listener ours = forwarding("l-ours", 80, OLD_GROUP);
    Listener foreign = forwarding("l-foreign", 9000, FOREIGN_GROUP);
    assertThat(ListenerStep.detachable(OURS, OWNER, List.of(ours, foreign), OLD_GROUP)).containsExactly(ours);
  }

  @Test
  void aForwardConfigNamingTheGroupCountsAsForwardingToIt() {
    // The weighted form AWS returns when a listener was created with ForwardConfig instead of TargetGroupArn.
    Listener weighted = Listener.builder().listenerArn("l-weighted").port(80).defaultActions(Action.builder()
        .type(ActionTypeEnum.FORWARD).forwardConfig(ForwardActionConfig.builder()
            .targetGroups(TargetGroupTuple.builder().targetGroupArn(OLD_GROUP).weight(1).build()).build()).build()).build();
    assertThat(ListenerStep.detachable(OURS, OWNER, List.of(weighted), OLD_GROUP)).containsExactly(weighted);
  }

  @Test
  void nothingOnALoadBalancerWithoutAllOurOwnerTags() {
    Listener l = forwarding("l", 80, OLD_GROUP);
    assertThat(ListenerStep.detachable(OURS, Map.of(), List.of(l), OLD_GROUP)).isEmpty();
    // Another object's (or cluster's) load balancer of the same name: one owner tag differs.
    assertThat(ListenerStep.detachable(OURS, Map.of("lambdaingress.io/cluster", "c", "lambdaingress.io/namespace", "ns",
        "lambdaingress.io/name", "other"), List.of(l), OLD_GROUP)).isEmpty();
  }

  @Test
  void noListenerForwardingToTheGroupMeansNothingToDetach() {
    assertThat(ListenerStep.detachable(OURS, OWNER, List.of(forwarding("l", 80, FOREIGN_GROUP)), OLD_GROUP)).isEmpty();
  }

  private static Listener with(Action... actions) {
    return Listener.builder().port(80).protocol("HTTP").defaultActions(actions).build();
  }

  @Test
  void aForwardToOurGroupIsOursInEitherFormAwsReports() {
    assertThat(ListenerStep.forwardsOnlyTo(with(Action.builder().type("forward").targetGroupArn(OLD_GROUP).build()), OLD_GROUP)).isTrue();
    Action weightedToOurs = Action.builder().type("forward").forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(OLD_GROUP).weight(1))).build();
    assertThat(ListenerStep.forwardsOnlyTo(with(weightedToOurs), OLD_GROUP)).isTrue();
  }

  @Test
  void anotherActionOrAnotherGroupIsDrift() {
    assertThat(ListenerStep.forwardsOnlyTo(with(Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode("503")).build()), OLD_GROUP)).isFalse();
    assertThat(ListenerStep.forwardsOnlyTo(with(Action.builder().type("forward").targetGroupArn(FOREIGN_GROUP).build()), OLD_GROUP)).isFalse();
    // AWS reports TargetGroupArn only for a single group; a weighted forward lists them all.
    Action split = Action.builder().type("forward").targetGroupArn(OLD_GROUP)
        .forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(OLD_GROUP).weight(1), t -> t.targetGroupArn(FOREIGN_GROUP).weight(1))).build();
    assertThat(ListenerStep.forwardsOnlyTo(with(split), OLD_GROUP)).isFalse();
    assertThat(ListenerStep.forwardsTo(with(split), OLD_GROUP)).as("still recognised as ours after a port change").isTrue();
    assertThat(ListenerStep.forwardsOnlyTo(with(), OLD_GROUP)).isFalse();
  }
}
