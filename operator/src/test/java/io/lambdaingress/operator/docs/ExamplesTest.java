package io.lambdaingress.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * examples/argocd-application.yaml, as far as it can be checked without Argo CD (ArgoCdIT syncs it with a
 * real one): the chart it deploys renders with exactly its Helm values (values.schema.json included), and the
 * folders and files it points at exist in this repository.
 */
class ExamplesTest {

  private static final Path REPO = LocalWorld.repoRoot();

  @Test
  @SuppressWarnings("unchecked")
  void theOperatorApplicationRendersTheChartWithItsValues() throws IOException {
    GenericKubernetesResource app = application("lambda-ingress");
    Map<String, Object> source = source(app, 0);
    Path chart = REPO.resolve((String) source.get("path"));
    assertThat(chart.resolve("Chart.yaml")).as("source.path is the chart").exists();
    Map<String, Object> helm = map(source, "helm");
    Path values = Files.createTempFile("argocd-values", ".yaml");
    try {
      Files.writeString(values, Serialization.asYaml(helm.get("valuesObject")));
      String rendered = new Helm(chart).template().withName((String) helm.get("releaseName"))
          .withNamespace((String) map(spec(app), "destination").get("namespace")).withValuesFile(values).call();
      assertThat(rendered)
          .contains("name: LAMBDA_INGRESS_CLUSTER_NAME\n              value: \"my-cluster\"")
          .contains("eks.amazonaws.com/role-arn: \"arn:aws:iam::123456789012:role/lambda-ingress-operator\"")
          .contains("image: \"123456789012.dkr.ecr.us-east-1.amazonaws.com/lambda-ingress-operator:0.1.0\"")
          .contains("namespace: lambda-ingress")
          // docs/install.md's IRSA trust policy and Pod Identity association name this ServiceAccount.
          .contains("kind: ServiceAccount\nmetadata:\n  name: lambda-ingress-operator\n");
    } finally {
      Files.delete(values);
    }
    assertThat((List<Object>) map(spec(app), "syncPolicy").get("syncOptions"))
        .contains("ServerSideApply=true", "CreateNamespace=true", "SkipDryRunOnMissingResource=true");
  }

  @Test
  void theObjectsApplicationPointsAtExistingExamples() throws IOException {
    GenericKubernetesResource app = application("lambda-ingress");
    Map<String, Object> source = source(app, 1);
    Path dir = REPO.resolve((String) source.get("path"));
    String include = (String) map(source, "directory").get("include");
    List<String> files = List.of(include.replaceAll("[{}]", "").split(","));
    assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(dir.resolve(f)).exists());
    for (String f : files) {
      assertThat(ExamplesIT.objects(dir.resolve(f))).allSatisfy(o -> assertThat(o.getKind()).isEqualTo("LambdaIngress"));
    }
  }

  private static GenericKubernetesResource application(String name) throws IOException {
    return ExamplesIT.objects(REPO.resolve("examples/argocd-application.yaml")).stream()
        .filter(o -> "Application".equals(o.getKind()) && "argoproj.io/v1alpha1".equals(o.getApiVersion())
            && name.equals(o.getMetadata().getName()) && "argocd".equals(o.getMetadata().getNamespace()))
        .findFirst().orElseThrow(() -> new AssertionError("no Argo CD Application " + name));
  }

  /** The Application's n-th source (spec.sources: the chart, then the objects' folder). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> source(GenericKubernetesResource app, int n) {
    Object sources = spec(app).get("sources");
    assertThat(sources).as("spec.sources").isInstanceOf(List.class);
    return (Map<String, Object>) ((List<Object>) sources).get(n);
  }

  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return ExamplesIT.spec(r);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
