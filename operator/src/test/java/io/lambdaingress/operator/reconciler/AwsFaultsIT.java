package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsFaultProxy;
import io.lambdaingress.operator.testing.AwsFaultProxy.Fault;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What moto cannot produce, AWS answers through a fault-injecting proxy in front of moto: throttling and
 * AccessDenied. The operator runs as a process whose AWS_ENDPOINT_URL is the proxy.
 */
// After the longest classes, before the short ones: unordered, it came last in the suite (85 s), alone for its last 40 s.
@Order(3)
@WithLocalWorld
class AwsFaultsIT {

  private static KubernetesClient client;
  private static ArticlePrerequisites pre;
  private static int nextIp = 150;

  @BeforeAll
  static void setUp(LocalWorld world) {
    client = world.adminClient();
    OperatorHarness.installCrds(client);
    pre = ArticlePrerequisites.create(world.awsRegion());
  }

  @AfterAll
  static void tearDown() {
    client.close();
  }

  private static String namespace() {
    String ns = LocalWorld.uniqueName("fault");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    return ns;
  }

  private static void apply(String ns, String name) {
    String yaml = pre.articleStack(ns, name).replace("10.20.0.10", "10.20.0." + (nextIp++));
    client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
  }

  private static Map<String, Object> ready(String ns, String name) {
    return OperatorHarness.readyCondition(client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).get());
  }


  private static OperatorProcess operator(LocalWorld world, AwsFaultProxy proxy, String ns) {
    return OperatorProcess.start(world, LocalWorld.uniqueName("fault"), ns, 5, Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Throttling", "InternalFailure"})
  void aBurstOfThrottlingOrServerErrorsIsRetriedQuietlyAndNeverShowsInReady(String code, LocalWorld world) throws Exception {
    String ns = namespace();
    try (AwsFaultProxy proxy = new AwsFaultProxy(world.awsEndpoint()); OperatorProcess op = operator(world, proxy, ns)) {
      // Five in a row: more than the SDK's three attempts for one call, fewer than our quiet retries absorb.
      proxy.inject("DescribeLoadBalancers", code.equals("Throttling") ? Fault.THROTTLING : Fault.INTERNAL_FAILURE, 5);
      apply(ns, "burst");
      Set<String> seen = ConcurrentHashMap.newKeySet();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        Map<String, Object> c = ready(ns, "burst");
        if (c.get("status") != null) {
          seen.add(c.get("status") + "/" + c.get("reason"));
        }
        assertThat(c).containsEntry("status", "True");
      });
      assertThat(proxy.injected()).isEqualTo(5);
      // The function's Pending and the permission's propagation (AWS rules layer) show as they heal; the
      // throttling or AWS's errors never do.
      assertThat(seen).as("Ready conditions seen while AWS answered " + code).contains("True/Reconciled")
          .noneMatch(c -> c.endsWith("/AwsThrottled") || c.endsWith("/AwsError"))
          .allMatch(c -> c.equals("True/Reconciled") || c.equals("False/Progressing") || c.equals("False/Propagating"));
      // A failed run that heals by itself is logged on one line at INFO before its retry (FailureReport): never a
      // WARN (a WARN means a person should look: the reasons table), never a stack trace.
      // The operator's orphan sweep lists the load balancers too: when it meets some of the injected answers, its line
      // is the one at INFO.
      assertThat(op.output()).as("the operator's output")
          .anyMatch(l -> l.contains(" INFO ") && (l.contains("retrying with backoff") || l.contains("orphan sweep failed")))
          .noneMatch(l -> l.contains(" WARN ") && (l.contains("AwsFailure") || l.contains("orphan sweep failed")))
          .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by: "));
    }
  }

  @Test
  void persistentThrottlingIsReportedAndClearsWhenAwsRecovers(LocalWorld world) throws Exception {
    String ns = namespace();
    try (AwsFaultProxy proxy = new AwsFaultProxy(world.awsEndpoint()); OperatorProcess op = operator(world, proxy, ns)) {
      proxy.inject("DescribeLoadBalancers", Fault.THROTTLING, Integer.MAX_VALUE);
      apply(ns, "storm");
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertThat(ready(ns, "storm")).containsEntry("status", "False").containsEntry("reason", "AwsThrottled"));
      assertThat((String) ready(ns, "storm").get("message")).contains("Throttling");

      proxy.clear();
      await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertThat(ready(ns, "storm")).containsEntry("status", "True"));
    }
  }

  @Test
  void accessDeniedNamesTheActionAndClearsOnceAllowed(LocalWorld world) throws Exception {
    String ns = namespace();
    try (AwsFaultProxy proxy = new AwsFaultProxy(world.awsEndpoint()); OperatorProcess op = operator(world, proxy, ns)) {
      proxy.inject("CreateLoadBalancer", Fault.accessDenied("CreateLoadBalancer"), Integer.MAX_VALUE);
      apply(ns, "denied");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertThat(ready(ns, "denied")).containsEntry("status", "False").containsEntry("reason", "AwsAccessDenied"));
      assertThat((String) ready(ns, "denied").get("message"))
          .contains("create load balancer").contains("elasticloadbalancing:CreateLoadBalancer");

      proxy.clear(); // the IAM policy is fixed
      await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
          assertThat(ready(ns, "denied")).containsEntry("status", "True"));
    }
  }
}
