package io.lambdaingress.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The local node ({@code dev/local-env.sh up --node}, dev/node.sh) keeps its two promises: a pod cannot send a
 * packet off this machine (its connect to an outside address fails at once, refused by the node's own reject
 * rule), and {@code down} leaves the host as {@code up} found it ({@link HostState}). Starts and stops a node
 * of its own, so it cannot run while another node is up on this machine.
 */
@Tag("local-node")
@ResourceLock(WithLocalNode.LOCK)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeIT {

  /** TEST-NET-3 (RFC 5737): an address outside this machine that nothing should ever answer. */
  private static final String OUTSIDE = "203.0.113.1:80";
  /** In the Service range but no Service's: without kube-proxy's DNAT a packet to it would take the default route. */
  private static final String UNMAPPED_SERVICE = "10.96.0.250:80";
  /** The kubernetes Service: reaches the API server on the node's bridge address through kube-proxy. */
  private static final String KUBERNETES_SERVICE = "10.96.0.1:443";
  private static final Pattern REJECTED = Pattern.compile("counter packets (\\d+) .*LAMBDA-INGRESS-EGRESS-REJECT");

  private static final Path DIR = LocalWorld.repoRoot().resolve("target/node-it");
  private static HostState before;
  private static LocalWorld world;

  @BeforeAll
  static void up() {
    before = HostState.capture(DIR);
    world = LocalEnvScript.up(DIR, 40, "--node");
  }

  @AfterAll
  static void down() {
    if (Files.isDirectory(DIR)) {
      LocalEnvScript.run(DIR, 3, "down");
    }
  }

  @Test
  @Order(1)
  void aPodsConnectToAnOutsideAddressFailsAtOnceByTheNodesRejectRule() {
    try (KubernetesClient admin = world.adminClient()) {
      String ns = LocalWorld.uniqueName("egress");
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      // The ServiceAccount admission plugin needs the namespace's default ServiceAccount (the controller-manager's).
      await().atMost(Duration.ofSeconds(60)).until(() -> admin.serviceAccounts().inNamespace(ns).withName("default").get() != null);
      long rejectedBefore = rejectedPackets();

      Pod pod = new PodBuilder().withNewMetadata().withName("netcheck").withNamespace(ns).endMetadata()
          .withNewSpec().addNewContainer().withName("netcheck").withImage("localhost/lambda-ingress-node-tools:dev")
          .withImagePullPolicy("Never").withCommand("/netcheck", OUTSIDE, UNMAPPED_SERVICE, KUBERNETES_SERVICE)
          .endContainer().endSpec().build();
      admin.resource(pod).create();
      // kubectl logs' path: API server -> kubelet on the node's address -> containerd's log file.
      Map<String, String> results = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> results(admin.pods().inNamespace(ns).withName("netcheck")), r -> r.size() == 3);

      assertThat(results.get(OUTSIDE)).as("a connect to an address outside this machine").matches("error \\d+ms no route to host");
      assertThat(millis(results.get(OUTSIDE))).as("refused at once, not timed out").isLessThan(1000);
      assertThat(results.get(UNMAPPED_SERVICE)).as("a Service address kube-proxy does not map").matches("error \\d+ms no route to host");
      assertThat(results.get(KUBERNETES_SERVICE)).as("the API server through the kubernetes Service").startsWith("ok ");
      assertThat(rejectedPackets() - rejectedBefore).as("packets the node's LAMBDA-INGRESS-EGRESS chain rejected").isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  @Order(2)
  void downLeavesTheHostAsUpFoundIt() {
    assertThat(HostState.capture(DIR).differencesFrom(before)).as("while up").isNotEmpty();
    assertThat(LocalEnvScript.run(DIR, 3, "down")).isZero();
    HostState after = HostState.capture(DIR);
    assertThat(after.differencesFrom(before)).as("what down left behind").isEmpty();
    assertThat(DIR).doesNotExist();
  }

  /** netcheck's lines, "target ok|error <millis>ms [error]", by target. */
  private static Map<String, String> results(io.fabric8.kubernetes.client.dsl.PodResource pod) {
    String log;
    try {
      log = pod.getLog();
    } catch (RuntimeException notYetRunning) {
      return Map.of();
    }
    return log.lines().filter(l -> l.contains(" ")).collect(Collectors.toMap(
        l -> l.substring(0, l.indexOf(' ')), l -> l.substring(l.indexOf(' ') + 1), (a, b) -> b));
  }

  private static long millis(String result) {
    Matcher m = Pattern.compile("(\\d+)ms").matcher(result);
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static long rejectedPackets() {
    Matcher m = REJECTED.matcher(HostState.run("nft", "list", "chain", "inet", "lambda-ingress-node", "LAMBDA-INGRESS-EGRESS"));
    assertThat(m.find()).as("the node's reject rule").isTrue();
    return Long.parseLong(m.group(1));
  }
}
