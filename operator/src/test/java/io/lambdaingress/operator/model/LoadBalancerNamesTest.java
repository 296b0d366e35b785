package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LoadBalancerNamesTest {

  private static List<String> elbNames(LoadBalancerNames n) {
    return List.of(n.nlb(), n.alb(), n.albTargetGroup(), n.lambdaTargetGroup(), n.lambdaAliasTargetGroup(), n.albHttpsTargetGroup());
  }

  @ParameterizedTest
  @CsvSource({
      "prod, default, sample",
      "prod, a-very-long-namespace-name-that-goes-on-and-on, an-equally-long-object-name-for-good-measure-x",
      "c, internal, internal",
      "c, -x-, --y--",
      "c, UPPER.case_ns, Name.With.Dots",
  })
  void namesFitAwsRules(String cluster, String namespace, String name) {
    LoadBalancerNames n = LoadBalancerNames.of(cluster, namespace, name);
    for (String elb : elbNames(n)) {
      assertThat(elb).hasSizeLessThanOrEqualTo(32).matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$").doesNotStartWith("internal-");
    }
    assertThat(n.function()).hasSizeLessThanOrEqualTo(64).matches("^[A-Za-z0-9_-]+$");
    assertThat(n.permissionStatementId()).matches("^[A-Za-z0-9_-]{1,100}$");
    LoadBalancerNames second = n.second();
    for (String elb : elbNames(second)) {
      assertThat(elb).hasSizeLessThanOrEqualTo(32).matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$").doesNotStartWith("internal-");
    }
    assertThat(second.permissionStatementId()).matches("^[A-Za-z0-9_-]{1,100}$");
  }

  @Test
  void theSecondAlbSideHasNamesOfItsOwnAndSharesTheNlbAndFunction() {
    LoadBalancerNames n = LoadBalancerNames.of("prod", "default", "sample");
    LoadBalancerNames second = n.second();
    assertThat(second.nlb()).isEqualTo(n.nlb());
    assertThat(second.function()).isEqualTo(n.function());
    Set<String> all = new HashSet<>(elbNames(n));
    all.addAll(elbNames(second));
    assertThat(all).hasSize(11);
    assertThat(second.alb()).endsWith("-ab2").hasSameSizeAs(n.alb());
    assertThat(second.albHttpsTargetGroup()).endsWith("-ah2").hasSameSizeAs(n.albHttpsTargetGroup());
    assertThat(second.permissionStatementId()).isEqualTo(n.permissionStatementId() + "-2");
    assertThat(n.second()).isEqualTo(second);
  }

  @Test
  void namesAreDeterministicAndKeepTheirRoleReadable() {
    LoadBalancerNames a = LoadBalancerNames.of("prod", "default", "sample");
    assertThat(LoadBalancerNames.of("prod", "default", "sample")).isEqualTo(a);
    assertThat(a.nlb()).startsWith("li-default-sample-").endsWith("-nlb");
    assertThat(a.alb()).endsWith("-alb");
    assertThat(a.albTargetGroup()).endsWith("-atg");
    assertThat(a.lambdaTargetGroup()).endsWith("-ltg");
    assertThat(a.lambdaAliasTargetGroup()).endsWith("-lta");
  }

  @Test
  void namesThatReadTheSameDoNotCollide() {
    // "default/a-b" and "default-a/b" sanitize to the same readable part; the hash keeps them apart.
    LoadBalancerNames one = LoadBalancerNames.of("prod", "default", "a-b");
    LoadBalancerNames two = LoadBalancerNames.of("prod", "default-a", "b");
    LoadBalancerNames otherCluster = LoadBalancerNames.of("staging", "default", "a-b");
    assertThat(elbNames(one)).doesNotContainAnyElementsOf(elbNames(two)).doesNotContainAnyElementsOf(elbNames(otherCluster));
    assertThat(one.function()).isNotEqualTo(two.function()).isNotEqualTo(otherCluster.function());
    assertThat(one.permissionStatementId()).isNotEqualTo(two.permissionStatementId());
  }

  @Test
  void longNamesAreCutButKeepTheHash() {
    LoadBalancerNames n = LoadBalancerNames.of("c", "n".repeat(63), "x".repeat(253));
    String hash = LoadBalancerNames.hash("c/" + "n".repeat(63) + "/" + "x".repeat(253));
    assertThat(n.nlb()).hasSize(32).contains(hash);
    assertThat(n.function()).hasSize(64).endsWith(hash);
  }

  /**
   * Random Kubernetes names from a tiny alphabet, so that readable parts coincide and get cut alike: every
   * name still follows AWS's rules and no two objects share one. (A collision that slipped through would
   * not be adopted silently: the owner tags would not match and the object would report NameConflict.)
   */
  @Test
  void manyObjectsWithLookalikeNamesGetValidDistinctNames() {
    Random random = new Random(20240601);
    Set<String> objects = new HashSet<>();
    Set<String> taken = new HashSet<>();
    Set<String> functions = new HashSet<>();
    while (objects.size() < 5000) {
      String namespace = dnsName(random, 1 + random.nextInt(63), "ab-");
      String name = dnsName(random, 1 + random.nextInt(253), "ab-.");
      if (!objects.add(namespace + "/" + name)) {
        continue;
      }
      LoadBalancerNames n = LoadBalancerNames.of("prod", namespace, name);
      for (String elb : elbNames(n)) {
        assertThat(elb).hasSizeLessThanOrEqualTo(32).matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
        assertThat(taken.add(elb)).as("%s of %s/%s is unique", elb, namespace, name).isTrue();
      }
      assertThat(n.function()).hasSizeLessThanOrEqualTo(64).matches("^[A-Za-z0-9_-]+$");
      assertThat(functions.add(n.function())).as("function of %s/%s is unique", namespace, name).isTrue();
    }
  }

  /** A name Kubernetes accepts: alphanumeric at both ends, the alphabet in between. */
  private static String dnsName(Random random, int length, String alphabet) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      boolean end = i == 0 || i == length - 1;
      String from = end ? "ab" : alphabet;
      b.append(from.charAt(random.nextInt(from.length())));
    }
    return b.toString();
  }
}
