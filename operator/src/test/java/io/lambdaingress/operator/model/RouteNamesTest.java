package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteNamesTest {

  @ParameterizedTest
  @CsvSource({
      "prod, default, sample, orders",
      "prod, a-very-long-namespace-name, an-equally-long-object-name, a-route-name-that-goes-on-and-on-and-on",
  })
  void theFunctionsAndTheAliasesGroupsFitAwsRulesAndDiffer(String cluster, String namespace, String name, String route) {
    RouteNames n = RouteNames.of(cluster, namespace, name, route);
    for (String tg : new String[] {n.targetGroup(), n.aliasTargetGroup()}) {
      assertThat(tg).hasSizeLessThanOrEqualTo(32).matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    }
    assertThat(n.targetGroup()).endsWith("-rtg");
    assertThat(n.aliasTargetGroup()).endsWith("-rta").isEqualTo(n.targetGroup().replaceAll("-rtg$", "-rta"));
  }
}
