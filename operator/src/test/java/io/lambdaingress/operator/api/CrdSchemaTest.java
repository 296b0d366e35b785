package io.lambdaingress.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * What users get from the checked-in CRD (crds/, which CrdIsUpToDateTest ties to the classes): every field
 * documented for `kubectl explain`, the contract's names, columns and defaults, and bounds on everything a
 * CEL rule iterates (the API server refuses a CRD whose rules it cannot cost). Which inputs the rules refuse
 * is up to the API server; the bad-input integration tests apply them there.
 */
class CrdSchemaTest {

  private static final Path CRD = Path.of("../crds/lambdaingresses.lambdaingress.io-v1.yml");

  private static CustomResourceDefinition crd() throws IOException {
    return Serialization.unmarshal(Files.readString(CRD), CustomResourceDefinition.class);
  }

  private static CustomResourceDefinitionVersion version() throws IOException {
    return crd().getSpec().getVersions().get(0);
  }

  private static JSONSchemaProps root() throws IOException {
    return version().getSchema().getOpenAPIV3Schema();
  }

  /** Visits every property below {@code schema} (array items and map values count as their field). */
  private static void walk(String path, JSONSchemaProps schema, BiConsumer<String, JSONSchemaProps> visit) {
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> {
        visit.accept(path + "." + name, child);
        walk(path + "." + name, child, visit);
      });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      walk(path + "[]", schema.getItems().getSchema(), visit);
    }
    if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
      walk(path + "{}", schema.getAdditionalProperties().getSchema(), visit);
    }
  }

  @Test
  void everyFieldIsDocumentedForKubectlExplain() throws IOException {
    List<String> undocumented = new ArrayList<>();
    walk("", root(), (path, s) -> {
      if (s.getDescription() == null || s.getDescription().isBlank()) {
        undocumented.add(path);
      }
    });
    assertThat(undocumented).as("fields without @JsonPropertyDescription").isEmpty();
  }

  @Test
  void everyListAndMapOfTheSpecIsBoundedSoItsRulesCanBeCosted() throws IOException {
    List<String> unbounded = new ArrayList<>();
    walk("", root().getProperties().get("spec"), (path, s) -> {
      if ("array".equals(s.getType()) && s.getMaxItems() == null) {
        unbounded.add(path + " (maxItems)");
      }
      if ("object".equals(s.getType()) && s.getAdditionalProperties() != null && s.getMaxProperties() == null) {
        unbounded.add(path + " (maxProperties)");
      }
    });
    assertThat(unbounded).isEmpty();
  }

  @Test
  void namesColumnsAndSubresourceAreTheContracts() throws IOException {
    CustomResourceDefinition crd = crd();
    assertThat(crd.getMetadata().getName()).isEqualTo("lambdaingresses.lambdaingress.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("LambdaIngress");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("lambdaingress");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("li");
    CustomResourceDefinitionVersion v = version();
    assertThat(v.getName()).isEqualTo("v1alpha1");
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("lambda-ingress");
    // kubectl get li: what a person looks at first, the age last (LambdaIngress's comment says how the paths order them).
    assertThat(v.getAdditionalPrinterColumns()).extracting(c -> c.getName()).containsExactly(
        "READY", "REASON", "ENDPOINT", "ROUTES", "CANARY", "AGE");
    // kubectl explain li: the kind itself is described, not only its fields.
    assertThat(root().getDescription()).startsWith("A static-IP entry point for AWS Lambda functions.");
  }

  @Test
  void defaultsAreTheContracts() throws IOException {
    JSONSchemaProps spec = root().getProperties().get("spec");
    JSONSchemaProps nlb = spec.getProperties().get("nlb");
    assertThat(nlb.getProperties().get("scheme").getDefault().asText()).isEqualTo("internal");
    assertThat(nlb.getProperties().get("crossZoneLoadBalancing").getDefault().asBoolean()).isTrue();
    assertThat(nlb.getProperties().get("healthCheck").getProperties().get("path").getDefault().asText()).isEqualTo("/healthz");
    assertThat(spec.getProperties().get("alb").getProperties().get("scheme").getDefault().asText()).isEqualTo("internal");
    assertThat(spec.getProperties().get("lambda").getProperties().get("multiValueHeaders").getDefault().asBoolean()).isFalse();
    assertThat(spec.getProperties().get("deletionPolicy").getDefault().asText()).isEqualTo("Delete");
    assertThat(spec.getProperties().get("deletionPolicy").getEnum()).extracting(Object::toString)
        .containsExactly("\"Delete\"", "\"Retain\"");
  }

  @Test
  void onlyTheNlbSchemeAndSpecAdoptAreImmutable() throws IOException {
    List<String> immutable = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    walk("", root(), (path, s) -> {
      if (s.getXKubernetesValidations() != null
          && s.getXKubernetesValidations().stream().map(ValidationRule::getRule).anyMatch(r -> r.contains("oldSelf"))) {
        immutable.add(path);
        s.getXKubernetesValidations().stream().map(ValidationRule::getRule).filter(r -> r.contains("oldSelf")).forEach(rules::add);
      }
    });
    // spec.adopt's rule sits on spec: adding or dropping the block later is refused too, not only changing it.
    assertThat(immutable).containsExactly(".spec", ".spec.nlb.scheme");
    assertThat(rules).containsExactly("has(self.adopt) == has(oldSelf.adopt) && (!has(self.adopt) || self.adopt == oldSelf.adopt)",
        "self == oldSelf");
  }

  /** The contract's example (examples/, the article's stack) names no field the classes lack. */
  @Test
  void theExampleStackUsesOnlyFieldsOfTheApi() throws IOException {
    ObjectMapper strict = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    Map<?, ?> example = strict.readValue(Files.readString(Path.of("../examples/article-stack.yaml")), Map.class);
    LambdaIngressSpec spec = strict.convertValue(example.get("spec"), LambdaIngressSpec.class);
    assertThat(spec.getNlb().getSubnetMappings().get(0).getPrivateIPv4Address()).isEqualTo("10.20.0.10");
    assertThat(spec.getLambda().getFunction().getMemoryMiB()).isEqualTo(512);
    assertThat(spec.getLambda().getFunction().getImage().getRepository()).isEqualTo("sample");
    assertThat(spec.getDeletionPolicy()).isEqualTo(DeletionPolicy.Delete);
  }
}
