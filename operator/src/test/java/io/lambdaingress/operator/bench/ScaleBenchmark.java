package io.lambdaingress.operator.bench;

import io.lambdaingress.operator.EventQueueSettings;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalEventQueue;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator at scale, against the running local world (dev/bench-scale.sh brings it up): for each N,
 * N article stacks applied at once, the seconds until all are Ready, then the AWS read calls that one full
 * resync period of steady state costs (each object is reconciled once per period), per operation.
 *
 * <p>With {@code --faults}, the same N objects under injected AWS faults instead ({@link FaultsUnderLoad}); with
 * {@code --routes}, objects with routes instead ({@link RoutesBenchmark}).
 *
 * <p>A benchmark, not a test: it prints numbers and asserts nothing. moto answers in about a millisecond
 * where AWS takes tens, so the seconds are a floor; the call counts are what carries over to AWS.
 */
public final class ScaleBenchmark {

  private static final int PERIODS = 3;

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    boolean faults = false;
    boolean routes = false;
    for (String a : args.length == 0 ? new String[] {"1", "10", "50"} : args) {
      if (a.equals("--faults")) {
        faults = true;
      } else if (a.equals("--routes")) {
        routes = true;
      } else if (a.equals("--queue")) {
        System.setProperty("queue", "true");
      } else {
        sizes.add(Integer.parseInt(a));
      }
    }
    Duration resync = Duration.ofSeconds(Long.parseLong(System.getProperty("resync", "20")));
    LocalWorld world = LocalWorld.running();
    ArticlePrerequisites pre = ArticlePrerequisites.create(world.awsRegion());
    if (routes) {
      RoutesBenchmark.run(world, pre, resync);
      System.exit(0);
    }
    if (faults) {
      FaultsUnderLoad.run(world, pre, sizes.isEmpty() ? List.of(50) : sizes, resync, Long.getLong("seed", 42),
          Double.parseDouble(System.getProperty("lostAnswers", "0.5")));
      System.exit(0);
    }
    boolean queue = Boolean.getBoolean("queue");
    EventQueueSettings events = queue ? LocalEventQueue.create(EventQueueSettings.DEFAULT_FULL_VERIFICATION_PERIODS) : EventQueueSettings.NONE;
    // With the queue, one full verification every k-th period: count k periods (at least PERIODS) and divide.
    int periods = Math.max(PERIODS, events.fullVerificationPeriods());
    HeapAfterGc heap = HeapAfterGc.start();
    System.out.printf("queue: %s, resync %d s, full verification every %s, heap max %d MiB%n", queue ? events.queueUrl() : "none",
        resync.toSeconds(), events.verificationInterval(resync), Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("%-6s %-16s %-22s %-14s %-12s %-16s %-15s %s%n", "N", "apply->Ready s", "reads per period", "reads/object",
        "repair s", "heap after GC", "metric series", "reads per period by call");
    for (int n : sizes) {
      // The operator's metrics as /metrics serves them (less lambdaingress_aws_calls, which OperatorEndpoints adds:
      // one series per AWS action), to count the series at N objects.
      var metrics = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
      try (OperatorHarness operator = OperatorHarness.startWithEventQueue(world, resync, 1, events, metrics)) {
        String ns = operator.namespace(0);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          operator.apply(stack(pre, ns, i));
        }
        for (int i = 0; i < n; i++) {
          operator.awaitReady(ns, "s" + i, Duration.ofMinutes(15));
        }
        double readySeconds = (System.nanoTime() - start) / 1e9;

        // Steady state: let the creation's follow-up reconciles pass, then count the periods and divide. One
        // period alone is sliced arbitrarily: objects reconciled together (a wave) take seconds on a busy
        // machine, and a window of exactly one period may cut through the wave.
        Thread.sleep(resync.toMillis() + 2000);
        Map<String, Long> before = operator.awsCalls().snapshot();
        Thread.sleep(resync.toMillis() * periods);
        Map<String, Long> delta = delta(before, operator.awsCalls().snapshot());
        double reads = AwsCallCounter.reads(delta) / (double) periods;

        double repair = OutOfBandChange.secondsToRepair(operator, ns, "s0", events.verificationInterval(resync).multipliedBy(2).plusSeconds(30));
        long series = metrics.scrape().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        System.out.printf("%-6d %-16.1f %-22.1f %-14.2f %-12.1f %-16s %-15d %s%n", n, readySeconds, reads, reads / n, repair,
            heap.peakMiB() + " MiB", series, top(delta, periods));

        for (int i = 0; i < n; i++) {
          operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("s" + i).delete();
        }
        for (int i = 0; i < n; i++) {
          operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("s" + i)
              .waitUntilCondition(r -> r == null, 10, java.util.concurrent.TimeUnit.MINUTES);
        }
      }
    }
    LocalEventQueue.delete(events);
    System.exit(0);
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach((k, v) -> {
      long diff = v - before.getOrDefault(k, 0L);
      if (diff > 0) {
        d.put(k, diff);
      }
    });
    return d;
  }

  /**
   * The article stack number i. Static IPs 10.20.0.10 .. 10.20.0.249 for the first 240 (the NLB's subnet is
   * a /24); the others get their address from AWS (the same chain otherwise).
   */
  static String stack(ArticlePrerequisites pre, String ns, int i) {
    String yaml = pre.articleStack(ns, "s" + i);
    return i < 240 ? yaml.replace("10.20.0.10", "10.20.0." + (10 + i)) : yaml.replaceAll("(?m)^\\s*privateIPv4Address: 10\\.20\\.0\\.10\\s*$\\R", "");
  }

  private static String top(Map<String, Long> delta, int periods) {
    return delta.entrySet().stream().filter(e -> AwsCallCounter.isRead(e.getKey()))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> e.getKey().substring(e.getKey().indexOf(':') + 1) + "=" + String.format("%.1f", e.getValue() / (double) periods))
        .toList().toString();
  }
}
