package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
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
import org.junit.jupiter.api.Test;

/**
 * Two operator processes against one API server, as the Deployment's two replicas: one Lease, one leader
 * reconciling; the leader killed, the other takes over and converges an object applied afterwards. Also the
 * HTTP side the Deployment probes and Prometheus scrapes.
 */
@WithLocalWorld
class LeaderElectionIT {

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItIsKilled(LocalWorld world) throws Exception {
    try (KubernetesClient client = world.adminClient()) {
      OperatorHarness.installCrds(client);
      String ns = LocalWorld.uniqueName("lease");
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      ArticlePrerequisites pre = ArticlePrerequisites.create(world.awsRegion());
      String cluster = LocalWorld.uniqueName("lease");
      Map<String, String> env = Map.of("LAMBDA_INGRESS_LEADER_ELECTION", "true", "POD_NAMESPACE", ns);

      try (OperatorProcess a = OperatorProcess.start(world, cluster, ns, 5, env);
          OperatorProcess b = OperatorProcess.start(world, cluster, ns, 5, env)) {
        apply(client, pre.articleStack(ns, "first").replace("10.20.0.10", "10.20.0.200"));
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

        leader.killAfterWrites(0, 5);
        assertThat(leader.alive()).isFalse();
        int standbyWritesBefore = standby.writes();
        apply(client, pre.articleStack(ns, "second").replace("10.20.0.10", "10.20.0.201"));
        // The Lease must expire (15 s by default) before the standby may lead.
        awaitReady(client, ns, "second");
        assertThat(standby.writes()).isGreaterThan(standbyWritesBefore);
      }
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
