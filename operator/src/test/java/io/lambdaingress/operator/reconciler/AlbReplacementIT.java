package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.model.RouteNames;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.Sampler;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * An ALB scheme change (AWS sets a scheme only at creation) on the article stack, with the world as strict as
 * AWS (an ALB registered or draining in an alb target group cannot be deleted; an alb target group holds one
 * ALB; a target group serves one load balancer; a deregistered target drains): the new ALB serves before the
 * NLB moves to it, the old one is drained and deleted, and one ALB is left (issue 21). Throughout, a sampler
 * reads the alb target group the NLB's listener forwards to at that moment and asks AWS for its targets'
 * health: every sample must find a healthy ALB there. The object has a route, and each sample also follows
 * the route's path on that ALB: its listener must hold a rule for the path forwarding to a target group in
 * which the route's own function (not spec.lambda's) is registered and healthy, so the route's requests reach
 * its function through each move. The drain is a wait that heals by itself, so the object shows no Warning
 * Event. An object deleted halfway through a replacement leaves nothing, both sides' route groups included.
 */
@WithLocalWorld
class AlbReplacementIT {

  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;

  @BeforeAll
  static void start(LocalWorld world) {
    operator = OperatorHarness.start(world, Duration.ofSeconds(4), 1);
    pre = ArticlePrerequisites.create(world.awsRegion());
    elb = ElasticLoadBalancingV2Client.create();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    elb.close();
  }

  private static final String ROUTE_PATH = "/orders";

  /** The stack with one route, orders, for {@link #ROUTE_PATH}, to a managed function of its own. */
  private static String withRoute(String stack) {
    String route = "  routes:\n    - name: orders\n      match:\n        pathPatterns: [\"" + ROUTE_PATH + "\", \"" + ROUTE_PATH + "/*\"]\n"
        + "      lambda:\n        function:\n          image: {repository: " + pre.repository() + ", tag: latest}\n"
        + "          roleArn: " + pre.roleArn() + "\n";
    String routed = stack.replace("  tags:\n", route + "  tags:\n");
    assertThat(routed).contains(route);
    return routed;
  }

  private static String internetFacing(String internal) {
    String changed = internal.replace("  alb:\n    scheme: internal\n", "  alb:\n    scheme: internet-facing\n");
    assertThat(changed).isNotEqualTo(internal);
    return changed;
  }

  @Test
  void aSchemeChangeServesThroughoutAndLeavesOneAlb() {
    String ns = operator.namespace(0);
    String internal = withRoute(pre.articleStack(ns, "rescheme"));
    operator.apply(internal);
    GenericKubernetesResource ready = operator.awaitReady(ns, "rescheme", Duration.ofSeconds(60));
    String nlbArn = status(ready, "nlb", "arn");
    String firstAlb = status(ready, "alb", "arn");
    String routeFunction = routeFunctionArn(ready);
    assertThat(routeFunction).isNotEqualTo(status(ready, "lambda", "functionArn"));

    ServingSampler serving = new ServingSampler(nlbArn, routeFunction);
    operator.apply(internetFacing(internal));
    String secondAlb = awaitOneAlb(ns, nlbArn, "internet-facing");
    assertThat(secondAlb).isNotEqualTo(firstAlb);

    // And back: the first names are free again, and the same holds.
    operator.apply(internal);
    String thirdAlb = awaitOneAlb(ns, nlbArn, "internal");
    assertThat(thirdAlb).isNotIn(firstAlb, secondAlb);
    serving.stop();

    assertThat(serving.routeFailures).as("samples where the ALB the NLB forwarded to did not send " + ROUTE_PATH
        + " to a target group with the route's function registered and healthy").isEmpty();
    assertThat(serving.routeGroups).as("the route's target groups on the ALB the NLB forwarded to, in order: one per ALB side")
        .map(arn -> arn.replaceAll(".*:targetgroup/[^/]+-([a-z0-9]{3})/.*", "$1")).containsExactly("rtg", "rg2", "rtg");
    assertThat(serving.failures).as("samples where the NLB's current alb target group had no healthy ALB").isEmpty();
    assertThat(serving.count.get()).as("samples taken").isGreaterThan(10);
    assertThat(serving.groups).as("alb target groups the NLB forwarded to, in order").hasSize(3);
    List<String> owned = AwsInventory.ownedBy(operator.clusterName(), ns, "rescheme");
    assertThat(albs(ns, "rescheme", nlbArn)).containsExactly(thirdAlb);
    assertThat(owned).filteredOn(a -> a.contains(":targetgroup/")).as("the alb, the lambda and the route's target group").hasSize(3);

    // The old sides' route statements went with their groups: the route's function lets ELB invoke it from the group in use only.
    RouteNames routeNames = RouteNames.of(operator.clusterName(), ns, "rescheme", "orders");
    try (LambdaClient lambda = LambdaClient.create()) {
      String policy = lambda.getPolicy(q -> q.functionName(routeFunction)).policy();
      assertThat(policy).contains("\"" + routeNames.permissionStatementId() + "\"", serving.routeGroups.get(2))
          .doesNotContain("\"" + routeNames.permissionStatementId() + "-2\"", serving.routeGroups.get(1));
    }

    var events = operator.client().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "rescheme".equals(e.getInvolvedObject().getName())).toList();
    assertThat(events).noneMatch(e -> "Warning".equals(e.getType()));
    assertThat(events).filteredOn(e -> "Deregistered".equals(e.getReason()) && e.getMessage().startsWith("alb target group"))
        .as("the old ALB deregistered, each time").hasSize(2).allMatch(e -> "Normal".equals(e.getType()));
  }

  /**
   * Deleting the object while a replacement is under way, both ALBs holding the route's rule, each forwarding
   * to its own side's route group: the rules on both ALBs go first, then both sides' route groups, and nothing
   * of the object is left.
   */
  @Test
  void deletingDuringTheReplacementDeletesBothSidesRouteGroups() {
    String ns = operator.namespace(0);
    String name = "halfway";
    String internal = withRoute(pre.articleStack(ns, name).replace("10.20.0.10", "10.20.0.95"));
    operator.apply(internal);
    String nlbArn = status(operator.awaitReady(ns, name, Duration.ofSeconds(60)), "nlb", "arn");
    operator.apply(internetFacing(internal));
    RouteNames route = RouteNames.of(operator.clusterName(), ns, name, "orders");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      List<String> ruleGroups = new java.util.ArrayList<>();
      for (String alb : albs(ns, name, nlbArn)) {
        for (Listener l : elb.describeListeners(q -> q.loadBalancerArn(alb)).listeners()) {
          elb.describeRules(q -> q.listenerArn(l.listenerArn())).rules().stream().filter(r -> !r.isDefault())
              .forEach(r -> ruleGroups.addAll(ListenerStep.forwardedTo(r.actions().get(0))));
        }
      }
      assertThat(ruleGroups).as("the route groups the rules on our ALBs forward to")
          .anyMatch(g -> g.contains("/" + route.targetGroup() + "/")).anyMatch(g -> g.contains("/" + route.second().targetGroup() + "/"));
    });
    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> operator.get(ns, name) == null);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, name)).as("nothing of the object left in AWS").isEmpty();
  }

  /** Waits for Ready at the current generation with exactly one ALB of ours, of this scheme, the status's; returns its ARN. */
  private static String awaitOneAlb(String ns, String nlbArn, String scheme) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      // Shorter than the whole wait, so that a failure says the last Ready condition.
      GenericKubernetesResource r = operator.awaitReady(ns, "rescheme", Duration.ofSeconds(20));
      List<String> albs = albs(ns, "rescheme", nlbArn);
      assertThat(albs).containsExactly(status(r, "alb", "arn"));
      assertThat(elb.describeLoadBalancers(q -> q.loadBalancerArns(albs)).loadBalancers().get(0).schemeAsString()).isEqualTo(scheme);
    });
    return status(operator.get(ns, "rescheme"), "alb", "arn");
  }

  /** Our load balancers but the NLB. */
  private static List<String> albs(String ns, String name, String nlbArn) {
    return AwsInventory.ownedBy(operator.clusterName(), ns, name).stream()
        .filter(a -> a.contains(":loadbalancer/") && !a.equals(nlbArn)).toList();
  }

  @SuppressWarnings("unchecked")
  private static String routeFunctionArn(GenericKubernetesResource r) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    List<Map<String, Object>> routes = (List<Map<String, Object>>) status.get("routes");
    assertThat(routes).hasSize(1);
    assertThat(routes.get(0).get("ready")).isEqualTo(true);
    return (String) routes.get(0).get("functionArn");
  }

  @SuppressWarnings("unchecked")
  private static String status(GenericKubernetesResource r, String piece, String field) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    return (String) ((Map<String, Object>) status.get(piece)).get(field);
  }

  /**
   * Every 200 ms: the NLB listener's alb target group now, and whether AWS reports a healthy target in it; then,
   * on that healthy ALB, the rule for the route's path and the health of the route's function in its group.
   */
  private static final class ServingSampler extends Sampler {
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> groups = new CopyOnWriteArrayList<>();
    final List<String> routeFailures = new CopyOnWriteArrayList<>();
    final List<String> routeGroups = new CopyOnWriteArrayList<>();
    final AtomicInteger count = new AtomicInteger();
    private final String nlbArn;
    private final String routeFunction;

    ServingSampler(String nlbArn, String routeFunction) {
      super(200);
      this.nlbArn = nlbArn;
      this.routeFunction = routeFunction;
      begin();
    }

    @Override
    protected void sample() {
      List<Listener> listeners = elb.describeListeners(q -> q.loadBalancerArn(nlbArn)).listeners();
      if (listeners.size() != 1) {
        failures.add("the NLB has " + listeners.size() + " listeners");
        return;
      }
      String group = listeners.get(0).defaultActions().get(0).targetGroupArn();
      List<TargetHealthDescription> health = elb.describeTargetHealth(q -> q.targetGroupArn(group)).targetHealthDescriptions();
      count.incrementAndGet();
      if (groups.isEmpty() || !groups.get(groups.size() - 1).equals(group)) {
        groups.add(group);
      }
      List<String> albs = health.stream().filter(d -> "healthy".equals(d.targetHealth().stateAsString())).map(d -> d.target().id()).toList();
      if (albs.isEmpty()) {
        failures.add(group + ": " + health.stream().map(d -> d.target().id() + " " + d.targetHealth().stateAsString()).toList());
        return;
      }
      sampleRoute(albs.get(0));
    }

    /** The ALB's rule for the route's path, and the route's function healthy in the group it forwards to. */
    private void sampleRoute(String alb) {
      List<Listener> listeners = elb.describeListeners(q -> q.loadBalancerArn(alb)).listeners();
      List<Rule> rules = listeners.isEmpty() ? List.of() : elb.describeRules(q -> q.listenerArn(listeners.get(0).listenerArn())).rules();
      Rule rule = rules.stream().filter(r -> !r.isDefault()).filter(r -> r.conditions().stream()
          .anyMatch(c -> "path-pattern".equals(c.field()) && c.pathPatternConfig() != null && c.pathPatternConfig().values().contains(ROUTE_PATH)))
          .findFirst().orElse(null);
      if (rule == null) {
        routeFailures.add("ALB " + alb + ": no rule for " + ROUTE_PATH + " on its listener (the default action answers it)");
        return;
      }
      List<String> forwarded = List.copyOf(ListenerStep.forwardedTo(rule.actions().get(0)));
      if (forwarded.size() != 1) {
        routeFailures.add("ALB " + alb + ": the rule for " + ROUTE_PATH + " forwards to " + forwarded);
        return;
      }
      String routeGroup = forwarded.get(0);
      if (routeGroups.isEmpty() || !routeGroups.get(routeGroups.size() - 1).equals(routeGroup)) {
        routeGroups.add(routeGroup);
      }
      List<TargetHealthDescription> targets = elb.describeTargetHealth(q -> q.targetGroupArn(routeGroup)).targetHealthDescriptions();
      if (targets.stream().noneMatch(d -> routeFunction.equals(d.target().id()) && "healthy".equals(d.targetHealth().stateAsString()))) {
        routeFailures.add("ALB " + alb + ": " + ROUTE_PATH + " -> " + routeGroup + ": "
            + targets.stream().map(d -> d.target().id() + " " + d.targetHealth().stateAsString()).toList());
      }
    }
  }
}
