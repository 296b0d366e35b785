package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.model.RouteModel;
import io.lambdaingress.operator.model.RulePriorityPlan;
import io.lambdaingress.operator.model.RulePriorityPlan.ObservedRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * Listener rules, the routes' (spec.routes): ours found by our owner tags and route tag (or by the ARN our status
 * recorded), created, reordered in one batch, changed and deleted, in {@link RulePriorityPlan}'s order, each write
 * announced once AWS accepted it. A rule without our owner tags is never touched; its priority is avoided.
 */
public final class RuleStep {

  private final ElbV2Client elb;
  private final Ownership ownership;
  private final Announcer writes;

  public RuleStep(ElbV2Client elb, Ownership ownership, Announcer writes) {
    this.elb = elb;
    this.ownership = ownership;
    this.writes = writes;
  }

  /**
   * The listener's rules made to be the routes' in this order, as far as {@code targetGroupOf} has a group for
   * them (a route without one keeps the rule it has, or gets none yet). Returns our rule per route.
   *
   * @param recordedRules rule ARN -> route, as our status recorded them: recognised even without their tags
   * @param targetGroupOf route -> the group its rule forwards to
   */
  public Map<String, Rule> converge(List<RouteModel> routes, String listenerArn, Map<String, String> recordedRules,
      Map<String, String> targetGroupOf) {
    List<Rule> rules = nonDefault(listenerArn);
    Map<String, Map<String, String>> tags = rules.isEmpty() ? Map.of() : elb.tags(rules.stream().map(Rule::ruleArn).toList());
    Map<String, Rule> byArn = new HashMap<>();
    List<ObservedRule> observed = new ArrayList<>();
    for (Rule r : rules) {
      byArn.put(r.ruleArn(), r);
      observed.add(new ObservedRule(r.ruleArn(), routeOf(r, tags.getOrDefault(r.ruleArn(), Map.of()), recordedRules), Integer.parseInt(r.priority())));
    }
    // A route gets a rule once its function serves from its target group; an existing rule stays meanwhile.
    Set<String> withRule = new HashSet<>();
    observed.stream().filter(o -> o.route() != null).forEach(o -> withRule.add(o.route()));
    List<String> order = routes.stream().map(RouteModel::name).filter(n -> targetGroupOf.containsKey(n) || withRule.contains(n)).toList();
    RulePriorityPlan plan = RulePriorityPlan.plan(observed, order);

    Map<String, RouteModel> byName = new HashMap<>();
    routes.forEach(r -> byName.put(r.name(), r));
    // Tags first: a rule known by our status alone (its tags removed out of band) is moved or changed only once it
    // carries them again, since on an adopted listener the IAM policy lets SetRulePriorities and ModifyRule through by
    // our owner tag only.
    plan.kept().forEach((name, arn) -> {
      Map<String, String> has = tags.getOrDefault(arn, Map.of());
      Map<String, String> wanted = byName.get(name).ruleTags();
      if (!has.entrySet().containsAll(wanted.entrySet())) {
        MapDiff diff = MapDiff.tags(has, wanted);
        writes.made("Updated", "listener rule " + arn, "tags: " + diff.describe(), () -> elb.addTags(arn, diff.set()));
      }
    });
    for (String arn : plan.deletions()) {
      delete(arn, "listener rule " + arn, "its route is no longer in spec.routes");
    }
    if (!plan.moves().isEmpty()) {
      writes.made("Updated", "listener rule priorities " + plan.moves(), "spec.routes order", () -> elb.setRulePriorities(plan.moves()));
    }
    Map<String, Rule> ours = new HashMap<>();
    plan.kept().forEach((name, arn) -> {
      Rule rule = byArn.get(arn);
      RouteModel route = byName.get(name);
      String tg = targetGroupOf.get(name);
      if (tg != null && (!RouteModel.canonical(rule.conditions()).equals(RouteModel.canonical(route.conditions()))
          || rule.actions().size() != 1 || !ListenerStep.forwardedTo(rule.actions().get(0)).equals(Set.of(tg)))) {
        writes.made("Updated", "listener rule " + arn, "route " + name + ": conditions or forward differ from the spec",
            () -> elb.modifyRule(arn, route.conditions(), tg));
      }
      ours.put(name, rule);
    });
    plan.creations().forEach((name, priority) -> {
      RouteModel route = byName.get(name);
      ours.put(name, writes.made("Created", "listener rule of route " + name + " at priority " + priority, "missing",
          () -> elb.createRule(listenerArn, priority, route.conditions(), targetGroupOf.get(name), route.ruleTags())));
    });
    return ours;
  }

  /** Before a route's target group is replaced (changed out of band): our rules forwarding to it go first. */
  public void deleteForwardingTo(String listenerArn, String targetGroupArn) {
    List<Rule> rules = nonDefault(listenerArn).stream()
        .filter(r -> r.actions().stream().anyMatch(a -> ListenerStep.forwardedTo(a).contains(targetGroupArn))).toList();
    if (rules.isEmpty()) {
      return;
    }
    Map<String, Map<String, String>> tags = elb.tags(rules.stream().map(Rule::ruleArn).toList());
    for (Rule r : rules) {
      if (ownership.owns(tags.getOrDefault(r.ruleArn(), Map.of()))) {
        delete(r.ruleArn(), "listener rule " + r.ruleArn(), "it forwards to the target group being replaced");
      }
    }
  }

  /** Every rule of ours on the listener (the object is deleted: before the groups they forward to). */
  public void deleteOurs(String listenerArn, String why) {
    ours(elb, ownership, listenerArn).forEach((r, route) -> delete(r.ruleArn(), "listener rule of route " + route, why));
  }

  /** Our rules on a listener (our owner tags and the route tag), in the listener's order, each with its route's name. */
  public static Map<Rule, String> ours(ElbV2Client elb, Ownership ownership, String listenerArn) {
    List<Rule> rules = elb.rules(listenerArn).stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).toList();
    Map<String, Map<String, String>> tags = rules.isEmpty() ? Map.of() : elb.tags(rules.stream().map(Rule::ruleArn).toList());
    Map<Rule, String> ours = new LinkedHashMap<>();
    for (Rule r : rules) {
      Map<String, String> t = tags.getOrDefault(r.ruleArn(), Map.of());
      if (ownership.owns(t) && t.containsKey(RouteModel.TAG_ROUTE)) {
        ours.put(r, t.get(RouteModel.TAG_ROUTE));
      }
    }
    return ours;
  }

  private List<Rule> nonDefault(String listenerArn) {
    return elb.rules(listenerArn).stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).toList();
  }

  /** The route a rule is ours for: by our owner tags and route tag, or by the ARN our status recorded; else null. */
  private String routeOf(Rule r, Map<String, String> tags, Map<String, String> recordedRules) {
    if (ownership.owns(tags) && tags.containsKey(RouteModel.TAG_ROUTE)) {
      return tags.get(RouteModel.TAG_ROUTE);
    }
    return recordedRules.get(r.ruleArn());
  }

  /** Every deletion of a listener rule: announced once AWS accepted it. */
  private void delete(String ruleArn, String resource, String why) {
    writes.made("Deleted", resource, why, () -> elb.deleteRule(ruleArn));
  }
}
