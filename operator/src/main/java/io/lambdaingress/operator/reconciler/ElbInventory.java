package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.ElbV2Client;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.lambdaingress.operator.aws.AwsFailure;
import java.util.ArrayList;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * What the operator knows of Elastic Load Balancing, shared by all objects' reconciles so that a resync of
 * N objects reads in bulk instead of N times: every load balancer and target group of the account (one call
 * per 400), tags and listeners (20 a call: the one asked for with others that are stale, {@link BatchedReads})
 * and attributes by ARN, each read kept for {@code maxAge} at most. Our own writes update it in place.
 *
 * <p>How old a read may be ({@link #maxAgeFor}): an out-of-band change is seen by the first reconcile that
 * reads after it. Each object is reconciled once per resync period, so with reads at most {@code maxAge}
 * old, a change is repaired at most one period plus {@code maxAge} after it was made. A read is therefore
 * kept only for a short window: the objects whose periodic reconciles fall together (a resync wave: all
 * objects after a start, every object applied together) share one bulk read, and no object acts on facts
 * older than that window.
 *
 * <p>Safety rules: a name the listing does not show is confirmed with a fresh read before anyone creates it
 * (never a duplicate, never a create over a resource someone else made in the meantime); a resource the
 * listing shows but AWS no longer has makes the next call fail with a not-found, which drops the listing
 * ({@link #forgetListing}) so the retry sees AWS as it is.
 */
public final class ElbInventory {

  private record Listing(Instant at, Map<String, LoadBalancer> loadBalancers, Map<String, TargetGroup> targetGroups) {}

  private record Cached<T>(Instant at, T value) {}

  // The longest window a resync wave may share one read in (see maxAgeFor).
  private static final Duration WAVE = Duration.ofSeconds(5);
  private static final Duration WAVE_WITH_EVENTS = Duration.ofSeconds(60);

  private final ElbV2Client elb;
  private final Duration maxAge;
  private final Clock clock;
  private volatile Listing listing;
  private final BatchedReads<Map<String, String>> tags;
  private final Map<String, Cached<Map<String, String>>> attributes = new ConcurrentHashMap<>();
  // By load balancer ARN: its listeners as last read.
  private final BatchedReads<List<Listener>> listeners;

  public ElbInventory(ElbV2Client elb, Duration maxAge, Clock clock) {
    this.elb = elb;
    this.maxAge = maxAge;
    this.clock = clock;
    this.tags = new BatchedReads<>(ElbV2Client.TAG_BATCH, maxAge, clock, this::readTags, ElbV2Client::notFound);
    this.listeners = new BatchedReads<>(ElbV2Client.LISTENER_BATCH, maxAge, clock, this::readListeners, ElbV2Client::notFound);
  }

  /**
   * The age a shared read may reach with this resync period: a quarter of the period, at most 5 seconds
   * (long enough for a resync wave of many objects to share one read, short enough that drift is repaired
   * within one period plus a few seconds; never more than one period).
   */
  public static Duration maxAgeFor(Duration resyncPeriod) {
    Duration quarter = resyncPeriod.dividedBy(4);
    return quarter.compareTo(WAVE) < 0 ? quarter : WAVE;
  }

  /**
   * With the event queue: the full verifications of the objects spread out over their k-period interval
   * instead of coming in one wave, so a 5-second window would share nothing. Changes announced by an event
   * drop the reads of what they name (the reconcile they trigger reads afresh); only a lost event's change
   * waits, for the next full verification instead of this one. A quarter of the interval, at most 60 s
   * (bench-scale --queue 500: with 30 s, DescribeTags and DescribeListeners were a fifth of all reads).
   */
  public static Duration maxAgeWithEvents(Duration verificationInterval) {
    Duration quarter = verificationInterval.dividedBy(4);
    return quarter.compareTo(WAVE_WITH_EVENTS) < 0 ? quarter : WAVE_WITH_EVENTS;
  }

  /** How old a shared read may be: other shared reads of a resync (ECR digests) keep the same window. */
  public Duration maxAge() {
    return maxAge;
  }

  public ElbV2Client client() {
    return elb;
  }

  private synchronized Listing listing() {
    Listing l = listing;
    if (l == null || !fresh(l.at())) {
      Map<String, LoadBalancer> lbs = new ConcurrentHashMap<>();
      elb.allLoadBalancers().forEach(lb -> lbs.put(lb.loadBalancerName(), lb));
      Map<String, TargetGroup> tgs = new ConcurrentHashMap<>();
      elb.allTargetGroups().forEach(tg -> tgs.put(tg.targetGroupName(), tg));
      l = new Listing(clock.instant(), lbs, tgs);
      listing = l;
    }
    return l;
  }

  /** The load balancer with this name; a miss in the listing is confirmed by a fresh read. */
  public Optional<LoadBalancer> loadBalancer(String name) {
    LoadBalancer listed = listing().loadBalancers().get(name);
    if (listed != null) {
      return Optional.of(listed);
    }
    Optional<LoadBalancer> fresh = elb.loadBalancer(name);
    fresh.ifPresent(this::remember);
    return fresh;
  }

  public Optional<TargetGroup> targetGroup(String name) {
    TargetGroup listed = listing().targetGroups().get(name);
    if (listed != null) {
      return Optional.of(listed);
    }
    Optional<TargetGroup> fresh = elb.targetGroup(name);
    fresh.ifPresent(this::remember);
    return fresh;
  }

  /**
   * The group as the shared listing shows it, with no read of its own on a miss: for a group that
   * normally does not exist (the other lambda target group, once a rollout switch is done), which every
   * reconcile would otherwise look up afresh. A listing is at most {@code maxAge} old, so a group it misses
   * is seen by a later reconcile.
   */
  public Optional<TargetGroup> listedTargetGroup(String name) {
    return Optional.ofNullable(listing().targetGroups().get(name));
  }

  /**
   * Tags of a listed resource. On a miss, one call reads them with up to 19 other listed resources' stale
   * tags ({@link BatchedReads}): a resync wave of N objects reads N x 5 / 20 times, not N x N / 4.
   */
  public Map<String, String> tags(String arn) {
    return tags(arn, maxAge);
  }

  /**
   * The same, accepting tags up to {@code age} old: for discovery by owner tags, which reads every listed
   * resource's tags but only selects candidates with them (whatever is deleted is read afresh first). Tags
   * change by our own writes, which update them here, or rarely out of band.
   */
  public Map<String, String> tags(String arn, Duration age) {
    return tags.get(arn, age, () -> {
      Listing l = listing();
      List<String> listed = new ArrayList<>();
      l.loadBalancers().values().forEach(lb -> listed.add(lb.loadBalancerArn()));
      l.targetGroups().values().forEach(tg -> listed.add(tg.targetGroupArn()));
      return listed;
    });
  }

  private Map<String, Map<String, String>> readTags(List<String> arns) {
    Map<String, Map<String, String>> read = new HashMap<>();
    try {
      elb.tags(arns).forEach((arn, t) -> read.put(arn, Map.copyOf(t)));
    } catch (AwsFailure f) {
      if (!f.isNotFound() || arns.size() == 1) {
        throw f;
      }
      // One ARN of the call is gone (deleted since the listing, by us for another object or out of band), and
      // AWS fails the whole call: each is read alone, so that only the gone ones are reported gone (left out)
      // instead of every object whose ARN shared the call.
      for (String arn : arns) {
        try {
          elb.tags(List.of(arn)).forEach((a, t) -> read.put(a, Map.copyOf(t)));
        } catch (AwsFailure alone) {
          if (!alone.isNotFound()) {
            throw alone;
          }
        }
      }
    }
    return read;
  }

  /**
   * The listeners of a load balancer. A load balancer whose listeners were read before is read again by its
   * listeners' ARNs, together with other load balancers' stale listeners (DescribeListeners by ARN list,
   * {@link BatchedReads}): one call per 20 listeners instead of one per load balancer. A load balancer never
   * read, or that had none, is read by its ARN (only that shows listeners we do not know of yet).
   */
  public List<Listener> listeners(String loadBalancerArn) {
    BatchedReads.Cached<List<Listener>> c = listeners.last(loadBalancerArn);
    if (c != null && listeners.isFresh(loadBalancerArn)) {
      return c.value();
    }
    if (c == null || c.value().isEmpty()) {
      return readListenersOf(loadBalancerArn);
    }
    return listeners.get(loadBalancerArn, () -> {
      Set<String> listed = listing().loadBalancers().values().stream().map(LoadBalancer::loadBalancerArn).collect(Collectors.toSet());
      listeners.retainOnly(listed);
      return listeners.keys().stream().filter(lb -> {
        BatchedReads.Cached<List<Listener>> other = listeners.last(lb);
        return other != null && !other.value().isEmpty();
      }).toList();
    });
  }

  /** The listeners of these load balancers (each read before, with listeners) by their ARNs. */
  private Map<String, List<Listener>> readListeners(List<String> loadBalancerArns) {
    List<String> arns = new ArrayList<>();
    loadBalancerArns.forEach(lb -> {
      BatchedReads.Cached<List<Listener>> c = listeners.last(lb);
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
          listeners.remove(lb);
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
    listeners.put(loadBalancerArn, read);
    return read;
  }

  /**
   * After we created or modified a listener: AWS's answer replaces (or joins) it in the listeners last read,
   * keeping their read time. The next full verification then reads it with every other load balancer's
   * listeners in one batch by ARN instead of by this load balancer's ARN alone.
   */
  public void rememberListener(String loadBalancerArn, Listener written) {
    listeners.update(loadBalancerArn, had -> {
      List<Listener> merged = new ArrayList<>(had.stream().filter(l -> !l.listenerArn().equals(written.listenerArn())).toList());
      merged.add(written);
      return List.copyOf(merged);
    });
  }

  /** After our own listener write whose result we do not know: its listeners are read by its ARN next time. */
  public void forgetListeners(String loadBalancerArn) {
    listeners.remove(loadBalancerArn);
  }

  public Map<String, String> loadBalancerAttributes(String arn) {
    return attributes.compute(arn, (k, c) -> c != null && fresh(c.at()) ? c : new Cached<>(clock.instant(), Map.copyOf(elb.loadBalancerAttributes(arn)))).value();
  }

  public Map<String, String> targetGroupAttributes(String arn) {
    return attributes.compute(arn, (k, c) -> c != null && fresh(c.at()) ? c : new Cached<>(clock.instant(), Map.copyOf(elb.targetGroupAttributes(arn)))).value();
  }

  private boolean fresh(Instant readAt) {
    return !readAt.plus(maxAge).isBefore(clock.instant());
  }

  // --- our writes keep it current ---
  // Synchronized with the refresh in listing(): otherwise a refresh that read AWS before our write could
  // install its listing after it, bringing back what we just deleted.

  public synchronized void remember(LoadBalancer lb) {
    Listing l = listing;
    if (l != null) {
      l.loadBalancers().put(lb.loadBalancerName(), lb);
    }
  }

  public synchronized void remember(TargetGroup tg) {
    Listing l = listing;
    if (l != null) {
      l.targetGroups().put(tg.targetGroupName(), tg);
    }
  }

  public void rememberTags(String arn, Map<String, String> current) {
    tags.put(arn, Map.copyOf(current));
  }

  public void rememberAttributes(String arn, Map<String, String> changes) {
    attributes.computeIfPresent(arn, (k, c) -> {
      Map<String, String> merged = new HashMap<>(c.value());
      merged.putAll(changes);
      return new Cached<>(c.at(), Map.copyOf(merged));
    });
  }

  public synchronized void forgetLoadBalancer(String name) {
    Listing l = listing;
    if (l != null) {
      LoadBalancer gone = l.loadBalancers().remove(name);
      if (gone != null) {
        listeners.remove(gone.loadBalancerArn());
        tags.remove(gone.loadBalancerArn());
        attributes.remove(gone.loadBalancerArn());
      }
    }
  }

  public synchronized void forgetTargetGroup(String name) {
    Listing l = listing;
    if (l != null) {
      TargetGroup gone = l.targetGroups().remove(name);
      if (gone != null) {
        tags.remove(gone.targetGroupArn());
        attributes.remove(gone.targetGroupArn());
      }
    }
  }

  // --- discovery by owner tags (OwnedResources) reads the same listing: no extra listing call ---

  public List<LoadBalancer> listedLoadBalancers() {
    return List.copyOf(listing().loadBalancers().values());
  }

  public List<TargetGroup> listedTargetGroups() {
    return List.copyOf(listing().targetGroups().values());
  }

  /** Drops the listing: the next read lists AWS again (after a not-found showed it out of date). */
  public synchronized void forgetListing() {
    listing = null;
    listeners.clear();
  }
}
