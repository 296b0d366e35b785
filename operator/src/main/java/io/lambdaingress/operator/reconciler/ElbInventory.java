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
 * per 400), tags (20 ARNs a call, for every listed ARN at once) and attributes by ARN, each read kept for
 * {@code maxAge} at most. Our own writes update it in place.
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
  private final Map<String, Cached<Map<String, String>>> tags = new ConcurrentHashMap<>();
  private final Map<String, Cached<Map<String, String>>> attributes = new ConcurrentHashMap<>();
  private final Object tagRead = new Object();
  // By load balancer ARN: its listeners as last read.
  private final Map<String, Cached<List<Listener>>> listeners = new ConcurrentHashMap<>();
  private final Object listenerRead = new Object();

  public ElbInventory(ElbV2Client elb, Duration maxAge, Clock clock) {
    this.elb = elb;
    this.maxAge = maxAge;
    this.clock = clock;
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

  /** Tags of a listed resource; on a miss, the tags of every listed resource without fresh tags are read together. */
  public Map<String, String> tags(String arn) {
    Cached<Map<String, String>> c = tags.get(arn);
    if (c != null && fresh(c.at())) {
      return c.value();
    }
    // One bulk read at a time: the objects of a resync wave reconcile concurrently and would all find the
    // same tags stale at once (N objects x N/5 calls); the first reads them for all, the others find them fresh.
    synchronized (tagRead) {
      c = tags.get(arn);
      if (c != null && fresh(c.at())) {
        return c.value();
      }
      Listing l = listing();
      List<String> stale = new java.util.ArrayList<>();
      stale.add(arn);
      l.loadBalancers().values().forEach(lb -> addIfStale(stale, lb.loadBalancerArn()));
      l.targetGroups().values().forEach(tg -> addIfStale(stale, tg.targetGroupArn()));
      // One call of 20 at a time, each cached as it comes, the requested ARN in the first. Read as one whole,
      // thousands of ARNs under throttling failed as a whole now and then, and the next caller started over
      // while every reconcile waited on this lock (bench-scale --faults 500 stalled at 154 of 500 Ready).
      // Only the first call must succeed; a later one's throttling or 5xx leaves the rest stale for the next caller.
      List<String> all = stale.stream().distinct().toList();
      Map<String, String> result = Map.of();
      for (int i = 0; i < all.size(); i += ElbV2Client.TAG_BATCH) {
        Instant now = clock.instant();
        Map<String, Map<String, String>> read;
        try {
          read = elb.tags(all.subList(i, Math.min(all.size(), i + ElbV2Client.TAG_BATCH)));
        } catch (AwsFailure f) {
          if (i == 0 || f.isNotFound()) {
            throw f; // not found: the listing is out of date, which the callers handle by listing afresh
          }
          break;
        }
        read.forEach((a, t) -> tags.put(a, new Cached<>(now, Map.copyOf(t))));
        if (i == 0) {
          result = read.getOrDefault(arn, Map.of());
        }
      }
      return result;
    }
  }

  private void addIfStale(List<String> stale, String arn) {
    Cached<Map<String, String>> c = tags.get(arn);
    if (c == null || !fresh(c.at())) {
      stale.add(arn);
    }
  }

  /**
   * The listeners of a load balancer. A load balancer whose listeners were read before is read again by its
   * listeners' ARNs, together with every other load balancer's stale listeners (DescribeListeners by ARN
   * list): one call per 20 listeners instead of one per load balancer. A load balancer never read, or that
   * had none, is read by its ARN (only that shows listeners we do not know of yet).
   */
  public List<Listener> listeners(String loadBalancerArn) {
    Cached<List<Listener>> c = listeners.get(loadBalancerArn);
    if (c != null && fresh(c.at())) {
      return c.value();
    }
    synchronized (listenerRead) {
      c = listeners.get(loadBalancerArn);
      if (c != null && fresh(c.at())) {
        return c.value();
      }
      if (c == null || c.value().isEmpty()) {
        return readListenersOf(loadBalancerArn);
      }
      Set<String> listed = listing().loadBalancers().values().stream().map(LoadBalancer::loadBalancerArn).collect(Collectors.toSet());
      listeners.keySet().retainAll(listed);
      listed.add(loadBalancerArn);
      List<String> stale = new ArrayList<>(listeners.entrySet().stream().filter(e -> !fresh(e.getValue().at()))
          .map(Map.Entry::getKey).toList());
      if (!stale.contains(loadBalancerArn)) {
        stale.add(loadBalancerArn);
      }
      List<String> arns = new ArrayList<>();
      stale.forEach(lb -> listeners.getOrDefault(lb, new Cached<>(Instant.MIN, List.of())).value().forEach(l -> arns.add(l.listenerArn())));
      Instant now = clock.instant();
      List<Listener> read;
      try {
        read = elb.listenersByArn(arns);
      } catch (AwsFailure f) {
        if (!f.isNotFound()) {
          throw f;
        }
        // One of them is gone (deleted out of band): each of these load balancers is read by its ARN next.
        stale.forEach(listeners::remove);
        return readListenersOf(loadBalancerArn);
      }
      Map<String, List<Listener>> byLb = read.stream().collect(Collectors.groupingBy(Listener::loadBalancerArn));
      stale.forEach(lb -> listeners.put(lb, new Cached<>(now, List.copyOf(byLb.getOrDefault(lb, List.of())))));
      return listeners.get(loadBalancerArn).value();
    }
  }

  private List<Listener> readListenersOf(String loadBalancerArn) {
    Instant now = clock.instant();
    List<Listener> read = List.copyOf(elb.listeners(loadBalancerArn));
    listeners.put(loadBalancerArn, new Cached<>(now, read));
    return read;
  }

  /**
   * After we created or modified a listener: AWS's answer replaces (or joins) it in the listeners last read,
   * keeping their read time. The next full verification then reads it with every other load balancer's
   * listeners in one batch by ARN instead of by this load balancer's ARN alone.
   */
  public void rememberListener(String loadBalancerArn, Listener written) {
    listeners.computeIfPresent(loadBalancerArn, (k, c) -> {
      List<Listener> merged = new ArrayList<>(c.value().stream().filter(l -> !l.listenerArn().equals(written.listenerArn())).toList());
      merged.add(written);
      return new Cached<>(c.at(), List.copyOf(merged));
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
    tags.put(arn, new Cached<>(clock.instant(), Map.copyOf(current)));
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
