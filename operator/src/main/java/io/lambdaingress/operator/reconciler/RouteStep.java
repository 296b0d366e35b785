package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.FunctionStep;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.kinds.RuleStep;
import io.lambdaingress.operator.kinds.TargetGroupStep;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.api.RouteStatus;
import io.lambdaingress.operator.aws.EcrImageClient.PinnedImage;
import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.model.AlbSlot;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.ImageRef;
import io.lambdaingress.operator.model.RouteModel;
import io.lambdaingress.operator.model.RulePriorityPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;

/**
 * The routes of one object, after the chain converged (their rules go on its ALB listener): per route its
 * lambda target group, function, invoke permission scoped to that group, registration, then the listener
 * rules in list order ({@link RulePriorityPlan}: delete, one batch of moves, create). A route whose function
 * AWS is still creating or updating gets no new rule yet: until it serves, its requests stay with spec.lambda.
 * Rules without our owner tags on the listener are never touched; their priorities are avoided.
 */
final class RouteStep {

  /** @param target what the group holds: the function, or its alias with a rollout */
  private record TargetAndFunction(TargetGroup targetGroup, String functionArn, String target) {}

  /**
   * The routes after a run: status per route, why not all are ready (null when they are), ARNs they use,
   * and each rollout's result by route name (none for a route this run did not reach).
   */
  record Outcome(List<RouteStatus> routes, String pending, Set<String> wantedArns, Map<String, CanaryStep.Result> rollouts) {}

  private final ElbV2Client elb;
  private final TargetGroupStep targetGroups;
  private final FunctionStep functions;
  private final Ownership ownership;
  private final AwsWrites writes;
  private final Function<ImageRef, PinnedImage> pin;
  private final ElbInventory inventory;
  private final CanaryStep canaries;
  private final RuleStep rules;

  RouteStep(ElbInventory inventory, LambdaFunctionClient lambda, Ownership ownership, AwsWrites writes,
      Function<ImageRef, PinnedImage> pin, CanaryStep canaries) {
    this.inventory = inventory;
    this.canaries = canaries;
    this.elb = inventory.client();
    this.targetGroups = new TargetGroupStep(inventory, ownership, writes);
    this.functions = new FunctionStep(lambda, ownership, writes);
    this.ownership = ownership;
    this.writes = writes;
    this.pin = pin;
    this.rules = new RuleStep(elb, ownership, writes);
  }

  /**
   * @param recorded the routes' previous status by name: a function the route no longer names is retired,
   *     and a rule recorded as the route's is recognised even when its tags were removed out of band
   */
  Outcome apply(List<RouteModel> routes, List<String> listenerArns, List<String> unroutedListenerArns, Map<String, RouteStatus> recorded,
      Map<String, CanaryStep.Input> rollouts) {
    Map<String, RouteStatus> status = new LinkedHashMap<>();
    Map<String, String> targetGroupOf = new HashMap<>();
    Set<String> wanted = new HashSet<>();
    List<String> pending = new ArrayList<>();
    Map<RouteModel, TargetAndFunction> serving = new LinkedHashMap<>();
    Map<String, CanaryStep.Result> results = new HashMap<>();
    Map<String, LambdaSwitch> switches = new HashMap<>();
    for (RouteModel route : routes) {
      RouteStatus s = new RouteStatus();
      s.setName(route.name());
      status.put(route.name(), s);
      // With a rollout the alias's group, else the function's; a switch moves the rule (LambdaSwitch).
      CanaryStep.Input canary = route.function().isPresent() ? rollouts.get(route.name()) : null;
      LambdaSwitch lambdaSwitch = new LambdaSwitch(inventory, ownership, writes, route.targetGroup(canary == null).name(),
          "route " + route.name() + "'s listener rule");
      switches.put(route.name(), lambdaSwitch);
      TargetGroup tg = targetGroups.ensure("route " + route.name() + " target group", route.targetGroup(canary != null),
          route.targetGroupAttributes(), replaced -> listenerArns.forEach(l -> rules.deleteForwardingTo(l, replaced)));
      s.setTargetGroupArn(tg.targetGroupArn());
      wanted.add(tg.targetGroupArn());
      String functionArn;
      CreateFunctionRequest functionRequest = null;
      if (route.function().isPresent()) {
        ChainModel.ManagedFunction fn = route.function().get();
        PinnedImage image = pin.apply(fn.image());
        s.setImageDigest(image.digest());
        functionRequest = fn.request(image.uri());
        FunctionStep.Result result = functions.ensureManaged(functionRequest, fn.reservedConcurrency());
        functionArn = result.functionArn();
        s.setFunctionArn(functionArn);
        wanted.add(functionArn);
        if (result.busy()) {
          pending.add("route " + route.name() + ": function " + fn.name() + " is being updated by AWS");
          continue;
        }
      } else {
        functionArn = functions.requireExisting(route.existingFunctionArn());
        s.setFunctionArn(functionArn);
      }
      String target = functionArn;
      if (canary != null) {
        CanaryStep.Result rollout = canaries.apply(route.function().get().name(), s.getImageDigest(), functionRequest, canary);
        results.put(route.name(), rollout);
        target = rollout.aliasArn();
      }
      boolean justPermitted = permission(route).grant(functionArn, canary != null, tg.targetGroupArn());
      if (justPermitted && lambdaSwitch.underWay()) {
        // The rule still forwards to the other group, which serves: register once the permission propagated.
        pending.add("route " + route.name() + ": the invoke permission of " + target + " is propagating");
        continue;
      }
      serving.put(route, new TargetAndFunction(tg, functionArn, target));
    }
    // Registrations after every permission: AWS refuses a registration for a moment after AddPermission
    // (propagation), so that wait is met once per run for all routes, not once per route.
    serving.forEach((route, piece) -> {
      targetGroups.ensureOnlyTarget("route " + route.name() + " target group", piece.targetGroup(), piece.target(), null);
      RouteStatus before = recorded.get(route.name());
      if (before != null && before.getFunctionArn() != null && !before.getFunctionArn().equals(piece.functionArn())) {
        functions.retire(before.getFunctionArn(), route.names().permissionStatementId());
      }
      targetGroupOf.put(route.name(), piece.targetGroup().targetGroupArn());
    });

    Map<String, String> recordedRules = new HashMap<>();
    recorded.forEach((name, s) -> {
      if (s.getRuleArn() != null) {
        recordedRules.put(s.getRuleArn(), name);
      }
    });
    // The same rules on each listener that serves (HTTP, HTTPS); the status names the first listener's.
    Map<String, Rule> ours = null;
    for (String listenerArn : listenerArns) {
      Map<String, Rule> on = rules.converge(routes, listenerArn, recordedRules, targetGroupOf);
      ours = ours == null ? on : ours;
    }
    ours = ours == null ? Map.of() : ours;
    // A listener that redirects to HTTPS carries no rule: a rule there would answer plain HTTP.
    unroutedListenerArns.forEach(l -> rules.deleteOurs(l, "the HTTP listener redirects to HTTPS (spec.alb.https.redirectHttp)"));
    // Each rule that forwards to its route's wanted group now: the other group goes once drained, then the
    // old permission.
    for (RouteModel route : routes) {
      if (!ours.containsKey(route.name()) || !targetGroupOf.containsKey(route.name())) {
        continue;
      }
      String inUse = switches.get(route.name()).retireOtherGroup(java.time.Instant.now());
      if (inUse != null) {
        pending.add("route " + route.name() + ": " + inUse);
      } else if (route.function().isPresent()) {
        RouteStatus before = recorded.get(route.name());
        CanaryStep.Result removed = permission(route).retireOther(status.get(route.name()).getFunctionArn(), route.function().get().name(),
            results.containsKey(route.name()), before != null && before.getRollout() != null);
        if (removed != null) {
          results.put(route.name(), removed);
        }
      }
    }
    List<RouteStatus> out = new ArrayList<>();
    for (RouteModel route : routes) {
      RouteStatus s = status.get(route.name());
      Rule rule = ours.get(route.name());
      s.setRuleArn(rule == null ? null : rule.ruleArn());
      s.setReady(rule != null && targetGroupOf.containsKey(route.name()));
      out.add(s);
    }
    return new Outcome(out, pending.isEmpty() ? null : String.join("; ", pending), wanted, results);
  }

  private InvokePermission permission(RouteModel route) {
    return new InvokePermission(functions, canaries, route.names().permissionStatementId(), "route " + route.name() + ": ");
  }

  /**
   * What the routes still lack on a new ALB side's listener before the NLB may move to it; null when nothing:
   * per route, our rule with the route's conditions, forwarding to one of the route's groups of that side, in
   * which a target is registered (and not draining). Read from AWS on each call, so a crash between the runs
   * that converge that listener and the move leaves nothing to remember.
   *
   * @param routes the routes on that side ({@link RouteModel#inSlot})
   * @param routed whether the listener carries the routes' rules (not the HTTP one while it redirects to HTTPS)
   */
  static String lackingOn(ElbInventory inventory, Ownership ownership, List<RouteModel> routes, String listenerArn, boolean routed) {
    if (routes.isEmpty() || !routed) {
      return null;
    }
    ElbV2Client elb = inventory.client();
    Map<String, Rule> byRoute = new HashMap<>();
    RuleStep.ours(elb, ownership, listenerArn).forEach((rule, route) -> byRoute.put(route, rule));
    List<String> lacking = new ArrayList<>();
    for (RouteModel route : routes) {
      Rule rule = byRoute.get(route.name());
      if (rule == null || !RouteModel.canonical(rule.conditions()).equals(RouteModel.canonical(route.conditions()))) {
        lacking.add("route " + route.name() + " has no rule with its conditions yet");
        continue;
      }
      Set<String> groups = new HashSet<>();
      for (boolean rollout : new boolean[] {false, true}) {
        inventory.listedTargetGroup(route.targetGroup(rollout).name()).ifPresent(g -> groups.add(g.targetGroupArn()));
      }
      Set<String> forwarded = rule.actions().size() == 1 ? ListenerStep.forwardedTo(rule.actions().get(0)) : Set.of();
      if (forwarded.size() != 1 || !groups.containsAll(forwarded)) {
        lacking.add("route " + route.name() + "'s rule does not forward to its target group of this side yet");
      } else if (elb.targetHealth(forwarded.iterator().next()).stream()
          .noneMatch(d -> d.targetHealth() == null || d.targetHealth().state() != TargetHealthStateEnum.DRAINING)) {
        lacking.add("route " + route.name() + "'s target group holds no function yet");
      }
    }
    return lacking.isEmpty() ? null : "on its listener, " + String.join("; ", lacking);
  }

  /**
   * Deleting the object: our rules first, on the ALB of either side (so no request reaches a group being
   * deleted), then each route's target groups of both sides and its function (ours) or our permissions (an
   * existing function). Returns why it must come back (a group AWS still reports in use), or null.
   *
   * @param albs the object's ALBs: one, or both sides' during a replacement ({@link AlbSlot})
   */
  String delete(List<RouteModel> routes, List<LoadBalancer> albs) {
    String why = "object deleted";
    // On every listener of the ALB (HTTP and HTTPS): only rules with our owner tags and a route tag are ours.
    for (LoadBalancer alb : albs) {
      for (Listener listener : elb.listeners(alb.loadBalancerArn())) {
        rules.deleteOurs(listener.listenerArn(), why);
      }
    }
    for (RouteModel route : routes) {
      List<RouteModel> sides = List.of(route.inSlot(AlbSlot.FIRST), route.inSlot(AlbSlot.SECOND));
      for (RouteModel side : sides) {
        for (String name : List.of(side.targetGroup(false).name(), side.targetGroup(true).name())) {
          if (!targetGroups.deleteIfOurs("route " + route.name() + " target group " + name, name, why)) {
            return "route " + route.name() + " target group " + name + " is still in use";
          }
        }
      }
      if (route.function().isPresent()) {
        String name = route.function().get().name();
        functions.deleteIfOurs("route " + route.name() + " function " + name, name, why);
      } else {
        for (RouteModel side : sides) {
          functions.removePermission(route.existingFunctionArn(), null, side.names().permissionStatementId(), why);
        }
      }
    }
    return null;
  }
}
