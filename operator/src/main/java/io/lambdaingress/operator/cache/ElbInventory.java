package io.lambdaingress.operator.cache;

import io.lambdaingress.operator.aws.ElbV2Client;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * What the operator knows of Elastic Load Balancing, shared by all objects' reconciles so that a resync of
 * N objects reads in bulk instead of N times: every load balancer and target group of the account (one call
 * per 400), tags and listeners (20 a call: the one asked for with others that are stale, {@link BatchedReads})
 * and attributes by ARN ({@link AttributeReads}), each read kept for {@code maxAge} at most
 * ({@link SharedReadAge}). Our own writes update it in place ({@link ElbInventoryWrites}).
 *
 * <p>Safety rules: a name the listing does not show is confirmed with a fresh read before anyone creates it
 * (never a duplicate, never a create over a resource someone else made in the meantime); a resource the
 * listing shows but AWS no longer has makes the next call fail with a not-found, which drops the listing
 * ({@link #listAfresh}) so the retry sees AWS as it is.
 */
public final class ElbInventory {

  private record Listed(Map<String, LoadBalancer> loadBalancers, Map<String, TargetGroup> targetGroups) {}

  private final ElbV2Client elb;
  private final Duration maxAge;
  private final Clock clock;
  private volatile Timestamped<Listed> listing;
  private final BatchedReads<Map<String, String>> tags;
  private final AttributeReads attributes;
  private final ListenerReads listeners;
  private final ElbInventoryWrites writes;

  public ElbInventory(ElbV2Client elb, Duration maxAge, Clock clock) {
    this.elb = elb;
    this.maxAge = maxAge;
    this.clock = clock;
    this.tags = new BatchedReads<>(ElbV2Client.TAG_BATCH, maxAge, clock, elb::tagsOfThoseThere, ElbV2Client::notFound);
    this.listeners = new ListenerReads(elb, maxAge, clock);
    this.attributes = new AttributeReads(maxAge, clock);
    this.writes = new ElbInventoryWrites(elb, this);
  }

  /** How old a shared read may be: other shared reads of a resync (ECR digests) keep the same window. */
  public Duration maxAge() {
    return maxAge;
  }

  /** Writes to what this keeps (load balancers, target groups, listeners, tags, attributes): each updates it. */
  public ElbInventoryWrites writes() {
    return writes;
  }

  /** The adapter, for what this does not keep: listener rules, target registrations, and reads that must be fresh. */
  public ElbV2Client client() {
    return elb;
  }

  private synchronized Listed listing() {
    Timestamped<Listed> l = listing;
    if (l == null || !fresh(l.at())) {
      Map<String, LoadBalancer> lbs = new ConcurrentHashMap<>();
      elb.allLoadBalancers().forEach(lb -> lbs.put(lb.loadBalancerName(), lb));
      Map<String, TargetGroup> tgs = new ConcurrentHashMap<>();
      elb.allTargetGroups().forEach(tg -> tgs.put(tg.targetGroupName(), tg));
      l = new Timestamped<>(clock.instant(), new Listed(lbs, tgs));
      listing = l;
    }
    return l.value();
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
   * The load balancer as the shared listing shows it, with no read of its own on a miss: for one that
   * normally does not exist (an ALB side's second slot, once a replacement is done; see
   * {@link #listedTargetGroup}).
   */
  public Optional<LoadBalancer> listedLoadBalancer(String name) {
    return Optional.ofNullable(listing().loadBalancers().get(name));
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
      Listed l = listing();
      List<String> listed = new ArrayList<>();
      l.loadBalancers().values().forEach(lb -> listed.add(lb.loadBalancerArn()));
      l.targetGroups().values().forEach(tg -> listed.add(tg.targetGroupArn()));
      return listed;
    });
  }

  /** The listeners of a load balancer ({@link ListenerReads}: batched by listener ARN). */
  public List<Listener> listeners(String loadBalancerArn) {
    return listeners.listeners(loadBalancerArn, () -> listing().loadBalancers().values().stream()
        .map(LoadBalancer::loadBalancerArn).collect(Collectors.toSet()));
  }

  public Map<String, String> loadBalancerAttributes(String arn) {
    return attributes.of(arn, elb::loadBalancerAttributes);
  }

  public Map<String, String> targetGroupAttributes(String arn) {
    return attributes.of(arn, elb::targetGroupAttributes);
  }

  private boolean fresh(Instant readAt) {
    return !readAt.plus(maxAge).isBefore(clock.instant());
  }

  /**
   * The load balancer of this name read afresh, and kept as read: a deletion must see exactly what is
   * there now, not a listing up to {@code maxAge} old.
   */
  public Optional<LoadBalancer> freshLoadBalancer(String name) {
    Optional<LoadBalancer> read = elb.loadBalancer(name);
    read.ifPresentOrElse(this::remember, () -> forgetLoadBalancer(name));
    return read;
  }

  /**
   * The listed load balancer read again by name, and kept as read: for a state AWS moves on by itself, with
   * no event (provisioning to active). A read that misses it keeps the listed one: eventual consistency
   * hides what was just created, and a deletion shows in the next listing (forgetting it here would let a
   * hidden one be created a second time).
   */
  public LoadBalancer reread(LoadBalancer listed) {
    Optional<LoadBalancer> read = elb.loadBalancer(listed.loadBalancerName());
    read.ifPresent(this::remember);
    return read.orElse(listed);
  }

  /** The same for a target group. */
  public Optional<TargetGroup> freshTargetGroup(String name) {
    Optional<TargetGroup> read = elb.targetGroup(name);
    read.ifPresentOrElse(this::remember, () -> forgetTargetGroup(name));
    return read;
  }

  /** A resource's tags read afresh (empty when it has none), and kept as read. */
  public Map<String, String> freshTags(String arn) {
    Map<String, String> read = Map.copyOf(elb.tags(List.of(arn)).getOrDefault(arn, Map.of()));
    rememberTags(arn, read);
    return read;
  }

  /**
   * A change event named these ({@link io.lambdaingress.operator.model.CloudTrailEvent#keys}: "lb:name",
   * "tg:name"): their reads are dropped, so the reconcile it triggers sees AWS as it is now.
   */
  public void changedOutOfBand(java.util.Collection<String> keys) {
    for (String key : keys) {
      String[] kind = key.split(":", 2);
      switch (kind[0]) {
        case "lb" -> forgetLoadBalancer(kind[1]);
        case "tg" -> forgetTargetGroup(kind[1]);
        default -> { } // not kept here
      }
    }
  }

  // --- our writes keep it current (ElbInventoryWrites, the only caller) ---
  // Synchronized with the refresh in listing(): otherwise a refresh that read AWS before our write could
  // install its listing after it, bringing back what we just deleted.

  synchronized void remember(LoadBalancer lb) {
    Timestamped<Listed> l = listing;
    if (l != null) {
      l.value().loadBalancers().put(lb.loadBalancerName(), lb);
    }
  }

  synchronized void remember(TargetGroup tg) {
    Timestamped<Listed> l = listing;
    if (l != null) {
      l.value().targetGroups().put(tg.targetGroupName(), tg);
    }
  }

  void rememberTags(String arn, Map<String, String> current) {
    tags.put(arn, Map.copyOf(current));
  }

  void rememberAttributes(String arn, Map<String, String> changes) {
    attributes.remember(arn, changes);
  }

  void rememberListener(String loadBalancerArn, Listener written) {
    listeners.remember(loadBalancerArn, written);
  }

  void forgetListeners(String loadBalancerArn) {
    listeners.forget(loadBalancerArn);
  }

  synchronized void forgetLoadBalancer(String name) {
    Timestamped<Listed> l = listing;
    if (l != null) {
      LoadBalancer gone = l.value().loadBalancers().remove(name);
      if (gone != null) {
        listeners.forget(gone.loadBalancerArn());
        tags.remove(gone.loadBalancerArn());
        attributes.forget(gone.loadBalancerArn());
      }
    }
  }

  synchronized void forgetTargetGroup(String name) {
    Timestamped<Listed> l = listing;
    if (l != null) {
      TargetGroup gone = l.value().targetGroups().remove(name);
      if (gone != null) {
        tags.remove(gone.targetGroupArn());
        attributes.forget(gone.targetGroupArn());
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
  public synchronized void listAfresh() {
    listing = null;
    listeners.clear();
  }
}
