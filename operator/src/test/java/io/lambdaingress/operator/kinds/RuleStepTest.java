package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.model.RouteModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * The routes' listener rules: ours by owner tags and route tag or by our status's record, each write in an order the
 * tag-conditioned IAM policy of an adopted listener lets through (a rule's tags before any change of it), a new rule
 * tagged in its CreateRule, and a rule that is not ours never touched. The fake's log holds the calls and, after
 * each, its announcement.
 */
class RuleStepTest {

  private static final Map<String, String> OWNER = Map.of("lambdaingress.io/cluster", "c", "lambdaingress.io/namespace", "ns",
      "lambdaingress.io/name", "sample");
  private static final String LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/alb/6d0ecf831eec9f09/9f8bd3d5a2b6d1e0";
  private static final String API_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/li-api/1";
  private static final String OLD_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/li-api-old/2";
  private static final String ADMIN_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/li-admin/3";

  private final List<String> log = new ArrayList<>();
  private final FakeElb elb = new FakeElb(log);
  private final RuleStep step = new RuleStep(elb, new Ownership(OWNER), (action, resource, why) -> log.add(action + " " + resource));

  private static RuleCondition path(String pattern) {
    return RuleCondition.builder().field("path-pattern").pathPatternConfig(p -> p.values(pattern)).build();
  }

  private static Map<String, String> ruleTags(String route) {
    Map<String, String> tags = new TreeMap<>(OWNER);
    tags.put(RouteModel.TAG_ROUTE, route);
    return Map.copyOf(tags);
  }

  private static RouteModel route(String name, String pattern) {
    return new RouteModel(name, null, null, Map.of(), Optional.empty(), null, List.of(path(pattern)), ruleTags(name));
  }

  @Test
  void aRuleKnownByOurStatusAloneGetsItsTagsBackBeforeItIsChanged() {
    // Ours (the status recorded it), its tags removed out of band, and it forwards to the group the route had before.
    String rule = elb.addRule(LISTENER, 1, List.of(path("/api/*")), OLD_GROUP, Map.of());

    step.converge(List.of(route("api", "/api/*")), LISTENER, Map.of(rule, "api"), Map.of("api", API_GROUP));

    assertThat(log).containsExactly(
        "AddTags " + rule + " " + new TreeMap<>(ruleTags("api")),
        "Updated listener rule " + rule,
        "ModifyRule " + rule + " carrying " + new TreeMap<>(ruleTags("api")),
        "Updated listener rule " + rule);
  }

  @Test
  void aRuleKnownByOurStatusAloneGetsItsTagsBackBeforeItIsMoved() {
    String admin = elb.addRule(LISTENER, 1, List.of(path("/admin/*")), ADMIN_GROUP, ruleTags("admin"));
    String api = elb.addRule(LISTENER, 2, List.of(path("/api/*")), API_GROUP, Map.of());

    step.converge(List.of(route("api", "/api/*"), route("admin", "/admin/*")), LISTENER, Map.of(api, "api"),
        Map.of("api", API_GROUP, "admin", ADMIN_GROUP));

    String moves = "{" + api + "=1, " + admin + "=2}";
    assertThat(log).containsExactly(
        "AddTags " + api + " " + new TreeMap<>(ruleTags("api")),
        "Updated listener rule " + api,
        "SetRulePriorities " + moves + " carrying " + List.of(new TreeMap<>(ruleTags("api")), new TreeMap<>(ruleTags("admin"))),
        "Updated listener rule priorities " + moves);
  }

  @Test
  void aNewRuleIsTaggedInItsCreation() {
    step.converge(List.of(route("api", "/api/*")), LISTENER, Map.of(), Map.of("api", API_GROUP));

    assertThat(log).containsExactly("CreateRule 1 tags " + new TreeMap<>(ruleTags("api")), "Created listener rule of route api at priority 1");
  }

  @Test
  void aRuleInStepWithTheSpecIsNotWritten() {
    elb.addRule(LISTENER, 1, List.of(path("/api/*")), API_GROUP, ruleTags("api"));

    step.converge(List.of(route("api", "/api/*")), LISTENER, Map.of(), Map.of("api", API_GROUP));

    assertThat(log).isEmpty();
  }

  @Test
  void aRuleThatIsNotOursIsNeverTouchedAndItsPriorityIsAvoided() {
    // Someone else's rule: no owner tags, not in our status.
    String theirs = elb.addRule(LISTENER, 1, List.of(path("/api/*")), OLD_GROUP, Map.of("team", "other"));
    // Another object's rule for a route of the same name: one owner tag differs.
    Map<String, String> another = new TreeMap<>(ruleTags("api"));
    another.put("lambdaingress.io/name", "other");
    String othersRule = elb.addRule(LISTENER, 2, List.of(path("/api/*")), OLD_GROUP, another);

    step.converge(List.of(route("api", "/api/*")), LISTENER, Map.of(), Map.of("api", API_GROUP));

    assertThat(log).containsExactly("CreateRule 3 tags " + new TreeMap<>(ruleTags("api")), "Created listener rule of route api at priority 3");
    assertThat(String.join("\n", log)).doesNotContain(theirs).doesNotContain(othersRule);
  }

  @Test
  void aRuleOfARouteNoLongerInTheSpecIsDeleted() {
    String gone = elb.addRule(LISTENER, 1, List.of(path("/old/*")), OLD_GROUP, ruleTags("old"));
    String api = elb.addRule(LISTENER, 2, List.of(path("/api/*")), API_GROUP, ruleTags("api"));

    step.converge(List.of(route("api", "/api/*")), LISTENER, Map.of(), Map.of("api", API_GROUP));

    assertThat(log).containsExactly("DeleteRule " + gone, "Deleted listener rule " + gone,
        "SetRulePriorities {" + api + "=1} carrying " + List.of(new TreeMap<>(ruleTags("api"))),
        "Updated listener rule priorities {" + api + "=1}");
  }
}
