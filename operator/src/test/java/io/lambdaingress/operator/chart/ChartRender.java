package io.lambdaingress.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.testing.LocalWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code helm template} of helm/lambda-ingress-operator through helm-java (Helm's own Go library, bundled in
 * the test classpath: nothing downloaded, no helm binary needed), and the rendered documents as objects.
 */
final class ChartRender {

  static final Path CHART = LocalWorld.repoRoot().resolve("helm/lambda-ingress-operator");
  /** The Kubernetes version the templates are rendered for: the local world's kube-apiserver (v1.34). */
  static final String KUBE_VERSION = "1.34.0";

  private final Map<String, Object> values = new LinkedHashMap<>();
  private String release = "lambda-ingress";
  private String namespace = "lambda-ingress";

  private ChartRender() {}

  /** The smallest install: the chart's values plus the one required value, clusterName. */
  static ChartRender withRequiredValues() {
    return new ChartRender().set("clusterName", "test-cluster");
  }

  /** The chart's values.yaml alone (clusterName empty). */
  static ChartRender withChartDefaults() {
    return new ChartRender();
  }

  /** One {@code --set key=value}; Helm parses the value as it would on the command line. */
  ChartRender set(String key, Object value) {
    values.put(key, value);
    return this;
  }

  ChartRender release(String name, String ns) {
    this.release = name;
    this.namespace = ns;
    return this;
  }

  String release() {
    return release;
  }

  String namespace() {
    return namespace;
  }

  /** The rendered manifests (templates only; the CRD is in crds/ and checked on its own). */
  String yaml() {
    TemplateCommand template = new Helm(CHART).template().withName(release).withNamespace(namespace)
        .withKubeVersion(KUBE_VERSION).skipCrds();
    values.forEach(template::set);
    return template.call();
  }

  /** The rendered objects, each as the generic map the API server would receive. */
  List<GenericKubernetesResource> objects() {
    return parse(yaml());
  }

  /** The rendered objects as fabric8's typed models (Deployment, Role, ...), to send to the API server. */
  List<HasMetadata> typedObjects() {
    List<HasMetadata> typed = new ArrayList<>();
    for (String doc : documents(yaml())) {
      typed.add(Serialization.unmarshal(doc, HasMetadata.class));
    }
    return typed;
  }

  static List<GenericKubernetesResource> parse(String yaml) {
    return documents(yaml).stream().map(d -> Serialization.unmarshal(d, GenericKubernetesResource.class)).toList();
  }

  /** The YAML documents that hold an object (Helm separates them with "---" and "# Source:" comments). */
  static List<String> documents(String yaml) {
    List<String> docs = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      boolean hasContent = doc.lines().anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#"));
      if (hasContent) {
        docs.add(doc);
      }
    }
    return docs;
  }

  static Optional<GenericKubernetesResource> find(List<GenericKubernetesResource> objects, String kind, String name) {
    return objects.stream().filter(o -> kind.equals(o.getKind()) && name.equals(o.getMetadata().getName())).findFirst();
  }

  static List<GenericKubernetesResource> ofKind(List<GenericKubernetesResource> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }
}
