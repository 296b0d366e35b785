package io.lambdaingress.operator.cache;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * The listeners of load balancers, by load balancer ARN, as {@link ElbInventory} keeps them. A load balancer
 * whose listeners were read before is read again by its listeners' ARNs, together with other load balancers'
 * stale listeners (DescribeListeners by ARN list, {@link BatchedReads}): one call per 20 listeners instead of
 * one per load balancer. A load balancer never read, or that had none, is read by its ARN (only that shows
 * listeners we do not know of yet).
 */
final class ListenerReads {

  private final ElbV2Client elb;
  private final BatchedReads<List<Listener>> reads;

  ListenerReads(ElbV2Client elb, Duration maxAge, Clock clock) {
    this.elb = elb;
    this.reads = new BatchedReads<>(ElbV2Client.LISTENER_BATCH, maxAge, clock, this::readListeners, ElbV2Client::notFound);
  }

  /** @param listed the ARNs of the load balancers listed now: listeners of any other are dropped */
  List<Listener> listeners(String loadBalancerArn, Supplier<Set<String>> listed) {
    Timestamped<List<Listener>> c = reads.last(loadBalancerArn);
    if (c != null && reads.isFresh(loadBalancerArn)) {
      return c.value();
    }
    if (c == null || c.value().isEmpty()) {
      return readListenersOf(loadBalancerArn);
    }
    return reads.get(loadBalancerArn, () -> {
      // The one asked about stays whatever the listing says: its caller has it in hand. Dropped, its listeners
      // read as none, and the NLB got a second CreateListener (CrashTableIT, once, a restarted operator's new NLB).
      Set<String> keep = new java.util.HashSet<>(listed.get());
      keep.add(loadBalancerArn);
      reads.retainOnly(keep);
      return reads.keys().stream().filter(lb -> {
        Timestamped<List<Listener>> other = reads.last(lb);
        return other != null && !other.value().isEmpty();
      }).toList();
    });
  }

  /** The listeners of these load balancers (each read before, with listeners) by their ARNs. */
  private Map<String, List<Listener>> readListeners(List<String> loadBalancerArns) {
    List<String> arns = new ArrayList<>();
    loadBalancerArns.forEach(lb -> {
      Timestamped<List<Listener>> c = reads.last(lb);
      if (c != null) {
        c.value().forEach(l -> arns.add(l.listenerArn()));
      }
    });
    Map<String, List<Listener>> byLb = new HashMap<>();
    try {
      elb.listenersByArn(arns).forEach(l -> byLb.computeIfAbsent(l.loadBalancerArn(), k -> new ArrayList<>()).add(l));
    } catch (AwsFailure f) {
      if (!f.isNotFound()) {
        throw f;
      }
      // One of them is gone (deleted since the last read): each load balancer is read by its own ARN, so that
      // only a gone one is reported gone (left out), not every load balancer that shared the call.
      Map<String, List<Listener>> read = new HashMap<>();
      for (String lb : loadBalancerArns) {
        try {
          read.put(lb, List.copyOf(elb.listeners(lb)));
        } catch (AwsFailure alone) {
          if (!alone.isNotFound()) {
            throw alone;
          }
          reads.remove(lb);
        }
      }
      return read;
    }
    Map<String, List<Listener>> read = new HashMap<>();
    loadBalancerArns.forEach(lb -> read.put(lb, List.copyOf(byLb.getOrDefault(lb, List.of()))));
    return read;
  }

  private List<Listener> readListenersOf(String loadBalancerArn) {
    List<Listener> read = List.copyOf(elb.listeners(loadBalancerArn));
    reads.put(loadBalancerArn, read);
    return read;
  }

  /**
   * After we created or modified a listener: AWS's answer replaces (or joins) it in the listeners last read,
   * keeping their read time. The next full verification then reads it with every other load balancer's
   * listeners in one batch by ARN instead of by this load balancer's ARN alone.
   */
  void remember(String loadBalancerArn, Listener written) {
    reads.update(loadBalancerArn, had -> {
      List<Listener> merged = new ArrayList<>(had.stream().filter(l -> !l.listenerArn().equals(written.listenerArn())).toList());
      merged.add(written);
      return List.copyOf(merged);
    });
  }

  /** After a listener write whose result we do not know, or the load balancer gone: read by its ARN next time. */
  void forget(String loadBalancerArn) {
    reads.remove(loadBalancerArn);
  }

  void clear() {
    reads.clear();
  }
}
