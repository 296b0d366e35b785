package io.lambdaingress.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's rendered manifests sent to the real kube-apiserver with server-side dry-run: its schema
 * validation, defaulting and admission (Pod Security "restricted" included) accept every object, and
 * nothing is stored. The ServiceMonitor is not sent: its CRD (Prometheus Operator) is not in this world;
 * {@link ChartTest} checks it against the Service it scrapes.
 */
@WithLocalWorld
class ChartDryRunIT {

  @Test
  void everyObjectOfTheAllNamespacesInstallIsAccepted(LocalWorld world) {
    try (KubernetesClient admin = world.adminClient()) {
      String ns = createNamespace(admin, "chart-dry", Map.of());
      ChartRender render = fullyConfigured(ns).release(LocalWorld.uniqueName("dry"), ns);
      List<HasMetadata> objects = render.typedObjects();
      assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("PodDisruptionBudget", "ServiceAccount",
          "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment");
      dryRunEach(admin, objects);
    }
  }

  @Test
  void everyObjectOfTheWatchedNamespacesInstallIsAccepted(LocalWorld world) {
    try (KubernetesClient admin = world.adminClient()) {
      String ns = createNamespace(admin, "chart-dry", Map.of());
      String teamA = createNamespace(admin, "team-a", Map.of());
      String teamB = createNamespace(admin, "team-b", Map.of());
      List<HasMetadata> objects = fullyConfigured(ns).release(LocalWorld.uniqueName("dry"), ns)
          .set("watchNamespaces[0]", teamA).set("watchNamespaces[1]", teamB).typedObjects();
      assertThat(objects).filteredOn(o -> "Role".equals(o.getKind())).extracting(o -> o.getMetadata().getNamespace())
          .containsExactlyInAnyOrder(ns, teamA, teamB);
      dryRunEach(admin, objects);
    }
  }

  /**
   * The Deployment's pod, created (dry-run) in a namespace that enforces the "restricted" Pod Security
   * Standard: the API server's PodSecurity admission accepts it. The control case, the same pod with its
   * security settings removed, is refused: the enforcement is real.
   */
  @Test
  void theOperatorPodPassesPodSecurityRestricted(LocalWorld world) {
    try (KubernetesClient admin = world.adminClient()) {
      String ns = createNamespace(admin, "chart-psa", Map.of(
          "pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/enforce-version", "latest"));
      List<HasMetadata> objects = ChartRender.withRequiredValues().release("psa", ns).typedObjects();
      // The pod's ServiceAccount must exist for the ServiceAccount admission plugin: created for real.
      ServiceAccount sa = objects.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast).findFirst().orElseThrow();
      admin.resource(sa).serverSideApply();
      Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
      Pod pod = new PodBuilder().withNewMetadata().withName("operator").withNamespace(ns)
          .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
          .withSpec(deployment.getSpec().getTemplate().getSpec()).build();

      Pod accepted = admin.resource(pod).dryRun().create();
      assertThat(accepted.getMetadata().getUid()).as("the API server answered with the admitted pod").isNotBlank();
      assertThat(admin.pods().inNamespace(ns).withName("operator").get()).as("dry-run: nothing stored").isNull();

      Pod unrestricted = new PodBuilder(pod).editSpec().withSecurityContext(null)
          .editFirstContainer().withSecurityContext(null).endContainer().endSpec().build();
      assertThatThrownBy(() -> admin.resource(unrestricted).dryRun().create())
          .isInstanceOf(KubernetesClientException.class).hasMessageContaining("violates PodSecurity \"restricted");
    }
  }

  /** Every optional value that changes the rendered objects, set. */
  private static ChartRender fullyConfigured(String ns) {
    return ChartRender.withRequiredValues()
        .set("aws.region", "eu-west-1")
        .set("serviceAccount.roleArn", "arn:aws:iam::123456789012:role/lambda-ingress-operator")
        .set("image.repository", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/lambda-ingress-operator")
        .set("image.digest", "sha256:" + "0".repeat(64))
        .set("imagePullSecrets[0].name", "registry")
        .set("podAnnotations.example\\.com/team", "platform")
        .set("podLabels.team", "platform")
        .set("nodeSelector.kubernetes\\.io/os", "linux")
        .set("tolerations[0].key", "dedicated").set("tolerations[0].operator", "Exists").set("tolerations[0].effect", "NoSchedule")
        .set("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", 100)
        .set("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey", "kubernetes.io/hostname")
        .set("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels.app\\.kubernetes\\.io/name", "lambda-ingress-operator")
        .set("extraEnv[0].name", "JAVA_TOOL_OPTIONS").set("extraEnv[0].value", "-XX:MaxRAMPercentage=70")
        .set("metrics.service.annotations.example\\.com/owner", "platform");
  }

  /** Server-side apply with dryRun=All, object by object; the answer is the object as it would be stored. */
  private static void dryRunEach(KubernetesClient admin, List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      HasMetadata answered = admin.resource(o).dryRun().serverSideApply();
      assertThat(answered.getMetadata().getUid()).as(o.getKind() + " " + o.getMetadata().getName() + " accepted").isNotBlank();
      assertThat(answered.getMetadata().getManagedFields()).as("applied server-side").isNotEmpty();
      HasMetadata stored = admin.resource(o).get();
      assertThat(stored).as(o.getKind() + " " + o.getMetadata().getName() + " not stored (dry-run)").isNull();
    }
  }

  static String createNamespace(KubernetesClient admin, String prefix, Map<String, String> labels) {
    String ns = LocalWorld.uniqueName(prefix);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).withLabels(labels).endMetadata().build()).create();
    return ns;
  }
}
