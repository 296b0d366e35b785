package io.lambdaingress.operator.bench;

import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Routes at scale ({@code dev/bench-scale.sh --routes}): one object with 20 routes, then 10 objects with 5
 * routes each; seconds until all are Ready, and the AWS reads of one resync period in steady state, per
 * object and per route. Like {@link ScaleBenchmark}: numbers, no assertions; moto's seconds are a floor.
 */
final class RoutesBenchmark {

  private static final int PERIODS = 3;

  private RoutesBenchmark() {}

  static void run(LocalWorld world, ArticlePrerequisites pre, Duration resync) throws Exception {
    System.out.printf("%-14s %-16s %-20s %-16s %-16s %s%n", "objects x routes", "apply->Ready s", "reads per resync",
        "reads/object", "reads/route", "reads per resync by call");
    for (int[] shape : List.of(new int[] {1, 20}, new int[] {10, 5})) {
      int objects = shape[0];
      int routes = shape[1];
      try (OperatorHarness operator = OperatorHarness.start(world, resync, 1)) {
        String ns = operator.namespace(0);
        long start = System.nanoTime();
        for (int i = 0; i < objects; i++) {
          operator.apply(withRoutes(pre, ns, "r" + i, routes).replace("10.20.0.10", "10.20.0." + (70 + i)));
        }
        for (int i = 0; i < objects; i++) {
          operator.awaitReady(ns, "r" + i, Duration.ofMinutes(15));
        }
        double readySeconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(resync.toMillis() + 2000);
        Map<String, Long> before = operator.awsCalls().snapshot();
        Thread.sleep(resync.toMillis() * PERIODS);
        Map<String, Long> delta = new TreeMap<>();
        operator.awsCalls().snapshot().forEach((k, v) -> {
          long d = v - before.getOrDefault(k, 0L);
          if (d > 0 && AwsCallCounter.isRead(k)) {
            delta.put(k.substring(k.indexOf(':') + 1), d);
          }
        });
        double reads = delta.values().stream().mapToLong(Long::longValue).sum() / (double) PERIODS;
        System.out.printf("%-16s %-16.1f %-20.1f %-16.1f %-16.1f %s%n", objects + " x " + routes, readySeconds, reads, reads / objects,
            reads / (objects * routes), perPeriod(delta));
        for (int i = 0; i < objects; i++) {
          operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("r" + i).delete();
        }
        for (int i = 0; i < objects; i++) {
          operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("r" + i)
              .waitUntilCondition(r -> r == null, 10, java.util.concurrent.TimeUnit.MINUTES);
        }
      }
    }
  }

  private static Map<String, String> perPeriod(Map<String, Long> totals) {
    Map<String, String> out = new TreeMap<>();
    totals.forEach((k, v) -> out.put(k, String.format("%.1f", v / (double) PERIODS)));
    return out;
  }

  /** The article stack with {@code n} routes, each a managed function on its own path. */
  static String withRoutes(ArticlePrerequisites pre, String ns, String name, int n) {
    StringBuilder routes = new StringBuilder("  routes:\n");
    for (int r = 0; r < n; r++) {
      routes.append("    - name: p").append(r).append("\n      match: {pathPatterns: [\"/p").append(r).append("/*\"]}\n")
          .append("      lambda:\n        function:\n          image: {repository: ").append(pre.repository())
          .append(", tag: latest}\n          roleArn: ").append(pre.roleArn()).append("\n");
    }
    return pre.articleStack(ns, name).replace("  tags:\n", routes + "  tags:\n");
  }
}
