package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.model.ChainModel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * An ALB side taken out of service in AWS's order, against a fake of the ELB adapter: deregistered, left to
 * drain, deleted, then its groups; nothing without our owner tags touched, each write said once made.
 */
class AlbRetirementTest {

  private static final Map<String, String> OURS = Map.of(ChainModel.TAG_CLUSTER, "c", ChainModel.TAG_NAMESPACE, "ns", ChainModel.TAG_NAME, "sample");
  private static final AlbRetirement.Side SIDE = new AlbRetirement.Side("alb-1", List.of("atg-1"), List.of("ltg-1", "ltg-1a"));

  private final List<String> log = new ArrayList<>();
  private final FakeElb elb = new FakeElb(log);

  private AlbRetirement retirement() {
    // A new inventory each time: each call reads AWS as a later reconcile would.
    return new AlbRetirement(new ElbInventory(elb, Duration.ofSeconds(5), Clock.systemUTC()), Ownership.byTags(OURS, Set.of()),
        (action, resource, why) -> log.add(action + " " + resource));
  }

  @Test
  void theAlbIsDeregisteredThenLeftToDrainThenDeleted() {
    LoadBalancer alb = elb.addLoadBalancer("alb-1", OURS);
    TargetGroup albTargets = elb.addTargetGroup("atg-1", OURS);
    elb.register(albTargets, alb.loadBalancerArn(), 80, "healthy");

    assertThat(retirement().albGone(SIDE, "replaced")).contains("was deregistered from alb target group atg-1");
    assertThat(log).containsExactly("DeregisterTargets " + alb.loadBalancerArn(), "Deregistered alb target group atg-1");

    log.clear();
    assertThat(retirement().albGone(SIDE, "replaced")).contains("is draining");
    assertThat(log).as("nothing written while it drains").isEmpty();

    elb.drained(albTargets);
    assertThat(retirement().albGone(SIDE, "replaced")).isNull();
    assertThat(log).containsExactly("DeleteLoadBalancer alb-1", "Deleted ALB alb-1");
  }

  @Test
  void anAlbWithoutOurOwnerTagsIsNeverTouched() {
    LoadBalancer alb = elb.addLoadBalancer("alb-1", Map.of("team", "payments"));
    elb.register(elb.addTargetGroup("atg-1", OURS), alb.loadBalancerArn(), 80, "healthy");
    assertThat(retirement().albGone(SIDE, "replaced")).isNull();
    assertThat(log).isEmpty();
    assertThat(elb.has("alb-1")).isTrue();
  }

  @Test
  void theGroupsGoOnceAwsLetsThemGoEachSaidOnce() {
    elb.addTargetGroup("atg-1", OURS);
    elb.addTargetGroup("ltg-1", OURS);
    elb.addTargetGroup("ltg-1a", Map.of("team", "payments"));
    elb.refuseDeletions(new AwsFailure(Reason.AwsError, "Target group is currently in use by a listener or a rule", "ResourceInUse", null));
    AlbRetirement retirement = retirement();
    assertThat(retirement.groupsLeft(SIDE)).isTrue();
    assertThat(retirement.groupsGone(SIDE, "replaced")).contains("target group atg-1 is still held");
    assertThat(log).containsExactly("DeleteTargetGroup atg-1");

    elb.refuseDeletions(null);
    assertThat(retirement.groupsGone(SIDE, "replaced")).isNull();
    assertThat(log).containsExactly("DeleteTargetGroup atg-1", "DeleteTargetGroup atg-1", "Deleted target group atg-1",
        "DeleteTargetGroup ltg-1", "Deleted target group ltg-1");
    assertThat(elb.has("ltg-1a")).as("not ours: left alone").isTrue();
  }
}
