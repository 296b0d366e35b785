package io.lambdaingress.operator.testing;

import io.lambdaingress.operator.kinds.ListenerStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Samples every 100 ms the chain's wiring from one listener (the NLB's or the ALB's) down to the functions: each group
 * it forwards to must hold a target that serves. An ALB in an alb target group serves while healthy (the NLB routes to
 * healthy targets only), through its listener on the registered port, whose groups are checked in turn; a function (or
 * alias) serves when it is not draining and its policy lets ELB invoke it from that group. ELB applies a listener update
 * after a short while, routing by the previous configuration meanwhile: a group the listener left stays checked for
 * {@code routedAfterMove} after the move was seen (its targets draining or not), and must not be deleted or emptied
 * before. A sample during which the listener moved (read before and after) is a race of the reads, not a state AWS was
 * in, and is not counted.
 */
public final class ServingPathSampler extends Sampler {

  private final ElasticLoadBalancingV2Client elb;
  private final LambdaClient lambda;
  private final String listener;
  private final long routedAfterMoveMillis;
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final List<String> forwards = Collections.synchronizedList(new ArrayList<>());
  private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> leftAt = new ConcurrentHashMap<>();
  private volatile List<String> last = List.of();
  private volatile int samples;

  private ServingPathSampler(ElasticLoadBalancingV2Client elb, LambdaClient lambda, String listenerArn, Duration routedAfterMove) {
    super(100);
    this.elb = elb;
    this.lambda = lambda;
    this.listener = listenerArn;
    this.routedAfterMoveMillis = routedAfterMove.toMillis();
  }

  public static ServingPathSampler start(ElasticLoadBalancingV2Client elb, LambdaClient lambda, String listenerArn, Duration routedAfterMove) {
    ServingPathSampler s = new ServingPathSampler(elb, lambda, listenerArn, routedAfterMove);
    s.begin();
    return s;
  }

  /** The groups the listener's default actions forward to, sorted (a weighted forward names each). */
  public static List<String> forwardedTo(ElasticLoadBalancingV2Client elb, String listenerArn) {
    return forwardedTo(elb.describeListeners(r -> r.listenerArns(listenerArn)).listeners().get(0));
  }

  private static List<String> forwardedTo(Listener l) {
    return l.defaultActions().stream().flatMap(a -> ListenerStep.forwardedTo(a).stream()).sorted().toList();
  }

  @Override
  protected void sample() {
    List<String> groups = forwardedTo(elb, listener);
    long now = System.currentTimeMillis();
    last.stream().filter(g -> !groups.contains(g)).forEach(g -> leftAt.putIfAbsent(g, now));
    last = groups;
    leftAt.entrySet().removeIf(e -> groups.contains(e.getKey()) || now - e.getValue() > routedAfterMoveMillis);
    List<String> found = new ArrayList<>();
    if (groups.isEmpty()) {
      found.add(listener + " forwards nowhere");
    }
    List<String> states = new ArrayList<>();
    for (String tg : groups) {
      states.add(tg + " -> " + String.join(",", check(tg, true, found)));
    }
    for (String tg : leftAt.keySet()) {
      check(tg, false, found);
    }
    if (!groups.equals(forwardedTo(elb, listener))) {
      return;
    }
    samples++;
    problems.addAll(found);
    seen(forwards, String.join(",", groups));
    states.forEach(s -> seen(targets, s));
  }

  private static void seen(List<String> states, String state) {
    if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
      states.add(state);
    }
  }

  /**
   * The problems of one group into {@code found}; returns its targets' ids. {@code current}: the listener forwards to it
   * now (a draining target serves no new request); else it is a group the listener left a moment ago.
   */
  private List<String> check(String tg, boolean current, List<String> found) {
    List<TargetHealthDescription> all;
    try {
      all = elb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions();
    } catch (TargetGroupNotFoundException e) {
      found.add(tg + " deleted while ELB may still route requests to it");
      return List.of();
    }
    List<TargetHealthDescription> serving = all.stream()
        .filter(d -> !current || d.targetHealth() == null || d.targetHealth().state() != TargetHealthStateEnum.DRAINING).toList();
    if (serving.isEmpty()) {
      found.add(tg + " holds no target");
    }
    List<TargetHealthDescription> albs = serving.stream().filter(d -> d.target().id().contains(":loadbalancer/")).toList();
    List<TargetHealthDescription> healthy = albs.stream()
        .filter(d -> d.targetHealth() != null && d.targetHealth().state() == TargetHealthStateEnum.HEALTHY).toList();
    if (!albs.isEmpty() && healthy.isEmpty()) {
      found.add(tg + " holds no healthy ALB");
    }
    for (TargetHealthDescription alb : healthy) {
      List<Listener> onPort = elb.describeListeners(r -> r.loadBalancerArn(alb.target().id())).listeners().stream()
          .filter(l -> l.port().equals(alb.target().port())).toList();
      if (onPort.isEmpty()) {
        found.add(alb.target().id() + " has no listener on " + alb.target().port());
      }
      onPort.stream().flatMap(l -> forwardedTo(l).stream()).forEach(lambdaGroup -> check(lambdaGroup, current, found));
    }
    serving.stream().map(d -> d.target().id()).filter(id -> !id.contains(":loadbalancer/")).filter(fn -> !policy(fn).contains(tg))
        .forEach(fn -> found.add(fn + " in " + tg + " without a permission from it"));
    return all.stream().map(d -> d.target().id()).toList();
  }

  /** The resource policy of a function or one of its qualifiers ("arn:…:live"); empty when it has none. */
  private String policy(String function) {
    try {
      return lambda.getPolicy(r -> r.functionName(function)).policy();
    } catch (ResourceNotFoundException e) {
      return "";
    }
  }

  /** What was wrong, sample by sample (empty: a serving path at every counted sample). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The groups the listener forwarded to, comma-separated, each time they changed. */
  public List<String> forwardsSeen() {
    return List.copyOf(forwards);
  }

  /** "group -> target,target" of each group the listener forwarded to, each time it changed. */
  public List<String> targetsSeen() {
    return List.copyOf(targets);
  }

  public int samples() {
    return samples;
  }
}
