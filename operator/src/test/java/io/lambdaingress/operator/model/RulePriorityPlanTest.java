package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.model.RulePriorityPlan.ObservedRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The plan executed on a simulated listener, the invariants checked after every single AWS call: no two
 * rules share a priority, foreign rules never move, our rules keep their old order until the one batch
 * (SetRulePriorities) and are in the new list's order from then on, each new rule created in its place.
 */
class RulePriorityPlanTest {

  /** A listener: priority -> (arn, route or null). */
  private static final class Listener {
    final TreeMap<Integer, ObservedRule> rules = new TreeMap<>();
    int created;

    Listener(ObservedRule... initial) {
      for (ObservedRule r : initial) {
        assertThat(rules.put(r.priority(), r)).isNull();
      }
    }

    List<ObservedRule> observed() {
      return List.copyOf(rules.values());
    }

    /** Executes the plan step by step, checking the invariants after each AWS call. */
    void execute(RulePriorityPlan plan, List<String> desired) {
      Map<Integer, ObservedRule> foreignBefore = foreign();
      // Until the batch, the rules present keep the order they had (deleting never reorders the rest).
      List<String> before = ours();
      for (String arn : plan.deletions()) {
        rules.values().removeIf(r -> r.arn().equals(arn));
        assertThat(foreign()).isEqualTo(foreignBefore);
        assertThat(ours()).isEqualTo(before.stream().filter(ours()::contains).toList());
      }
      // SetRulePriorities: one call, applied as a batch (the final state must be free of duplicates).
      Map<String, ObservedRule> byArn = new HashMap<>();
      rules.values().forEach(r -> byArn.put(r.arn(), r));
      TreeMap<Integer, ObservedRule> after = new TreeMap<>();
      for (ObservedRule r : rules.values()) {
        int p = plan.moves().getOrDefault(r.arn(), r.priority());
        assertThat(after.put(p, new ObservedRule(r.arn(), r.route(), p))).as("batch leaves a duplicate priority %s", p).isNull();
      }
      assertThat(byArn.keySet()).containsAll(plan.moves().keySet());
      rules.clear();
      rules.putAll(after);
      check(desired, foreignBefore);
      plan.creations().forEach((route, p) -> {
        assertThat(rules.containsKey(p)).as("CreateRule at a free priority %s", p).isFalse();
        rules.put(p, new ObservedRule("new-" + (created++), route, p));
        check(desired, foreignBefore);
      });
    }

    Map<Integer, ObservedRule> foreign() {
      Map<Integer, ObservedRule> f = new TreeMap<>();
      rules.forEach((p, r) -> {
        if (r.route() == null) {
          f.put(p, r);
        }
      });
      return f;
    }

    void check(List<String> desired, Map<Integer, ObservedRule> foreignBefore) {
      assertThat(foreign()).as("foreign rules untouched").isEqualTo(foreignBefore);
      List<String> present = rules.values().stream().map(ObservedRule::route).filter(r -> r != null && desired.contains(r)).toList();
      List<String> expectedOrder = desired.stream().filter(present::contains).toList();
      assertThat(present).as("our rules in list order at every moment").isEqualTo(expectedOrder);
    }

    List<String> ours() {
      return rules.values().stream().map(ObservedRule::route).filter(r -> r != null).toList();
    }
  }

  private static ObservedRule ours(String route, int p) {
    return new ObservedRule("arn-" + route, route, p);
  }

  private static ObservedRule foreign(int p) {
    return new ObservedRule("arn-foreign-" + p, null, p);
  }

  private static Listener converge(Listener l, List<String> desired) {
    RulePriorityPlan plan = RulePriorityPlan.plan(l.observed(), desired);
    l.execute(plan, desired);
    assertThat(l.ours()).isEqualTo(desired);
    assertThat(RulePriorityPlan.plan(l.observed(), desired).isEmpty()).as("converged: the next plan is empty").isTrue();
    return l;
  }

  @Test
  void threeNewRoutesTakePriorities1To3() {
    RulePriorityPlan plan = RulePriorityPlan.plan(List.of(), List.of("a", "b", "c"));
    assertThat(plan.creations()).containsExactly(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3));
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.moves()).isEmpty();
  }

  @Test
  void theSteadyStateNeedsNoWrite() {
    assertThat(RulePriorityPlan.plan(List.of(ours("a", 1), ours("b", 2)), List.of("a", "b")).isEmpty()).isTrue();
  }

  @Test
  void aSwapIsOneBatch() {
    RulePriorityPlan plan = RulePriorityPlan.plan(List.of(ours("a", 1), ours("b", 2)), List.of("b", "a"));
    assertThat(plan.moves()).containsExactlyInAnyOrderEntriesOf(Map.of("arn-b", 1, "arn-a", 2));
    assertThat(plan.creations()).isEmpty();
    converge(new Listener(ours("a", 1), ours("b", 2)), List.of("b", "a"));
  }

  @Test
  void addingAtTheFrontMovesTheOthersFirstThenCreates() {
    RulePriorityPlan plan = RulePriorityPlan.plan(List.of(ours("a", 1), ours("b", 2)), List.of("new", "a", "b"));
    assertThat(plan.moves()).containsExactlyInAnyOrderEntriesOf(Map.of("arn-a", 2, "arn-b", 3));
    assertThat(plan.creations()).containsExactly(Map.entry("new", 1));
    converge(new Listener(ours("a", 1), ours("b", 2)), List.of("new", "a", "b"));
  }

  @Test
  void removingTheMiddleDeletesItsRuleOnly() {
    RulePriorityPlan plan = RulePriorityPlan.plan(List.of(ours("a", 1), ours("b", 2), ours("c", 3)), List.of("a", "c"));
    assertThat(plan.deletions()).containsExactly("arn-b");
    assertThat(plan.moves()).containsExactly(Map.entry("arn-c", 2));
    assertThat(plan.kept()).containsOnlyKeys("a", "c");
  }

  @Test
  void foreignRulesKeepTheirPrioritiesAndAreSkipped() {
    Listener l = new Listener(foreign(1), ours("a", 2), foreign(3), ours("b", 4));
    RulePriorityPlan plan = RulePriorityPlan.plan(l.observed(), List.of("b", "a", "c"));
    assertThat(plan.moves()).containsExactlyInAnyOrderEntriesOf(Map.of("arn-b", 2, "arn-a", 4));
    assertThat(plan.creations()).containsExactly(Map.entry("c", 5));
    converge(l, List.of("b", "a", "c"));
    assertThat(l.rules.get(1).route()).isNull();
    assertThat(l.rules.get(3).route()).isNull();
  }

  @Test
  void aSecondRuleOfOneRouteIsDeleted() {
    RulePriorityPlan plan = RulePriorityPlan.plan(List.of(ours("a", 1), new ObservedRule("arn-a2", "a", 7)), List.of("a"));
    assertThat(plan.deletions()).containsExactly("arn-a2");
    assertThat(plan.kept()).containsEntry("a", "arn-a");
  }

  @Test
  void everythingRemovedDeletesEveryRuleOfOursAndNoOther() {
    RulePriorityPlan plan = RulePriorityPlan.plan(List.of(ours("a", 1), foreign(2), ours("b", 3)), List.of());
    assertThat(plan.deletions()).containsExactlyInAnyOrder("arn-a", "arn-b");
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.creations()).isEmpty();
  }

  @Test
  void randomChangesKeepTheInvariantsAtEveryStep() {
    Random random = new Random(42);
    List<String> pool = List.of("a", "b", "c", "d", "e", "f", "g");
    for (int round = 0; round < 300; round++) {
      Listener l = new Listener();
      Set<Integer> taken = new HashSet<>();
      for (int i = 0; i < random.nextInt(3); i++) {
        int p = 1 + random.nextInt(8);
        if (taken.add(p)) {
          l.rules.put(p, foreign(p));
        }
      }
      List<String> current = shuffledSubset(pool, random);
      converge(l, current);
      for (int step = 0; step < 4; step++) {
        converge(l, shuffledSubset(pool, random));
      }
    }
  }

  private static List<String> shuffledSubset(List<String> pool, Random random) {
    List<String> out = new ArrayList<>();
    for (String s : pool) {
      if (random.nextBoolean()) {
        out.add(s);
      }
    }
    java.util.Collections.shuffle(out, random);
    return out;
  }
}
