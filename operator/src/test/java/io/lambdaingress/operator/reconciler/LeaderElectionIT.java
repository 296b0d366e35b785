package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.Sampler;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Two operator processes against one API server, as the Deployment's two replicas: one Lease, one leader
 * reconciling; the leader killed, the other takes over and converges an object applied afterwards. Also the
 * HTTP side the Deployment probes and Prometheus scrapes.
 *
 * <p>The first object has a canary rollout, and the leader is killed (SIGKILL, no goodbye) while the canary
 * takes step 2's weight: the new leader carries on from the status (step 2's pause is over by the time the
 * Lease expired, so it promotes the version the old leader published), never from step 1 again (a restart
 * of the rollout would show its 10 % and a new start time). The one Lease wait serves both.
 */
// The same (EventsIT): 64 s, mostly waiting for a Lease to expire, among the last to end unordered.
@Order(3)
@WithLocalWorld
class LeaderElectionIT {

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItIsKilled(LocalWorld world) throws Exception {
    try (KubernetesClient client = world.adminClient(); LambdaClient lambda = LambdaClient.create()) {
      OperatorHarness.installCrds(client);
      String ns = LocalWorld.uniqueName("lease");
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      ArticlePrerequisites pre = ArticlePrerequisites.create(world.awsRegion());
      String cluster = LocalWorld.uniqueName("lease");
      Map<String, String> env = Map.of("LAMBDA_INGRESS_LEADER_ELECTION", "true", "POD_NAMESPACE", ns);

      try (OperatorProcess a = OperatorProcess.start(world, cluster, ns, 5, env);
          OperatorProcess b = OperatorProcess.start(world, cluster, ns, 5, env)) {
        String first = pre.articleStack(ns, "first").replace("10.20.0.10", "10.20.0.200");
        String withRollout = first.replace("    multiValueHeaders: false", "      rollout:\n"
            + "        steps:\n"
            + "          - {weight: 10, pauseSeconds: 2}\n"
            + "          - {weight: 50, pauseSeconds: 6}\n"
            + "    multiValueHeaders: false");
        assertThat(withRollout).isNotEqualTo(first);
        apply(client, withRollout);
        awaitReady(client, ns, "first");
        assertThat(client.leases().inNamespace(ns).withName("lambda-ingress-operator").get().getSpec().getHolderIdentity()).isNotBlank();

        // Exactly one of the two wrote to AWS.
        assertThat(List.of(a.writes(), b.writes())).as("AWS writes of each replica").containsOnlyOnce(0);
        OperatorProcess leader = a.writes() > 0 ? a : b;
        OperatorProcess standby = leader == a ? b : a;

        // Both serve probes; the leader's metrics carry reconcile counts and AWS calls per IAM action.
        HttpClient http = HttpClient.newHttpClient();
        for (OperatorProcess p : List.of(leader, standby)) {
          int port = p.httpPort(30);
          assertThat(get(http, port, "/healthz").statusCode()).isEqualTo(200);
          assertThat(get(http, port, "/readyz").statusCode()).isEqualTo(200);
        }
        String metrics = get(http, leader.httpPort(5), "/metrics").body();
        assertThat(metrics).contains("lambdaingress_aws_calls_total{operation=\"CreateLoadBalancer\",service=\"elasticloadbalancing\"}");
        assertThat(metrics).contains("operator_sdk_reconciliations");

        // A new image for the first object, and the leader killed as soon as its status says step 2.
        GenericKubernetesResource settled = awaitRollout(client, ns, r -> "Succeeded".equals(r.get("result")));
        // docs/metrics.md lists each family /metrics has (here: after an object with a rollout became Ready), and no
        // series of the operator SDK names an object (its series do not grow with the number of objects).
        String all = get(http, leader.httpPort(5), "/metrics").body();
        String doc = java.nio.file.Files.readString(LocalWorld.repoRoot().resolve("docs/metrics.md"));
        List<String> families = all.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).sorted().toList();
        assertThat(families).as("/metrics").contains("lambdaingress_aws_calls_total", "lambdaingress_rollout_weight",
            "operator_sdk_reconciliations_started_total", "lambdaingress_objects_not_ready", "lambdaingress_objects_not_ready_longest_seconds");
        assertThat(families).as("families on /metrics missing from docs/metrics.md (all: " + families + ")")
            .allMatch(f -> doc.contains("`" + f + "`"));
        assertThat(all.lines().filter(l -> l.startsWith("operator_sdk_"))).as("operator SDK series")
            .noneMatch(l -> l.contains("\"first\""));
        String stable = (String) AliasWatch.rollout(settled).get("stableVersion");
        String functionName = ((String) ((Map<?, ?>) ((Map<?, ?>) settled.getAdditionalProperties().get("status")).get("lambda"))
            .get("functionArn")).replaceAll(".*:function:", "");
        String digest = pre.pushImage("latest");
        Map<String, Object> atStep2 = AliasWatch.rollout(awaitRollout(client, ns,
            r -> digest.equals(r.get("canaryDigest")) && Integer.valueOf(2).equals(r.get("step"))));
        leader.killAfterWrites(0, 5);
        assertThat(leader.alive()).isFalse();
        String canary = (String) atStep2.get("canaryVersion");
        AliasWatch aliases = AliasWatch.start(lambda, functionName);
        StepWatch steps = StepWatch.start(client, ns);
        assertThat(AliasWatch.weights(lambda, functionName)).isEqualTo(stable + " +" + canary + "@0.5");

        int standbyWritesBefore = standby.writes();
        apply(client, pre.articleStack(ns, "second").replace("10.20.0.10", "10.20.0.201"));
        // The Lease must expire (15 s by default) before the standby may lead.
        awaitReady(client, ns, "second");
        assertThat(standby.writes()).isGreaterThan(standbyWritesBefore);

        GenericKubernetesResource done = awaitRollout(client, ns,
            r -> "Succeeded".equals(r.get("result")) && digest.equals(r.get("stableDigest")));
        aliases.stop();
        steps.stop();
        // The version the old leader published is promoted (no second version of the digest), through no 10 %.
        assertThat(AliasWatch.rollout(done)).containsEntry("stableVersion", canary);
        assertThat(aliases.seen()).containsSubsequence(stable + " +" + canary + "@0.5", canary).noneMatch(w -> w.endsWith("@0.1"));
        // While the canary took traffic the status said step 2 with the old start time, and nothing else.
        assertThat(steps.seen()).containsOnly("2 " + atStep2.get("startedAt"), "0 null");
      }
    }
  }

  private static GenericKubernetesResource awaitRollout(KubernetesClient client, String ns, Predicate<Map<String, Object>> condition) {
    GenericKubernetesResource[] found = new GenericKubernetesResource[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      found[0] = first(client, ns);
      return found[0] != null && condition.test(AliasWatch.rollout(found[0]));
    });
    return found[0];
  }

  private static GenericKubernetesResource first(KubernetesClient client, String ns) {
    return client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("first").get();
  }

  /** Samples the first object's rollout step and start time ("2 2026-…"; "0 null" once settled). */
  private static final class StepWatch extends Sampler {
    private final KubernetesClient client;
    private final String ns;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private StepWatch(KubernetesClient client, String ns) {
      super(100);
      this.client = client;
      this.ns = ns;
    }

    static StepWatch start(KubernetesClient client, String ns) {
      StepWatch w = new StepWatch(client, ns);
      w.begin();
      return w;
    }

    @Override
    protected void sample() {
      Map<String, Object> r = AliasWatch.rollout(first(client, ns));
      seen.add(r.get("step") + " " + r.get("startedAt"));
    }

    Set<String> seen() {
      return Set.copyOf(seen);
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void apply(KubernetesClient client, String yaml) {
    client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
  }

  private static void awaitReady(KubernetesClient client, String ns, String name) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(OperatorHarness.readyCondition(client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES)
            .inNamespace(ns).withName(name).get())).containsEntry("status", "True"));
  }

}
