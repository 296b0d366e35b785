package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.cache.ElbInventory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Which listeners a target group replacement may delete (ours that forward to the group, nothing else), when a
 * listener's default action is as we set it (one forward to our target group alone), and that a listener we create
 * carries our owner tags from its CreateListener on.
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

  private static final String CERT = "arn:aws:acm:us-east-1:123456789012:certificate/a";
  private static final String OTHER_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/b";
  private static final io.lambdaingress.operator.model.ChainModel.Https HTTPS =
      new io.lambdaingress.operator.model.ChainModel.Https(443, CERT, List.of(OTHER_CERT), "ELBSecurityPolicy-TLS13-1-2-2021-06", false);

  private static Listener https(String policy, String... certificates) {
    return Listener.builder().port(443).protocol("HTTPS").sslPolicy(policy)
        .certificates(java.util.Arrays.stream(certificates).map(c -> software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate
            .builder().certificateArn(c).build()).toList())
        .defaultActions(Action.builder().type("forward").targetGroupArn(OLD_GROUP).build()).build();
  }

  @Test
  void anHttpsListenerDiffersByPolicyOrDefaultCertificateNotByItsCertificateList() {
    var desired = io.lambdaingress.operator.model.ListenerShape.https(443, OLD_GROUP, HTTPS);
    assertThat(ListenerStep.differs(desired, https("ELBSecurityPolicy-TLS13-1-2-2021-06", CERT))).isFalse();
    // The test world names the SNI certificates after the default in DescribeListeners: the first is the default.
    assertThat(ListenerStep.differs(desired, https("ELBSecurityPolicy-TLS13-1-2-2021-06", CERT, OTHER_CERT))).isFalse();
    assertThat(ListenerStep.differs(desired, https("ELBSecurityPolicy-TLS13-1-2-2021-06", OTHER_CERT))).isTrue();
    assertThat(ListenerStep.differs(desired, https("ELBSecurityPolicy-2016-08", CERT))).isTrue();
    assertThat(ListenerStep.differs(desired, https("ELBSecurityPolicy-TLS13-1-2-2021-06"))).as("no certificate").isTrue();
    assertThat(desired.create("lb", OWNER).certificates()).extracting(c -> c.certificateArn()).containsExactly(CERT);
    assertThat(desired.create("lb", OWNER).sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
  }

  @Test
  void theRedirectIsOneHttps301ToThePort() {
    var desired = io.lambdaingress.operator.model.ListenerShape.redirect(80, 443, OLD_GROUP);
    Action redirect = desired.defaultAction();
    assertThat(ListenerStep.differs(desired, with(redirect))).isFalse();
    assertThat(ListenerStep.differs(desired, with(Action.builder().type("forward").targetGroupArn(OLD_GROUP).build())))
        .as("a forward where a redirect is wanted").isTrue();
    assertThat(ListenerStep.differs(desired, with(redirect.toBuilder().redirectConfig(redirect.redirectConfig().toBuilder()
        .statusCode("HTTP_302").build()).build()))).as("302").isTrue();
    assertThat(ListenerStep.differs(desired, with(redirect.toBuilder().redirectConfig(redirect.redirectConfig().toBuilder()
        .port("8443").build()).build()))).as("another port").isTrue();
    assertThat(ListenerStep.differs(io.lambdaingress.operator.model.ListenerShape.forward(
        software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum.HTTP, 80, OLD_GROUP), with(redirect)))
        .as("a redirect where a forward is wanted").isTrue();
  }

  @Test
  void aListenerWeCreateCarriesOurOwnerTagsFromItsCreationOn() {
    // A load balancer adopted with no listener on the spec's port (not named li-*: only the tag lets later writes through).
    Fixture f = Fixture.of("nlb");
    Listener created = f.step().ensure("NLB", f.lb(), ProtocolEnum.TCP, 8080, OLD_GROUP);
    assertThat(f.log()).containsExactly("CreateListener TCP:8080 tags " + new TreeMap<>(OWNER), "Created NLB listener TCP:8080");
    assertThat(f.elb().tags(List.of(created.listenerArn()))).containsEntry(created.listenerArn(), OWNER);

    f.log().clear();
    assertThat(f.step().ensure("NLB", f.lb(), ProtocolEnum.TCP, 8080, OLD_GROUP).listenerArn()).isEqualTo(created.listenerArn());
    assertThat(f.log()).as("found again, nothing written").isEmpty();
  }

  @Test
  void aPortChangeThatAlsoEndsTheRedirectMovesTheRedirectingListenerInsteadOfAddingOne() {
    // spec.alb.listener.port 80 -> 8080 and redirectHttp true -> false in one change: the HTTP listener redirecting
    // on 80 is the one to move (and make forward again), not a stranger to leave behind.
    Fixture f = Fixture.of("alb");
    Listener redirecting = f.step().ensure("ALB", f.lb(), io.lambdaingress.operator.model.ListenerShape.redirect(80, 443, OLD_GROUP));
    f.log().clear();

    Listener moved = f.step().ensure("ALB", f.lb(), ProtocolEnum.HTTP, 8080, OLD_GROUP);
    assertThat(moved.listenerArn()).isEqualTo(redirecting.listenerArn());
    assertThat(f.log()).as("one change in place, nothing created").hasSize(2).allMatch(line -> line.startsWith("ModifyListener") || line.startsWith("Updated"));
    assertThat(f.elb().listeners(f.lb())).singleElement().satisfies(l -> {
      assertThat(l.port()).isEqualTo(8080);
      assertThat(ListenerStep.forwardsOnlyTo(l, OLD_GROUP)).isTrue();
    });
  }

  @Test
  void someoneElsesRedirectingListenerIsNeverTakenForOurs() {
    // An adopted ALB may carry someone's own HTTP listener redirecting to HTTPS on another port: while ours forwards,
    // a port change moves ours.
    Fixture f = Fixture.of("alb");
    Listener theirs = f.elb().createListener(io.lambdaingress.operator.model.ListenerShape.redirect(81, 443, FOREIGN_GROUP).create(f.lb(), Map.of()));
    Listener ours = f.step().ensure("ALB", f.lb(), ProtocolEnum.HTTP, 80, OLD_GROUP);
    assertThat(ours.listenerArn()).as("theirs, without our tags, is not taken for ours").isNotEqualTo(theirs.listenerArn());

    assertThat(f.step().ensure("ALB", f.lb(), ProtocolEnum.HTTP, 8080, OLD_GROUP).listenerArn()).isEqualTo(ours.listenerArn());
    assertThat(f.elb().listeners(f.lb())).filteredOn(l -> l.listenerArn().equals(theirs.listenerArn())).singleElement()
        .satisfies(l -> assertThat(l.port()).isEqualTo(81));
  }

  /** A load balancer of ours on a FakeElb, and the step, logging each write it announces beside the fake's own lines. */
  private record Fixture(List<String> log, FakeElb elb, String lb, ListenerStep step) {
    static Fixture of(String name) {
      List<String> log = new ArrayList<>();
      FakeElb elb = new FakeElb(log);
      return new Fixture(log, elb, elb.addLoadBalancer(name, OWNER).loadBalancerArn(),
          new ListenerStep(new ElbInventory(elb, Duration.ofSeconds(5), Clock.systemUTC()), OWNER,
              (action, resource, why) -> log.add(action + " " + resource)));
    }
  }
}
