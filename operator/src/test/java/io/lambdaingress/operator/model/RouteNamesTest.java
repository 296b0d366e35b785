package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteNamesTest {

  /** cluster, namespace, object, route: a short route and one whose names must be cut to fit. */
  static Stream<Arguments> routes() {
    return Stream.of(Arguments.of("prod", "default", "sample", "orders"), Arguments.of("prod", "a-very-long-namespace-name",
        "an-equally-long-object-name", "a-route-name-that-goes-on-and-on-and-on"));
  }

  @ParameterizedTest
  @MethodSource("routes")
  void theFunctionsAndTheAliasesGroupsFitAwsRulesAndDiffer(String cluster, String namespace, String name, String route) {
    RouteNames n = RouteNames.of(cluster, namespace, name, route);
    for (String tg : new String[] {n.targetGroup(), n.aliasTargetGroup()}) {
      assertThat(tg).hasSizeLessThanOrEqualTo(32).matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    }
    assertThat(n.targetGroup()).endsWith("-rtg");
    assertThat(n.aliasTargetGroup()).endsWith("-rta").isEqualTo(n.targetGroup().replaceAll("-rtg$", "-rta"));
  }

  @ParameterizedTest
  @MethodSource("routes")
  void theSecondAlbSideHasGroupsAndAStatementOfItsOwnAndSharesTheFunction(String cluster, String namespace, String name, String route) {
    RouteNames n = RouteNames.of(cluster, namespace, name, route);
    RouteNames second = n.second();
    for (String tg : new String[] {second.targetGroup(), second.aliasTargetGroup()}) {
      assertThat(tg).hasSizeLessThanOrEqualTo(32).matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    }
    assertThat(second.targetGroup()).endsWith("-rg2").hasSameSizeAs(n.targetGroup())
        .isEqualTo(n.targetGroup().replaceAll("-rtg$", "-rg2"));
    assertThat(second.aliasTargetGroup()).endsWith("-ra2").isEqualTo(n.aliasTargetGroup().replaceAll("-rta$", "-ra2"));
    assertThat(second.permissionStatementId()).isEqualTo(n.permissionStatementId() + "-2").matches("^[A-Za-z0-9_-]{1,100}$");
    assertThat(second.function()).isEqualTo(n.function());
    assertThat(n.second()).isEqualTo(second);
    // None of them is a name of the chain's second side (ab2, ag2, lg2, la2) either.
    LoadBalancerNames chain = LoadBalancerNames.of(cluster, namespace, name).second();
    assertThat(List.of(second.targetGroup(), second.aliasTargetGroup()))
        .doesNotContainAnyElementsOf(List.of(chain.alb(), chain.albTargetGroup(), chain.lambdaTargetGroup(), chain.lambdaAliasTargetGroup()));
  }
}
