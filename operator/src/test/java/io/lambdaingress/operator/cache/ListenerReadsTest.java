package io.lambdaingress.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.aws.ElbV2Client;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

class ListenerReadsTest {

  private static final String NLB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/0123456789abcdef";
  private static final Duration MAX_AGE = Duration.ofSeconds(5);

  /** AWS's listeners, answered by load balancer or by listener ARN. */
  private final List<Listener> aws = new ArrayList<>();
  private final List<Collection<String>> askedByArn = new ArrayList<>();
  private final ElbV2Client elb = new ElbV2Client() {
    @Override
    public List<Listener> listeners(String loadBalancerArn) {
      return aws.stream().filter(l -> l.loadBalancerArn().equals(loadBalancerArn)).toList();
    }

    @Override
    public List<Listener> listenersByArn(Collection<String> listenerArns) {
      askedByArn.add(List.copyOf(listenerArns));
      return aws.stream().filter(l -> listenerArns.contains(l.listenerArn())).toList();
    }
  };
  private Instant now = Instant.parse("2026-12-07T05:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void aLoadBalancerTheListingLacksKeepsTheListenersWeCreatedOnIt() {
    ListenerReads reads = new ListenerReads(elb, MAX_AGE, clock);
    assertThat(reads.listeners(NLB, Set::of)).isEmpty();
    Listener created = Listener.builder().loadBalancerArn(NLB).port(80)
        .listenerArn("arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/nlb/0123456789abcdef/1").build();
    aws.add(created);
    reads.remember(NLB, created);
    now = now.plus(MAX_AGE).plusSeconds(1);
    // Read again once stale, while the load balancer listing in hand does not show the NLB (yet): still its listener.
    assertThat(reads.listeners(NLB, Set::of)).containsExactly(created);
  }

  @Test
  void listenersOfLoadBalancersNoLongerListedAreDropped() {
    ListenerReads reads = new ListenerReads(elb, MAX_AGE, clock);
    String other = NLB.replace("/nlb/", "/gone/");
    Listener mine = Listener.builder().loadBalancerArn(NLB).port(80).listenerArn(NLB.replace("loadbalancer", "listener") + "/1").build();
    Listener gone = Listener.builder().loadBalancerArn(other).port(80).listenerArn(other.replace("loadbalancer", "listener") + "/1").build();
    aws.add(mine);
    aws.add(gone);
    reads.listeners(NLB, Set::of);
    reads.listeners(other, Set::of);
    aws.remove(gone);
    now = now.plus(MAX_AGE).plusSeconds(1);
    assertThat(reads.listeners(NLB, () -> Set.of(NLB))).containsExactly(mine);
    // The gone load balancer's listener is not asked for along (AWS would fail the whole call with ListenerNotFound).
    assertThat(askedByArn).containsExactly(List.of(mine.listenerArn()));
  }
}
