package io.lambdaingress.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.testing.LocalWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts (a PrometheusRule) and Grafana dashboard (a ConfigMap), both off by default, rendered offline:
 * the alerts docs/metrics.md names, each on the release's namespace, the thresholds from values, and every metric a
 * query reads one docs/metrics.md lists (which LeaderElectionIT holds to /metrics). promtool (Prometheus's own rule
 * checker) judges the rendered rules: in CI always (.ci/run unpacks it), elsewhere when it is there.
 */
class ChartMonitoringTest {

  private static final String FULLNAME = "lambda-ingress-lambda-ingress-operator";
  private static final Pattern METRIC = Pattern.compile("\\b(lambdaingress_[a-z_]+|operator_sdk_[a-z_]+)\\b");
  private static final Set<String> ALERTS = Set.of("LambdaIngressNotReady", "LambdaIngressReconcilesFailing", "LambdaIngressAwsErrors",
      "LambdaIngressAwsThrottling", "LambdaIngressOrphans", "LambdaIngressQueueBacklog");

  @Test
  void neitherIsRenderedByDefault() {
    assertThat(ChartRender.withRequiredValues().objects()).as("their CRD and sidecar may be absent")
        .noneMatch(o -> "PrometheusRule".equals(o.getKind()) || o.getMetadata().getName().endsWith("-dashboard"));
  }

  @Test
  void theAlertsReadDocumentedMetricsOfTheReleasesNamespaceWithTheThresholdsOfTheValues() throws Exception {
    GenericKubernetesResource rule = prometheusRule(ChartRender.withRequiredValues().release("li", "ops"));
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    List<Map<String, Object>> rules = rules(rule);
    assertThat(rules).extracting(r -> r.get("alert")).containsExactlyInAnyOrderElementsOf(ALERTS);
    Set<String> documented = documentedFamilies();
    for (Map<String, Object> r : rules) {
      String expr = (String) r.get("expr");
      assertThat(expr).as(r.get("alert") + " on the release's pods").contains("namespace=\"ops\"");
      assertThat(metrics(expr)).as(r.get("alert") + ": metrics docs/metrics.md lists").isNotEmpty().isSubsetOf(documented);
      assertThat(r).as(r.get("alert").toString()).containsKeys("for", "labels", "annotations");
    }
    assertThat(expr(rules, "LambdaIngressNotReady")).endsWith("> 1200");
    assertThat(expr(rules, "LambdaIngressAwsThrottling")).endsWith("* 60 > 30");
    assertThat(expr(rules, "LambdaIngressQueueBacklog")).endsWith("> 80");
  }

  @Test
  void theDashboardIsAConfigMapForGrafanasSidecarQueryingDocumentedMetrics() throws Exception {
    GenericKubernetesResource map = ChartRender.find(ChartRender.withRequiredValues().set("metrics.dashboard.enabled", true).objects(),
        "ConfigMap", FULLNAME + "-dashboard").orElseThrow();
    assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    @SuppressWarnings("unchecked")
    String json = ((Map<String, String>) map.getAdditionalProperties().get("data")).get("lambda-ingress-operator.json");
    JsonNode dashboard = new ObjectMapper().readTree(json);
    assertThat(dashboard.path("uid").asText()).isEqualTo("lambda-ingress-operator");
    Set<String> documented = documentedFamilies();
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertThat(expr).as(panel.path("title").asText()).contains("namespace=\"$namespace\"");
        queried.addAll(metrics(expr));
      }
    }
    assertThat(queried).as("metrics the dashboard queries").isSubsetOf(documented)
        .contains("lambdaingress_objects_not_ready", "lambdaingress_aws_failed_attempts_total", "lambdaingress_orphans");
  }

  /**
   * promtool on the rendered groups: {@code check rules}, then {@code test rules} with series that make some alerts fire
   * and others not (src/test/resources/prometheus/alerts-test.yaml). The binary: PROMTOOL, else the one .ci/run unpacks
   * from Debian's prometheus package. Skipped on a machine that has neither, never in CI.
   */
  @Test
  void promtoolChecksTheRenderedRulesAndTheirAlertsFireAsIntended(@TempDir Path dir) throws Exception {
    String promtool = Optional.ofNullable(System.getenv("PROMTOOL"))
        .orElse(Path.of(System.getProperty("user.home"), ".cache/lambda-ingress/promtool/promtool").toString());
    boolean present = Files.isExecutable(Path.of(promtool));
    assertThat(present || !"true".equals(System.getenv("CI"))).as(promtool + " is missing: .ci/run unpacks it before the tests").isTrue();
    assumeTrue(present, "no promtool at " + promtool + " (set PROMTOOL, or run .ci/run once)");
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, Serialization.asYaml(prometheusRule(ChartRender.withRequiredValues()).getAdditionalProperties().get("spec")));
    assertThat(promtool(promtool, "check", "rules", file.toString())).contains("SUCCESS: " + ALERTS.size() + " rules found");
    Path tests = dir.resolve("alerts-test.yaml");
    try (var in = ChartMonitoringTest.class.getResourceAsStream("/prometheus/alerts-test.yaml")) {
      Files.write(tests, in.readAllBytes());
    }
    assertThat(promtool(promtool, "test", "rules", tests.toString())).contains("SUCCESS");
  }

  private static String promtool(String binary, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.println("promtool " + String.join(" ", args) + ": " + out.strip());
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static GenericKubernetesResource prometheusRule(ChartRender render) {
    return ChartRender.ofKind(render.set("metrics.prometheusRule.enabled", true).set("metrics.prometheusRule.labels.release", "prometheus")
        .set("metrics.prometheusRule.notReadyMinutes", 20).set("metrics.prometheusRule.throttledAttemptsPerMinute", 30)
        .set("metrics.prometheusRule.queueSize", 80).objects(), "PrometheusRule").get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules(GenericKubernetesResource rule) {
    Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    List<Map<String, Object>> all = new ArrayList<>();
    ((List<Map<String, Object>>) spec.get("groups")).forEach(g -> all.addAll((List<Map<String, Object>>) g.get("rules")));
    return all;
  }

  private static String expr(List<Map<String, Object>> rules, String alert) {
    return rules.stream().filter(r -> alert.equals(r.get("alert"))).map(r -> ((String) r.get("expr")).strip()).findFirst().orElseThrow();
  }

  private static Set<String> metrics(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The families docs/metrics.md lists: the backquoted names in the first column of its tables. */
  private static Set<String> documentedFamilies() throws Exception {
    Set<String> families = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|").matcher(Files.readString(LocalWorld.repoRoot().resolve("docs/metrics.md")));
    while (m.find()) {
      families.add(m.group(1));
    }
    return families;
  }
}
