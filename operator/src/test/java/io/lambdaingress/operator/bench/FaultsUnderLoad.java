package io.lambdaingress.operator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsFaultProxy;
import io.lambdaingress.operator.testing.AwsFaultProxy.Chaos;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.OwnedChain;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The scale benchmark's {@code --faults} mode: N article stacks applied at once to the operator process
 * while every AWS call it makes goes through {@link AwsFaultProxy} with seeded random faults — 20 %
 * throttling, 5 % 5xx (by default half of them after AWS applied the call, so the answer is lost), 1 % of calls held
 * 1 second. Prints the seconds until all are Ready, whether each chain is exactly one of everything and
 * tagged (the crash table's criteria, {@link OwnedChain#problems()}), the seconds until all are deleted,
 * and what is left with the run's owner tags. The checks read AWS directly, not through the proxy.
 */
final class FaultsUnderLoad {

  static final double THROTTLE = 0.20;
  static final double SERVER_ERROR = 0.05;
  static final double SPIKE = 0.01;
  static final long SPIKE_MILLIS = 1000;
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  private FaultsUnderLoad() {}

  /**
   * @param lostAnswers the share of the 5xx answered after AWS applied the call. Until the test world's AWS
   *     rules layer makes creates idempotent as AWS does (CreateLoadBalancer, CreateTargetGroup and
   *     CreateListener return the existing resource for the same settings; AddPermission refuses a taken
   *     statement id), an SDK retry of a create whose answer was lost makes moto create a second one.
   */
  static void run(LocalWorld world, ArticlePrerequisites pre, List<Integer> sizes, Duration resync, long seed, double lostAnswers)
      throws Exception {
    System.out.printf("faults: seed %d, %.0f %% throttling, %.0f %% 5xx (%.0f %% of them after AWS applied the call), %.0f %% of calls +%d ms;"
        + " resync %d s%n", seed, THROTTLE * 100, SERVER_ERROR * 100, lostAnswers * 100, SPIKE * 100, SPIKE_MILLIS, resync.toSeconds());
    System.out.printf("%-5s %-15s %-10s %-22s %-15s %-15s %-8s %s%n", "N", "apply->Ready s", "Ready", "objects with problems",
        "delete->gone s", "resources left", "calls", "faults injected");
    try (KubernetesClient client = world.adminClient(); ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create();
        LambdaClient lambda = LambdaClient.create()) {
      OperatorHarness.installCrds(client);
      for (int n : sizes) {
        String ns = LocalWorld.uniqueName("faults");
        String cluster = LocalWorld.uniqueName("faults");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (AwsFaultProxy proxy = new AwsFaultProxy(world.awsEndpoint());
            OperatorProcess operator = OperatorProcess.start(world, cluster, ns, (int) resync.toSeconds(),
                Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString(), "LOG_LEVEL", System.getProperty("operatorLogLevel", "WARN")))) {
          proxy.chaos(new Chaos(seed, THROTTLE, SERVER_ERROR, lostAnswers, SPIKE, SPIKE_MILLIS));
          long start = System.nanoTime();
          for (int i = 0; i < n; i++) {
            // Static IPs for the first 240 (the NLB's subnet is a /24), as in the scale benchmark.
            String yaml = ScaleBenchmark.stack(pre, ns, i);
            client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns)
                .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
          }
          int ready = awaitAllReady(client, ns, n);
          double readySeconds = (System.nanoTime() - start) / 1e9;

          List<String> problems = new ArrayList<>();
          // One snapshot of the account for all n: a sweep per object made the check take longer than the run.
          AwsInventory.Snapshot account = AwsInventory.Snapshot.read(elb);
          for (int i = 0; i < n; i++) {
            String name = "s" + i;
            OwnedChain.read(elb, lambda, cluster, ns, name, name + "-" + ns, null, account).problems()
                .forEach(p -> problems.add(name + ": " + p));
          }

          problems.addAll(untaggedIn(elb, pre.vpcId(), cluster));

          long deleteStart = System.nanoTime();
          for (int i = 0; i < n; i++) {
            client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("s" + i).delete();
          }
          int gone = awaitAllGone(client, ns, n);
          double deleteSeconds = (System.nanoTime() - deleteStart) / 1e9;
          List<String> left = new ArrayList<>();
          AwsInventory.Snapshot after = AwsInventory.Snapshot.read(elb);
          for (int i = 0; i < n; i++) {
            String name = "s" + i;
            OwnedChain.read(elb, lambda, cluster, ns, name, name + "-" + ns, null, after).leftovers().forEach(l -> left.add(name + ": " + l));
          }
          long objectsWithProblems = problems.stream().map(p -> p.substring(0, p.indexOf(':'))).distinct().count();
          System.out.printf("%-5d %-15.1f %-10s %-22d %-15s %-15d %-8d %d%n", n, readySeconds, ready + "/" + n, objectsWithProblems,
              gone == n ? String.format("%.1f", deleteSeconds) : gone + "/" + n + " gone", left.size(), proxy.calls(), proxy.chaosFaults());
          problems.forEach(p -> System.out.println("  problem: " + p));
          left.forEach(l -> System.out.println("  left: " + l));
        }
      }
    }
  }

  /** Load balancers and target groups in the run's VPC without the run's cluster owner tag: lost tags. */
  private static List<String> untaggedIn(ElasticLoadBalancingV2Client elb, String vpcId, String cluster) {
    List<String> arns = new ArrayList<>();
    elb.describeLoadBalancersPaginator(r -> r.pageSize(400)).loadBalancers().stream().filter(lb -> vpcId.equals(lb.vpcId()))
        .forEach(lb -> arns.add(lb.loadBalancerArn()));
    elb.describeTargetGroupsPaginator(r -> r.pageSize(400)).targetGroups().stream().filter(tg -> vpcId.equals(tg.vpcId()))
        .forEach(tg -> arns.add(tg.targetGroupArn()));
    List<String> untagged = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += 20) {
      List<String> batch = arns.subList(i, Math.min(arns.size(), i + 20));
      AwsInventory.tagDescriptions(elb, batch).stream()
          .filter(d -> d.tags().stream().noneMatch(t -> t.key().equals("lambdaingress.io/cluster") && t.value().equals(cluster)))
          .forEach(d -> untagged.add("untagged in the VPC: " + d.resourceArn()));
    }
    return untagged;
  }

  /** Waits until every object is Ready=True at its generation (or the timeout); returns how many are. */
  private static int awaitAllReady(KubernetesClient client, String ns, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int ready = 0;
    while (System.nanoTime() < deadline) {
      Map<String, Boolean> state = new HashMap<>();
      for (GenericKubernetesResource r : client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).list().getItems()) {
        Map<String, Object> c = OperatorHarness.readyCondition(r);
        state.put(r.getMetadata().getName(), "True".equals(c.get("status")) && c.get("observedGeneration") instanceof Number g
            && g.longValue() == r.getMetadata().getGeneration());
      }
      ready = (int) state.values().stream().filter(b -> b).count();
      if (ready == n) {
        return ready;
      }
      Thread.sleep(500);
    }
    return ready;
  }

  private static int awaitAllGone(KubernetesClient client, String ns, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int left = n;
    while (System.nanoTime() < deadline) {
      left = client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).list().getItems().size();
      if (left == 0) {
        return n;
      }
      Thread.sleep(500);
    }
    return n - left;
  }
}
