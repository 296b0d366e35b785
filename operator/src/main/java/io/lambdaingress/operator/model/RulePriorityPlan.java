package io.lambdaingress.operator.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How our listener rules get from the priorities they have to the ones the route list asks for, with no
 * moment in which two rules share a priority or a request is answered by a route out of its list order.
 * Pure: the reconciler executes the steps in this order.
 *
 * <ol>
 *   <li>{@link #deletions}: our rules of routes no longer in the spec (and a second rule of one route);
 *   <li>{@link #moves}: every kept rule to its new priority in ONE SetRulePriorities call, which AWS applies
 *       as a batch (a swap inside one call is valid), so the kept rules change order atomically;
 *   <li>{@link #creations}: the new routes' rules, each at a priority nothing else holds.
 * </ol>
 *
 * At every step the rules present are ordered as the route list restricted to them. Priorities are the
 * smallest numbers in list order that no rule without our tags holds (those are never moved; their
 * priorities are skipped), so a listener in the steady state needs no write.
 */
public record RulePriorityPlan(List<String> deletions, Map<String, Integer> moves, Map<String, Integer> creations,
    Map<String, String> kept) {

  /** A rule on the listener: {@code route} is our route's name, null for a rule that is not ours. */
  public record ObservedRule(String arn, String route, int priority) {}

  /** ALB's highest rule priority. */
  public static final int MAX_PRIORITY = 50_000;

  /**
   * @param observed the listener's non-default rules
   * @param routes our route names in list order
   */
  public static RulePriorityPlan plan(List<ObservedRule> observed, List<String> routes) {
    Set<Integer> foreign = new HashSet<>();
    Map<String, ObservedRule> ours = new LinkedHashMap<>();
    List<String> deletions = new ArrayList<>();
    Set<String> wanted = Set.copyOf(routes);
    observed.stream().sorted(java.util.Comparator.comparingInt(ObservedRule::priority)).forEach(r -> {
      if (r.route() == null) {
        foreign.add(r.priority());
      } else if (!wanted.contains(r.route()) || ours.containsKey(r.route())) {
        deletions.add(r.arn());
      } else {
        ours.put(r.route(), r);
      }
    });
    Map<String, Integer> target = new LinkedHashMap<>();
    int next = 1;
    for (String route : routes) {
      while (foreign.contains(next)) {
        next++;
      }
      if (next > MAX_PRIORITY) {
        throw new IllegalArgumentException("no free rule priority left for route " + route);
      }
      target.put(route, next++);
    }
    Map<String, Integer> moves = new LinkedHashMap<>();
    Map<String, Integer> creations = new LinkedHashMap<>();
    Map<String, String> kept = new LinkedHashMap<>();
    target.forEach((route, priority) -> {
      ObservedRule r = ours.get(route);
      if (r == null) {
        creations.put(route, priority);
      } else {
        kept.put(route, r.arn());
        if (r.priority() != priority) {
          moves.put(r.arn(), priority);
        }
      }
    });
    return new RulePriorityPlan(List.copyOf(deletions), moves, creations, kept);
  }

  public boolean isEmpty() {
    return deletions.isEmpty() && moves.isEmpty() && creations.isEmpty();
  }
}
