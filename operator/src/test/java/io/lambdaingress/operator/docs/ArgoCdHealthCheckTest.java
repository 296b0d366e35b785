package io.lambdaingress.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.docs.ArgoCdHealthCheck.Health;
import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The Argo CD health check of docs/argocd/, run with LuaJ on sample objects and on every status reason. */
class ArgoCdHealthCheckTest {

  private static final Path DIR = LocalWorld.repoRoot().resolve("docs/argocd");

  /** docs/argocd/health_test.yaml: Argo CD's own test layout, one expected result per testdata/ object. */
  static Stream<Map<String, Object>> documentedCases() throws IOException {
    Map<String, Object> file = yaml(DIR.resolve("health_test.yaml"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> tests = (List<Map<String, Object>>) file.get("tests");
    return tests.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentedCases")
  void eachDocumentedSampleGetsItsDocumentedHealth(Map<String, Object> test) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> expected = (Map<String, Object>) test.get("healthStatus");
    Health health = ArgoCdHealthCheck.evaluate(yaml(DIR.resolve((String) test.get("inputPath"))));
    assertThat(health).isEqualTo(new Health((String) expected.get("status"), (String) expected.get("message")));
  }

  @Test
  void everySampleInTestdataIsCovered() throws IOException {
    List<String> covered = documentedCases().map(t -> (String) t.get("inputPath")).toList();
    try (Stream<Path> files = Files.list(DIR.resolve("testdata"))) {
      assertThat(files.map(f -> "testdata/" + f.getFileName())).containsExactlyInAnyOrderElementsOf(covered);
    }
    assertThat(documentedCases().map(t -> (String) ((Map<?, ?>) t.get("healthStatus")).get("status")))
        .contains("Healthy", "Progressing", "Degraded");
  }

  /** Every reason the operator can write is mapped on purpose: none falls through to "unknown". */
  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyFailureReasonOfTheOperatorHasItsHealth(Reason reason) {
    Health health = ArgoCdHealthCheck.evaluate(withReady(5, "False", reason.name(), "what went wrong", 5));
    // The Reason table decides: what heals by itself is Progressing, what needs a person Degraded.
    String expected = reason.healsByItself() ? "Progressing" : "Degraded";
    assertThat(health).isEqualTo(new Health(expected, reason.name() + ": what went wrong"));
  }

  @Test
  void progressingWhileAwsFinishesAnUpdate() {
    assertThat(ArgoCdHealthCheck.evaluate(withReady(2, "False", "Progressing", "function is updating", 2)))
        .isEqualTo(new Health("Progressing", "Progressing: function is updating"));
  }

  @Test
  void aReasonTheCheckDoesNotKnowIsDegradedAndSaysSo() {
    assertThat(ArgoCdHealthCheck.evaluate(withReady(1, "False", "SomethingNew", "details", 1)))
        .isEqualTo(new Health("Degraded", "SomethingNew: details (a reason this health check does not know)"));
  }

  @Test
  void readyTrueIsHealthyOnlyAtTheCurrentGeneration() {
    assertThat(ArgoCdHealthCheck.evaluate(withReady(7, "True", "Reconciled", "the chain matches the spec", 7)).status())
        .isEqualTo("Healthy");
    assertThat(ArgoCdHealthCheck.evaluate(withReady(8, "True", "Reconciled", "the chain matches the spec", 7)))
        .isEqualTo(new Health("Progressing", "Waiting for the operator to reconcile generation 8 (Ready describes generation 7)"));
    // A Ready condition without its own observedGeneration falls back to status.observedGeneration.
    Map<String, Object> object = withReady(7, "True", "Reconciled", "ok", null);
    assertThat(ArgoCdHealthCheck.evaluate(object).status()).isEqualTo("Progressing");
    status(object).put("observedGeneration", 7);
    assertThat(ArgoCdHealthCheck.evaluate(object).status()).isEqualTo("Healthy");
  }

  @Test
  void readyUnknownAndOtherConditionsAreProgressing() {
    assertThat(ArgoCdHealthCheck.evaluate(withReady(1, "Unknown", "Starting", "first reconcile", 1)))
        .isEqualTo(new Health("Progressing", "Ready is Unknown: Starting: first reconcile"));
    Map<String, Object> object = withReady(1, "True", "Reconciled", "ok", 1);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status(object).get("conditions");
    conditions.get(0).put("type", "SomethingElse");
    assertThat(ArgoCdHealthCheck.evaluate(object))
        .isEqualTo(new Health("Progressing", "Waiting for the operator to report the Ready condition"));
  }

  /** argocd-cm-snippet.yaml carries the script itself, under the key Argo CD looks up for the kind. */
  @Test
  void theArgoCdConfigMapSnippetHoldsExactlyTheScript() throws IOException {
    Map<String, Object> configMap = yaml(DIR.resolve("argocd-cm-snippet.yaml"));
    assertThat(configMap).containsEntry("kind", "ConfigMap");
    assertThat(((Map<?, ?>) configMap.get("metadata")).get("name")).isEqualTo("argocd-cm");
    @SuppressWarnings("unchecked")
    Map<String, String> data = (Map<String, String>) configMap.get("data");
    assertThat(data).containsOnlyKeys("resource.customizations.health.lambdaingress.io_LambdaIngress");
    assertThat(data.get("resource.customizations.health.lambdaingress.io_LambdaIngress"))
        .as("the snippet's script equals docs/argocd/lambdaingress-health.lua")
        .isEqualTo(Files.readString(ArgoCdHealthCheck.SCRIPT));
  }

  /** gopher-lua is Lua 5.1: none of the 5.2+ syntax that LuaJ would accept but Argo CD would not. */
  @Test
  void theScriptUsesOnlyLua51Syntax() throws IOException {
    String code = Files.readString(ArgoCdHealthCheck.SCRIPT).replaceAll("(?m)--.*$", "");
    assertThat(code).doesNotContain("goto ", "::", "//", "<const>", "<close>").doesNotContainPattern("[^~<>=]~[^=]");
  }

  static Map<String, Object> withReady(long generation, String status, String reason, String message, Integer observed) {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("type", "Ready");
    ready.put("status", status);
    ready.put("reason", reason);
    ready.put("message", message);
    if (observed != null) {
      ready.put("observedGeneration", observed);
    }
    ready.put("lastTransitionTime", "2026-01-01T00:00:00Z");
    List<Map<String, Object>> conditions = new ArrayList<>(List.of(ready));
    Map<String, Object> statusMap = new LinkedHashMap<>(Map.of("conditions", conditions));
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "lambdaingress.io/v1alpha1");
    object.put("kind", "LambdaIngress");
    object.put("metadata", Map.of("name", "sample", "namespace", "default", "generation", generation));
    object.put("status", statusMap);
    return object;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(Map<String, Object> object) {
    return (Map<String, Object>) object.get("status");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) throws IOException {
    return Serialization.unmarshal(Files.readString(file), Map.class);
  }
}
