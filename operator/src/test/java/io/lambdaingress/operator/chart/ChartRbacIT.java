package io.lambdaingress.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's ServiceAccount and RBAC applied for real in fresh namespaces, and what that identity may do
 * asked of the API server itself (SubjectAccessReview, and impersonated calls): allowed what the operator
 * needs, refused secrets and everything else. Then the operator jar runs with that ServiceAccount's token
 * and the Deployment's environment, and converges, finalizes and deletes a LambdaIngress: the RBAC is enough.
 */
@WithLocalWorld
class ChartRbacIT {

  private static final String GROUP = "lambdaingress.io";

  @Test
  void watchedNamespacesInstallGrantsExactlyTheOperatorsNeedsAndTheOperatorRunsUnderIt(LocalWorld world) throws Exception {
    try (KubernetesClient admin = world.adminClient()) {
      OperatorHarness.installCrds(admin);
      String release = ChartDryRunIT.createNamespace(admin, "chart-rel", Map.of());
      String app = ChartDryRunIT.createNamespace(admin, "chart-app", Map.of());
      String other = ChartDryRunIT.createNamespace(admin, "chart-other", Map.of());
      String cluster = LocalWorld.uniqueName("chart");
      List<HasMetadata> objects = ChartRender.withRequiredValues().set("clusterName", cluster)
          .set("resyncPeriodSeconds", 10).set("watchNamespaces[0]", app).release("li", release).typedObjects();
      applyIdentityAndRbac(admin, objects);
      String user = "system:serviceaccount:" + release + ":" + serviceAccount(objects).getMetadata().getName();
      Identity sa = new Identity(admin, user, release);

      // What the operator needs, in the watched namespace and (Lease) in its own.
      for (String verb : List.of("get", "list", "watch", "patch", "update")) {
        sa.assertAllowed(verb, GROUP, "lambdaingresses", null, app, null);
      }
      for (String verb : List.of("get", "patch", "update")) {
        sa.assertAllowed(verb, GROUP, "lambdaingresses", "status", app, null);
      }
      sa.assertAllowed("update", GROUP, "lambdaingresses", "finalizers", app, null);
      sa.assertAllowed("create", "", "events", null, app, null);
      sa.assertAllowed("patch", "", "events", null, app, null);
      sa.assertAllowed("get", "", "events", null, app, null);
      sa.assertAllowed("create", "coordination.k8s.io", "leases", null, release, null);
      sa.assertAllowed("get", "coordination.k8s.io", "leases", null, release, "lambda-ingress-operator");
      sa.assertAllowed("update", "coordination.k8s.io", "leases", null, release, "lambda-ingress-operator");
      sa.assertAllowed("patch", "coordination.k8s.io", "leases", null, release, "lambda-ingress-operator");

      // Nothing else: no secrets anywhere, no other namespace, no cluster-wide reads, no deletes, no CRDs.
      for (String ns : new String[] {app, release, other, null}) {
        sa.assertDenied("get", "", "secrets", null, ns, null);
        sa.assertDenied("list", "", "secrets", null, ns, null);
        sa.assertDenied("watch", "", "secrets", null, ns, null);
      }
      sa.assertDenied("list", GROUP, "lambdaingresses", null, other, null);
      sa.assertDenied("list", GROUP, "lambdaingresses", null, null, null);
      sa.assertDenied("delete", GROUP, "lambdaingresses", null, app, null);
      sa.assertDenied("create", GROUP, "lambdaingresses", null, app, null);
      sa.assertDenied("patch", GROUP, "lambdaingresses", "status", other, null);
      sa.assertDenied("create", "", "events", null, other, null);
      sa.assertDenied("get", "", "configmaps", null, app, null);
      sa.assertDenied("create", "coordination.k8s.io", "leases", null, app, null);
      sa.assertDenied("patch", "coordination.k8s.io", "leases", null, release, "someone-elses-lease");
      sa.assertDenied("get", "apiextensions.k8s.io", "customresourcedefinitions", null, null, "lambdaingresses." + GROUP);

      // The same, as real calls made with the ServiceAccount's identity (impersonation).
      admin.secrets().inNamespace(app).resource(new SecretBuilder().withNewMetadata().withName("db-password").endMetadata()
          .addToStringData("password", "hunter2").build()).create();
      try (KubernetesClient asSa = sa.impersonating(world)) {
        assertThat(asSa.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(app).list().getItems()).isEmpty();
        assertForbidden(() -> asSa.secrets().inNamespace(app).withName("db-password").get());
        assertForbidden(() -> asSa.secrets().inNamespace(app).list());
        assertForbidden(() -> asSa.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(other).list());
      }

      runTheOperatorAsTheServiceAccount(world, admin, objects, release, app, cluster);
    }
  }

  @Test
  void allNamespacesInstallGrantsTheOperatorsResourcesEverywhereButNoSecrets(LocalWorld world) {
    try (KubernetesClient admin = world.adminClient()) {
      OperatorHarness.installCrds(admin);
      String release = ChartDryRunIT.createNamespace(admin, "chart-rel", Map.of());
      String anyNs = ChartDryRunIT.createNamespace(admin, "chart-any", Map.of());
      // Cluster-scoped names carry the release name: unique, so parallel runs never share them.
      List<HasMetadata> objects = ChartRender.withRequiredValues().release(LocalWorld.uniqueName("li"), release).typedObjects();
      try {
        applyIdentityAndRbac(admin, objects);
        Identity sa = new Identity(admin, "system:serviceaccount:" + release + ":" + serviceAccount(objects).getMetadata().getName(), release);
        for (String ns : new String[] {null, anyNs, "default"}) {
          sa.assertAllowed("list", GROUP, "lambdaingresses", null, ns, null);
          sa.assertAllowed("watch", GROUP, "lambdaingresses", null, ns, null);
          sa.assertAllowed("patch", GROUP, "lambdaingresses", "status", ns, null);
          sa.assertAllowed("update", GROUP, "lambdaingresses", "finalizers", ns, null);
          sa.assertAllowed("create", "", "events", null, ns, null);
          sa.assertDenied("get", "", "secrets", null, ns, null);
          sa.assertDenied("list", "", "secrets", null, ns, null);
          sa.assertDenied("delete", GROUP, "lambdaingresses", null, ns, null);
        }
        sa.assertAllowed("create", "coordination.k8s.io", "leases", null, release, null);
        sa.assertDenied("create", "coordination.k8s.io", "leases", null, anyNs, null);
        sa.assertDenied("list", "apiextensions.k8s.io", "customresourcedefinitions", null, null, null);
        sa.assertDenied("list", "", "namespaces", null, null, null);
      } finally {
        objects.stream().filter(o -> o instanceof ClusterRole || o instanceof ClusterRoleBinding).forEach(o -> admin.resource(o).delete());
      }
    }
  }

  /**
   * The operator jar with the rendered Deployment's environment (POD_NAMESPACE resolved as the downward API
   * would) and a kubeconfig holding only a token of the chart's ServiceAccount: it takes the Lease, adds its
   * finalizer, writes status and Events, converges the article's stack, and on deletion removes the chain
   * and its finalizer. Its log has no "forbidden".
   */
  private static void runTheOperatorAsTheServiceAccount(LocalWorld world, KubernetesClient admin, List<HasMetadata> objects,
      String release, String app, String cluster) throws Exception {
    ServiceAccount sa = serviceAccount(objects);
    String token = admin.serviceAccounts().inNamespace(release).withName(sa.getMetadata().getName())
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    Path kubeconfig = writeKubeconfig(admin.getConfiguration(), token, release);

    Map<String, String> env = new LinkedHashMap<>();
    Container container = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow()
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    for (EnvVar e : container.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if ("metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(e.getName(), release);
      }
    }
    assertThat(env).containsKeys("LAMBDA_INGRESS_LEADER_ELECTION", "POD_NAMESPACE", "LAMBDA_INGRESS_WATCH_NAMESPACES");
    env.put("LAMBDA_INGRESS_HTTP_PORT", "0"); // several operators may run on this machine at once
    env.put("KUBECONFIG", kubeconfig.toString());

    ArticlePrerequisites pre = ArticlePrerequisites.create(world.awsRegion());
    Path log = LocalWorld.repoRoot().resolve("operator/target/operator-process-" + app + ".log");
    try (OperatorProcess operator = OperatorProcess.start(world, cluster, app, 10, env)) {
      String yaml = pre.articleStack(app, "rbac").replace("10.20.0.10", "10.20.0.230");
      admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(app)
          .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
      awaitReady(admin, app, "rbac");
      var li = admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(app).withName("rbac").get();
      assertThat(li.getMetadata().getFinalizers()).as("finalizer added by the operator").isNotEmpty();
      var lease = admin.leases().inNamespace(release).withName("lambda-ingress-operator").get().getSpec();
      assertThat(lease.getHolderIdentity()).as("the Lease in the release namespace").isNotBlank();
      // The leader renews its Lease (fabric8's LeaseLock patches it every retry period): the RBAC allows that too.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(admin.leases().inNamespace(release).withName("lambda-ingress-operator").get().getSpec().getRenewTime())
              .as("Lease renewed").isAfter(lease.getRenewTime()));
      assertThat(admin.v1().events().inNamespace(app).list().getItems())
          .as("Events written by the operator").anySatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("rbac"));

      admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(app).withName("rbac").delete();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(app).withName("rbac").get())
              .as("deleted: the chain removed and the finalizer taken off").isNull());
      assertThat(operator.alive()).isTrue();
    }
    assertThat(Files.readString(log)).as("operator log " + log).doesNotContainIgnoringCase("forbidden");
  }

  /** The ServiceAccount and the RBAC objects, applied for real (server-side apply, as helm would create them). */
  private static void applyIdentityAndRbac(KubernetesClient admin, List<HasMetadata> objects) {
    List<HasMetadata> identity = objects.stream().filter(o -> o instanceof ServiceAccount || o instanceof Role || o instanceof RoleBinding
        || o instanceof ClusterRole || o instanceof ClusterRoleBinding).toList();
    assertThat(identity).isNotEmpty();
    identity.forEach(o -> admin.resource(o).fieldManager("helm").forceConflicts().serverSideApply());
  }

  private static ServiceAccount serviceAccount(List<HasMetadata> objects) {
    return objects.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast).findFirst().orElseThrow();
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  private static Path writeKubeconfig(Config admin, String token, String name) throws Exception {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: operator
          user:
            token: %s
        contexts:
        - name: operator
          context: {cluster: local, user: operator}
        current-context: operator
        """.formatted(admin.getMasterUrl(), admin.getCaCertData(), token);
    Path file = LocalWorld.repoRoot().resolve("operator/target/chart-rbac/" + name + ".kubeconfig");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  @SuppressWarnings("unchecked")
  private static void awaitReady(KubernetesClient client, String ns, String name) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      var r = client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).get();
      var status = (Map<String, Object>) r.getAdditionalProperties().get("status");
      assertThat(status).as("status of " + ns + "/" + name).isNotNull();
      assertThat((List<Map<String, Object>>) status.get("conditions"))
          .anySatisfy(c -> assertThat(c).containsEntry("type", "Ready").containsEntry("status", "True"));
    });
  }

  /** One identity as the API server authenticates a pod's ServiceAccount token: user and groups. */
  private record Identity(KubernetesClient admin, String user, String saNamespace) {

    List<String> groups() {
      return List.of("system:serviceaccounts", "system:serviceaccounts:" + saNamespace, "system:authenticated");
    }

    void assertAllowed(String verb, String group, String resource, String subresource, String namespace, String name) {
      assertThat(review(verb, group, resource, subresource, namespace, name).getStatus().getAllowed())
          .as(describe("may", verb, group, resource, subresource, namespace, name)).isTrue();
    }

    void assertDenied(String verb, String group, String resource, String subresource, String namespace, String name) {
      assertThat(review(verb, group, resource, subresource, namespace, name).getStatus().getAllowed())
          .as(describe("may not", verb, group, resource, subresource, namespace, name)).isFalse();
    }

    private SubjectAccessReview review(String verb, String group, String resource, String subresource, String namespace, String name) {
      return admin.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder().withNewSpec()
          .withUser(user).withGroups(groups())
          .withNewResourceAttributes().withVerb(verb).withGroup(group).withResource(resource).withSubresource(subresource)
          .withNamespace(namespace).withName(name).endResourceAttributes()
          .endSpec().build());
    }

    private String describe(String may, String verb, String group, String resource, String subresource, String namespace, String name) {
      return user + " " + may + " " + verb + " " + (group.isEmpty() ? "" : group + "/") + resource
          + (subresource == null ? "" : "/" + subresource) + (name == null ? "" : " " + name)
          + (namespace == null ? " in all namespaces" : " in " + namespace);
    }

    /** A client that impersonates this identity (the admin may impersonate). */
    KubernetesClient impersonating(LocalWorld world) {
      Config config = new ConfigBuilder(world.kubeConfig()).withImpersonateUsername(user)
          .withImpersonateGroups(groups().toArray(String[]::new)).build();
      return new KubernetesClientBuilder().withConfig(config).build();
    }
  }
}
