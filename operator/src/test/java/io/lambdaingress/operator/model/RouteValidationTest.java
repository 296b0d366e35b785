package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.RouteMatch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/** The route rules the CRD cannot hold, the conditions a match becomes, and the routes' names. */
class RouteValidationTest {

  private static LambdaIngress withRoutes(String routes) {
    return ChainModelTest.parse(ChainModelTest.ARTICLE.replace("tags: {team: payments}", "routes:\n" + routes + "  tags: {team: payments}"));
  }

  private static String route(String name, String match) {
    return "    - name: " + name + "\n      match: " + match + "\n      lambda:\n        function: {image: {repository: r, tag: t}, "
        + "roleArn: 'arn:aws:iam::123456789012:role/r'}\n";
  }

  private static RouteMatch match(String yaml) {
    return withRoutes(route("r", yaml)).getSpec().getRoutes().get(0).getMatch();
  }

  @ParameterizedTest(name = "{0} takes the health check: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {pathPatterns: ['/*']}                                       | true
      {pathPatterns: ['/health?']}                                 | true
      {pathPatterns: ['/healthz']}                                 | true
      {pathPatterns: ['/healthz/*']}                               | false
      {pathPatterns: ['/orders/*', '/*z']}                         | true
      {pathPatterns: ['/h.althz']}                                 | false
      {methods: [GET]}                                             | true
      {methods: [POST]}                                            | false
      {methods: [HEAD, POST]}                                      | true
      {pathPatterns: ['/*'], hosts: [api.example.com]}             | false
      {pathPatterns: ['/*'], queryStrings: [{value: x}]}           | false
      {headers: {User-Agent: ['ELB*']}}                            | true
      {headers: {X-Tenant: [a]}}                                   | false
      """)
  void theHealthCheckMustReachSpecLambda(String yaml, boolean takes) {
    assertThat(RouteValidation.takesHealthCheck(match(yaml), "/healthz")).isEqualTo(takes);
  }

  @Test
  void aRouteTakingTheHealthCheckIsNamedByField() {
    LambdaIngress li = withRoutes(route("a", "{hosts: [a.example.com]}") + route("all", "{pathPatterns: ['/*']}"));
    assertThat(RouteValidation.ofSpec(li.getSpec())).singleElement().asString()
        .startsWith("spec.routes[1].match: route all would take the NLB's health check (GET /healthz)");
  }

  @Test
  void headerValuesAndWildcardsAreCountedAsAlbDoes() {
    String six = "{headers: {X-A: [a, b, c, d, e, f]}}";
    assertThat(RouteValidation.ofSpec(withRoutes(route("r", six)).getSpec())).singleElement().asString()
        .contains("spec.routes[0].match.headers.X-A: 1 to 5 values");
    String long129 = "{headers: {X-A: ['" + "a".repeat(129) + "']}}";
    assertThat(RouteValidation.ofSpec(withRoutes(route("r", long129)).getSpec())).singleElement().asString().contains("128 characters");
    String wild = "{pathPatterns: ['/a*'], headers: {X-A: ['*?*', '??']}}";
    assertThat(RouteValidation.wildcards(match(wild))).isEqualTo(6);
    assertThat(RouteValidation.ofSpec(withRoutes(route("r", wild)).getSpec())).singleElement().asString()
        .contains("6 wildcards").contains("ALB allows 5");
  }

  @Test
  void eachManagedFunctionHasOneName() {
    String named = "{pathPatterns: ['/x']}\n      lambda:\n        function: {name: sample, image: {repository: r, tag: t}, "
        + "roleArn: 'arn:aws:iam::123456789012:role/r'}\n";
    LambdaIngress li = withRoutes("    - name: x\n      match: " + named);
    assertThat(RouteValidation.ofSpec(li.getSpec())).singleElement().asString()
        .isEqualTo("spec.routes[0].lambda.function.name: function sample is already spec.lambda's; each managed function belongs to one route");
  }

  @Test
  void routesAreHeldToTheAllowLists() {
    LambdaIngress li = withRoutes(route("r", "{pathPatterns: ['/x']}")
        + "    - name: e\n      match: {pathPatterns: ['/e']}\n      lambda: {functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:other'}\n");
    List<String> problems = RouteValidation.ofAllowLists(li.getSpec(), ArnAllowList.parse("arn:aws:iam::*:role/allowed"),
        ArnAllowList.parse("arn:aws:lambda:*:*:function:existing-*"));
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).startsWith("spec.routes[0].lambda.function.roleArn");
    assertThat(problems.get(1)).startsWith("spec.routes[1].lambda.functionArn");
  }

  @Test
  void aMatchBecomesAlbConditionsComparedInEitherForm() {
    List<RuleCondition> c = RouteModel.conditions(match("{pathPatterns: [/a], hosts: [x.example.com], methods: [GET], "
        + "headers: {X-B: [b], X-A: [a]}, queryStrings: [{key: k, value: v}, {value: w}]}"));
    assertThat(c).extracting(RuleCondition::field)
        .containsExactly("path-pattern", "host-header", "http-request-method", "http-header", "http-header", "query-string");
    // AWS reports host-header and path-pattern also in the legacy Values: the same condition.
    List<RuleCondition> reported = List.of(RuleCondition.builder().field("path-pattern").values("/a").build());
    assertThat(RouteModel.canonical(reported)).isEqualTo(RouteModel.canonical(List.of(c.get(0))));
    assertThat(RouteModel.canonical(c)).contains("query-string:[=w, k=v]", "http-header:[x-a=a]");
  }

  @Test
  void routeNamesFitAwsAndDifferPerRouteAndObject() {
    RouteNames a = RouteNames.of("c", "default", "sample", "orders");
    assertThat(a.targetGroup()).matches("li-orders-[0-9a-f]{8}-rtg").hasSizeLessThanOrEqualTo(32);
    assertThat(a.permissionStatementId()).startsWith("lambda-ingress-");
    assertThat(a.function()).startsWith("li-default-sample-orders-").hasSizeLessThanOrEqualTo(64);
    RouteNames longName = RouteNames.of("c", "default", "sample", "a".repeat(63));
    assertThat(longName.targetGroup()).hasSizeLessThanOrEqualTo(32);
    assertThat(longName.function()).hasSizeLessThanOrEqualTo(64);
    assertThat(RouteNames.of("c", "default", "other", "orders").targetGroup()).isNotEqualTo(a.targetGroup());
    assertThat(RouteNames.of("c", "default", "sample", "users").permissionStatementId()).isNotEqualTo(a.permissionStatementId());
  }

  @Test
  void aRoutesFunctionCarriesTheObjectsTagsAndTheHealthPath() {
    RouteModel r = RouteModel.of(withRoutes(route("orders", "{pathPatterns: ['/o']}")), "c").get(0);
    assertThat(r.function().orElseThrow().template().tags()).containsEntry(ChainModel.TAG_NAME, "sample").containsEntry("team", "payments");
    assertThat(r.function().orElseThrow().template().environment().variables()).containsEntry(ChainModel.HEALTH_PATH_ENV, "/healthz");
    assertThat(r.ruleTags()).containsEntry(RouteModel.TAG_ROUTE, "orders").containsEntry(ChainModel.TAG_CLUSTER, "c");
    assertThat(r.targetGroupAttributes()).containsEntry("lambda.multi_value_headers.enabled", "false");
    assertThat(RouteModel.of(ChainModelTest.parse(ChainModelTest.ARTICLE), "c")).isEmpty();
  }

  @Test
  void onTheSecondAlbSideARouteHasItsOwnGroupsAndStatementAndTheSameFunctionAndRule() {
    RouteModel first = RouteModel.of(withRoutes(route("orders", "{pathPatterns: ['/o']}")), "c").get(0);
    assertThat(first.inSlot(AlbSlot.FIRST)).isSameAs(first);
    RouteModel second = first.inSlot(AlbSlot.SECOND);
    assertThat(second.names()).isEqualTo(first.names().second());
    assertThat(second.targetGroup(false).name()).isEqualTo(first.names().second().targetGroup());
    assertThat(second.targetGroup(true).name()).isEqualTo(first.names().second().aliasTargetGroup());
    assertThat(second.targetGroup(false).toBuilder().name(first.targetGroup(false).name()).build()).isEqualTo(first.targetGroup(false));
    assertThat(second.names().permissionStatementId()).isEqualTo(first.names().permissionStatementId() + "-2");
    assertThat(second.function()).isEqualTo(first.function());
    assertThat(second.conditions()).isEqualTo(first.conditions());
    assertThat(second.ruleTags()).isEqualTo(first.ruleTags());
    assertThat(second.targetGroupAttributes()).isEqualTo(first.targetGroupAttributes());
  }
}
