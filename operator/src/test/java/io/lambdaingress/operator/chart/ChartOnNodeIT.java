package io.lambdaingress.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalNode;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The README's {@code helm install} (its block under "## Install on EKS", read from README.md and run through Helm's
 * library with its arguments unchanged) on the local node: the operator image (dev/images.sh, from the Dockerfile's
 * operator target as the README's build) under the README's ECR name and tag, as two pods whose probes decide
 * readiness, one of them holding the Lease. Added to the README's arguments only what EKS gives the cluster and what
 * this machine needs, each said below: the kubeconfig, AWS credentials the EKS way (IRSA: the role annotation from
 * the README's serviceAccount.roleArn, and the env and projected token amazon-eks-pod-identity-webhook would add, here
 * through the chart's extraEnv/extraVolumes), moto on the node's bridge address for AWS's endpoints, the "restricted"
 * Pod Security Standard enforced on the namespace, a CPU request for a busy 2-core machine; and the log values that
 * {@link #theArticleStackConvergesWithIrsaCredentialsAndTheLogsAreStructured} examines. The operator finds the API
 * server by in-cluster config (the kubernetes Service, through kube-proxy). The README's names are fixed (namespace,
 * release, role, cluster): the class wants a world without them, as the one it starts is.
 */
// Among the longest classes: started early, so that the short ones fill the end of the run instead of a long
// one running alone there. JUnit's idle workers take classes from the front of its queue, in @Order order;
// the worker that queued them takes them from the back. A middle group (@Order(3)) was tried: those classes
// met both ends last and ran at the end, so only the longest are ordered.
@Order(2)
@WithLocalNode
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartOnNodeIT {

  private static final DocumentedInstall README = DocumentedInstall.under("README.md", "## Install on EKS");
  private static final String AUDIENCE = "sts.amazonaws.com";
  private static final String TOKEN_DIR = "/var/run/secrets/eks.amazonaws.com/serviceaccount";
  private static final String SELECTOR_LABEL = "app.kubernetes.io/name";

  private static LocalNode node;
  private static KubernetesClient admin;
  private static String ns;
  private static String roleName;
  private static ArticlePrerequisites article;
  /** Whether this class ran the install: a world that already held the README's release keeps it. */
  private static boolean installed;

  @BeforeAll
  static void install(LocalNode localNode) throws IOException {
    node = localNode;
    LocalWorld world = node.world();
    admin = world.adminClient();
    ns = README.namespace();
    assertThat(admin.namespaces().withName(ns).get()).as("namespace " + ns + " already in this world (a former run's or a "
        + "developer's install): dev/local-env.sh down, or delete its LambdaIngresses, the release, the namespace and the README's role").isNull();
    assertThat(README.sets().get("aws.region")).as("the README's region is the local world's").isEqualTo(world.awsRegion());

    // The image the README's build line tags and pushes (ChartTest: the same name as its helm install runs), built from
    // the same Dockerfile target by dev/images.sh (no registry here) and given that name in the node's containerd:
    // the kubelet finds it there as it would after the README's docker push, and pulls nothing (IfNotPresent).
    Path images = LocalWorld.repoRoot().resolve("target/node-images");
    run(LocalWorld.repoRoot().resolve("dev/images.sh").toString(), "save", images.toString());
    node.importImages(images.resolve("lambda-ingress-operator.tar"));
    node.tagImage(OperatorImageIT.IMAGE, README.image());

    // Not EKS's default (its Pod Security admission lets everything in), but what a platform team that enforces the
    // "restricted" standard gives its namespaces: the chart's pods must pass it. Made before the install, whose
    // --create-namespace then finds it.
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
        .addToLabels("pod-security.kubernetes.io/enforce-version", "latest").endMetadata().build()).create();
    article = ArticlePrerequisites.create(world);
    String roleArn = createOperatorRole(world, README.sets().get("serviceAccount.roleArn"));

    Path values = Files.writeString(LocalWorld.repoRoot().resolve("target/node-chart-values.yaml"), """
        # What EKS adds for the README's serviceAccount.roleArn (the ServiceAccount's eks.amazonaws.com/role-arn):
        # amazon-eks-pod-identity-webhook gives the pods of that ServiceAccount these variables and the projected token.
        extraEnv:
          - {name: AWS_ROLE_ARN, value: "%s"}
          - {name: AWS_WEB_IDENTITY_TOKEN_FILE, value: %s/token}
          - {name: AWS_STS_REGIONAL_ENDPOINTS, value: regional}
          - {name: AWS_DEFAULT_REGION, value: %s}
          # On EKS the SDK finds AWS's own endpoints; here AWS is moto behind the rules layer, on the node's bridge.
          - {name: AWS_ENDPOINT_URL, value: "%s"}
        extraVolumes:
          - name: aws-iam-token
            projected:
              sources:
                - serviceAccountToken: {audience: %s, expirationSeconds: 86400, path: token}
        extraVolumeMounts:
          - {name: aws-iam-token, mountPath: %s, readOnly: true}
        # This machine: 2 cores busy with the rest of the suite. A whole core each while the JVM starts: with the
        # chart's 100m (cpu.shares 102) the JVM is starved past the liveness probe's first failures.
        resources: {requests: {cpu: "1", memory: 256Mi}, limits: {memory: 512Mi}}
        # Not the install's: the values a log pipeline's owner sets (docs/install.md), for theArticleStack...LogsAreStructured.
        logFormat: json
        logLevel: INFO
        frameworkLogLevel: DEBUG
        """.formatted(roleArn, TOKEN_DIR, world.awsRegion(), world.awsEndpoint(), AUDIENCE, TOKEN_DIR));
    // The kubeconfig: on EKS, aws eks update-kubeconfig's; here the local world's.
    installed = true;
    README.command().withKubeConfig(world.kubeconfig()).withValuesFile(values).waitReady().withTimeout(300).call();
  }

  @AfterAll
  static void uninstall() {
    if (installed) {
      Helm.uninstall(README.release()).withNamespace(ns).withKubeConfig(node.world().kubeconfig()).ignoreNotFound().call();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  @Order(1)
  void twoPodsAreReadyByTheirProbesAndOneHoldsTheLease() {
    List<Pod> pods = operatorPods();
    assertThat(pods).hasSize(2).allSatisfy(p -> {
      assertThat(p.getSpec().getNodeName()).isEqualTo(LocalNode.NAME);
      // No registry is reachable from the node: Ready means the kubelet found the image under the README's name.
      assertThat(p.getSpec().getContainers().get(0).getImage()).as("the README's image").isEqualTo(README.image());
      assertThat(p.getStatus().getContainerStatuses().get(0).getImage()).as("the image the container runs, as the kubelet says")
          .isEqualTo(README.image());
      assertThat(p.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getStatus()).isEqualTo("True");
      });
    });
    assertThat(leaderPod()).as("the Lease holder is one of the two pods").isIn(pods.stream().map(p -> p.getMetadata().getName()).toList());
  }

  /** Admitted under "restricted" (the namespace enforces it), and the kernel shows it on the running process. */
  @Test
  @Order(2)
  void theRestrictedSecurityContextIsInForce() throws IOException {
    for (Pod pod : operatorPods()) {
      Path proc = Path.of("/proc", String.valueOf(containerPid(pod)));
      String status = Files.readString(proc.resolve("status"));
      assertThat(status).as("runAsUser 65532").containsPattern("(?m)^Uid:\\s+65532\\s+65532\\s+65532\\s+65532$")
          .as("allowPrivilegeEscalation: false").containsPattern("(?m)^NoNewPrivs:\\s+1$")
          .as("capabilities: drop ALL").containsPattern("(?m)^CapEff:\\s+0+$")
          .as("seccompProfile: RuntimeDefault").containsPattern("(?m)^Seccomp:\\s+2$");
      String rootMount = Files.readAllLines(proc.resolve("mountinfo")).stream().filter(l -> l.split(" ")[4].equals("/"))
          .findFirst().orElseThrow();
      assertThat(rootMount.split(" ")[5]).as("readOnlyRootFilesystem").startsWith("ro");
    }
  }

  @Test
  @Order(3)
  void theArticleStackConvergesWithIrsaCredentialsAndTheLogsAreStructured() throws IOException {
    applyAndAwaitReady("article", "10.20.0.231");
    String log = admin.pods().inNamespace(ns).withName(leaderPod()).getLog();
    // logFormat: json: every line of kubectl logs is one JSON object, its time ISO 8601 with the zone.
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : log.lines().toList()) {
      JsonNode event = json.readTree(line);
      assertThat(event.isObject()).as(line).isTrue();
      assertThat(event.path("timestamp").asText()).as(line).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})");
      assertThat(List.of("level", "loggerName", "message")).as(line).allMatch(event::hasNonNull);
      lines.add(event);
    }
    // The operator's lines name what they are about as fields of their own.
    assertThat(lines).as("the AWS identity line").anySatisfy(e -> {
      assertThat(e.path("message").asText()).isEqualTo("AWS identity");
      assertThat(e.path("contextMap").path("arn").asText()).matches("arn:aws:sts::\\d+:assumed-role/" + roleName + "/.*");
      assertThat(e.path("contextMap").path("credentials").asText()).contains("WEB_ID");
    });
    assertThat(lines).as("an AWS write of the article's chain").anySatisfy(e -> {
      assertThat(e.path("message").asText()).isEqualTo("aws write");
      assertThat(e.path("contextMap").path("object").asText()).isEqualTo(ns + "/article");
      assertThat(List.of("action", "resource", "reason")).allMatch(k -> e.path("contextMap").hasNonNull(k));
    });
    // The log level follows the reasons table: the invoke permission ELB does not see yet (the AWS rules layer delays
    // it) heals by itself and is said at INFO; a stack that converged leaves no line for a person to look at.
    assertThat(lines).as("the propagation wait").anySatisfy(e -> {
      assertThat(e.path("contextMap").path("reason").asText()).isEqualTo("Propagating");
      assertThat(e.path("level").asText()).isEqualTo("INFO");
    });
    assertThat(lines).as("WARN and ERROR lines").filteredOn(e -> List.of("WARN", "ERROR").contains(e.path("level").asText()))
        .isEmpty();
    // frameworkLogLevel DEBUG reached the operator SDK; logLevel INFO kept ours at INFO.
    assertThat(lines).as("the operator SDK at DEBUG").anyMatch(e -> e.path("loggerName").asText().startsWith("io.javaoperatorsdk")
        && e.path("level").asText().equals("DEBUG"));
    assertThat(lines).as("ours at INFO and above").filteredOn(e -> e.path("loggerName").asText().startsWith("io.lambdaingress"))
        .isNotEmpty().noneMatch(e -> e.path("level").asText().equals("DEBUG"));
  }

  /**
   * The PodDisruptionBudget lets one pod go and holds the other; the evicted leader's Lease passes to the other
   * pod, which converges a new object.
   */
  @Test
  @Order(4)
  void evictingTheLeaderIsBoundedByThePdbAndTheOtherPodTakesOver() {
    PodDisruptionBudget pdb = admin.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems().get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.resource(pdb).get().getStatus().getDisruptionsAllowed() == 1);
    String leader = leaderPod();
    String other = operatorPods().stream().map(p -> p.getMetadata().getName()).filter(n -> !n.equals(leader)).findFirst().orElseThrow();

    assertThat(evict(leader)).as("first eviction").isTrue();
    // fabric8 answers false for the API server's 429 TooManyRequests: the budget forbids it
    assertThat(evict(other)).as("second eviction, while the first pod is replaced").isFalse();

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> other.equals(leaderPod()));
    applyAndAwaitReady("after-failover", "10.20.0.232");
  }

  private static boolean evict(String pod) {
    return admin.pods().inNamespace(ns).withName(pod).evict();
  }

  private static List<Pod> operatorPods() {
    return admin.pods().inNamespace(ns).withLabel(SELECTOR_LABEL, "lambda-ingress-operator").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** The pod whose identity ("pod name-random") holds the Lease. */
  private static String leaderPod() {
    var lease = admin.leases().inNamespace(ns).withName("lambda-ingress-operator").get();
    String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
    return holder == null ? null : holder.substring(0, holder.lastIndexOf('-'));
  }

  private static void applyAndAwaitReady(String name, String staticIp) {
    String yaml = article.articleStack(ns, name).replace("10.20.0.10", staticIp);
    admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
    admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name)
        .waitUntilCondition(r -> r != null && "True".equals(OperatorHarness.readyCondition(r).get("status")), 120, TimeUnit.SECONDS);
  }

  /** The operator container's process on this machine, from the node's containerd. */
  private static long containerPid(Pod pod) {
    String id = pod.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst("^containerd://", "");
    String tasks = run("ctr", "--address", node.world().directory().resolve("node/containerd/containerd.sock").toString(),
        "-n", "k8s.io", "tasks", "ls");
    return tasks.lines().filter(l -> l.startsWith(id)).map(l -> Long.parseLong(l.split("\\s+")[1])).findFirst().orElseThrow();
  }

  /**
   * The IAM role the README's serviceAccount.roleArn names, trusting the cluster's ServiceAccount tokens, its policy
   * docs/iam-policy.json inline (docs/install.md step 3a).
   */
  private static String createOperatorRole(LocalWorld world, String arn) throws IOException {
    roleName = arn.substring(arn.lastIndexOf('/') + 1);
    String path = arn.substring(arn.indexOf(":role/") + ":role".length(), arn.lastIndexOf('/') + 1);
    String issuer = world.kubeConfig().getMasterUrl().replaceFirst("^https://", "").replaceFirst("/$", "");
    // The ServiceAccount is the chart's fullname: the release's name, which holds the chart's.
    String trust = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/%1$s"},
          "Action":"sts:AssumeRoleWithWebIdentity",
          "Condition":{"StringEquals":{"%1$s:sub":"system:serviceaccount:%2$s:%3$s","%1$s:aud":"%4$s"}}}]}"""
        .formatted(issuer, ns, README.release(), AUDIENCE);
    String policy = Files.readString(LocalWorld.repoRoot().resolve("docs/iam-policy.json"));
    try (IamClient iam = world.aws(IamClient.builder()).region(Region.AWS_GLOBAL).build()) {
      String created = iam.createRole(r -> r.roleName(roleName).path(path).assumeRolePolicyDocument(trust)).role().arn();
      assertThat(created).as("the role the README names, in the local world's account").isEqualTo(arn);
      iam.putRolePolicy(r -> r.roleName(roleName).policyName("LambdaIngressOperator").policyDocument(policy));
      return created;
    }
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
