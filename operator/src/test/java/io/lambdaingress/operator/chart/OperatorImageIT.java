package io.lambdaingress.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.WithLocalWorld;
import io.lambdaingress.operator.testing.WorkloadIdentityRun;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The operator's image (localhost/lambda-ingress-operator:dev, built by dev/images.sh) run the way the chart's
 * pod runs it: the container's image, environment, user, read-only root filesystem, dropped capabilities,
 * writable /tmp and probes come from the Deployment rendered from the chart; the ServiceAccount's token
 * (TokenRequest) and the API server's CA sit at the in-cluster paths with KUBERNETES_SERVICE_HOST/PORT set, as
 * the kubelet provides them; AWS credentials come as IRSA provides them (the webhook's two variables and the
 * projected token). On the host network, which reaches the local world on loopback only.
 */
@WithLocalWorld
class OperatorImageIT {

  /** dev/images.sh's operator_image (ChartTest: install.md's local-node install runs the same). */
  static final String IMAGE = "localhost/lambda-ingress-operator:dev";
  private static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
  private static final String IRSA_TOKEN = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";

  /**
   * The pod converges the article stack, its probes and /metrics answer; and, in two more containers started
   * first and run alongside (each a JVM start, the slow part here), start-up errors a person can act on: one
   * line, a non-zero exit, no stack trace. No region (the chart's aws.region empty, no IRSA webhook); no
   * permission to watch (a ServiceAccount the chart's RBAC does not bind).
   */
  @Test
  void runsAsTheChartsPodAndConvergesTheArticleStack(LocalWorld world) throws Exception {
    ContainerRun.build();
    try (WorkloadIdentityRun run = WorkloadIdentityRun.prepare(world, "image")) {
      int port = freePort();
      List<HasMetadata> objects = chart(run, port).set("aws.region", world.awsRegion())
          .set("serviceAccount.name", WorkloadIdentityRun.SERVICE_ACCOUNT).typedObjects();
      objects.stream().filter(o -> o instanceof Role || o instanceof RoleBinding)
          .forEach(o -> run.admin().resource(o).fieldManager("helm").forceConflicts().serverSideApply());
      Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();

      run.admin().serviceAccounts().inNamespace(run.namespace()).resource(new ServiceAccountBuilder().withNewMetadata()
          .withName("unbound").endMetadata().build()).create();
      Process noRegion = ContainerRun.startToExit(deployment(chart(run, freePort()).set("serviceAccount.name", WorkloadIdentityRun.SERVICE_ACCOUNT)),
          run.namespace(), world, serviceAccountFiles(run, WorkloadIdentityRun.SERVICE_ACCOUNT, "region"));
      Process unbound = ContainerRun.startToExit(deployment(chart(run, freePort()).set("aws.region", world.awsRegion())
          .set("serviceAccount.name", "unbound")), run.namespace(), world, serviceAccountFiles(run, "unbound", "unbound"));

      Path secrets = serviceAccountFiles(run, WorkloadIdentityRun.SERVICE_ACCOUNT, "pod");
      String roleArn = run.createOperatorRole(LocalWorld.uniqueName("image-operator"), """
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/local"},
            "Action":"sts:AssumeRoleWithWebIdentity"}]}""");
      String stack = run.articleStack("image", "10.20.0.242");

      try (ContainerRun operator = ContainerRun.asThePodRuns(deployment, run.namespace(), world, secrets, Map.of(
          "AWS_ROLE_ARN", roleArn, "AWS_WEB_IDENTITY_TOKEN_FILE", IRSA_TOKEN))) {
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        // The probes as the kubelet would send them: each within its initial delay and failure budget (the startup
        // probe's first: the kubelet holds the others until it succeeds).
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
          URI uri = URI.create("http://127.0.0.1:" + port + probe.getHttpGet().getPath());
          long budget = Optional.ofNullable(probe.getInitialDelaySeconds()).orElse(0) + (long) probe.getPeriodSeconds() * probe.getFailureThreshold();
          await().atMost(Duration.ofSeconds(budget)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
              .untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(probe.getTimeoutSeconds()))
                  .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(uri + "\n" + operator.logs()).isEqualTo(200));
        }

        try {
          run.applyAndAwaitReady(stack);
        } catch (io.fabric8.kubernetes.client.KubernetesClientTimeoutException e) {
          // Not Ready in time (seen once in a suite, 2026-12-07): the operator's own lines are the clue, and they go
          // with its container.
          List<String> lines = operator.logs().lines().toList();
          throw new AssertionError(e.getMessage() + "\noperator log, last 80 lines:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size())), e);
        }
        assertThat(AwsInventory.ownedBy(run.clusterName(), run.namespace(), "image")).as("the chain, owned by the object").hasSize(5);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).as("/metrics").contains("# TYPE").contains("lambdaingress");
        assertThat(operator.running()).as("still running\n" + operator.logs()).isTrue();
        assertThat(operator.logs()).doesNotContainIgnoringCase("forbidden");
      }
      assertThat(run.signedRequests()).as("AWS calls signed with the IRSA credentials, none with static keys")
          .isNotEmpty().allSatisfy(r -> assertThat(r.accessKeyId()).isNotEqualTo(run.staticAccessKeyId()));

      assertThat(ContainerRun.exitLine(noRegion))
          .isEqualTo("lambda-ingress-operator: no AWS region: set AWS_REGION (chart: --set aws.region=<region>; the IRSA webhook sets it on EKS)");
      assertThat(ContainerRun.exitLine(unbound))
          .startsWith("lambda-ingress-operator: may not list lambdaingresses.lambdaingress.io in namespace " + run.namespace() + ";")
          .contains("rbac.create=true");
    }
  }

  /** The chart's values for this run, but the region and the ServiceAccount's name. */
  private static ChartRender chart(WorkloadIdentityRun run, int port) {
    return ChartRender.withRequiredValues().set("clusterName", run.clusterName())
        .set("image.repository", "localhost/lambda-ingress-operator").set("image.tag", "dev")
        .set("serviceAccount.create", false).set("watchNamespaces[0]", run.namespace()).set("resyncPeriodSeconds", 10)
        .set("metrics.port", port)
        .set("extraEnv[0].name", "AWS_ENDPOINT_URL").set("extraEnv[0].value", run.proxy().endpoint().toString())
        .release("lambda-ingress", run.namespace());
  }

  private static Deployment deployment(ChartRender chart) {
    return chart.typedObjects().stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
  }

  /**
   * What the kubelet mounts at {@value #SERVICE_ACCOUNT_DIR} (a token of the ServiceAccount from the TokenRequest
   * API, the cluster's CA, the namespace) and the IRSA token the webhook projects; readable by the pod's user.
   */
  private static Path serviceAccountFiles(WorkloadIdentityRun run, String serviceAccount, String name) throws IOException {
    Path dir = LocalWorld.repoRoot().resolve("operator/target/operator-image/" + run.namespace() + "-" + name);
    Files.createDirectories(dir.resolve("kubernetes"));
    Files.createDirectories(dir.resolve("eks"));
    String token = run.admin().serviceAccounts().inNamespace(run.namespace()).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    Files.writeString(dir.resolve("kubernetes/token"), token);
    Files.writeString(dir.resolve("kubernetes/namespace"), run.namespace());
    var config = run.admin().getConfiguration();
    byte[] ca = config.getCaCertData() != null ? Base64.getDecoder().decode(config.getCaCertData()) : Files.readAllBytes(Path.of(config.getCaCertFile()));
    Files.write(dir.resolve("kubernetes/ca.crt"), ca);
    Files.copy(run.writeToken("sts.amazonaws.com", serviceAccount + "-irsa-token"), dir.resolve("eks/token"));
    try (var files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return dir;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** One podman container of the operator's image, run from the rendered Deployment's pod template. */
  private static final class ContainerRun implements AutoCloseable {

    private static boolean built;
    private final String name;

    private ContainerRun(String name) {
      this.name = name;
    }

    /** dev/images.sh: cached, seconds when nothing changed; the first run on a machine makes the base images. */
    static synchronized void build() throws Exception {
      if (!built) {
        command(List.of(LocalWorld.repoRoot().resolve("dev/images.sh").toString()), Duration.ofMinutes(30));
        built = true;
      }
    }

    static ContainerRun asThePodRuns(Deployment deployment, String namespace, LocalWorld world, Path secrets, Map<String, String> irsa)
        throws Exception {
      String name = "operator-image-it-" + namespace;
      List<String> run = podRun(deployment, namespace, world, secrets, irsa);
      run.addAll(run.indexOf("run") + 1, List.of("-d", "--name", name));
      command(run, Duration.ofMinutes(2));
      return new ContainerRun(name);
    }

    /** Starts the pod's container in the foreground (removed when it ends), for {@link #exitLine}. */
    static Process startToExit(Deployment deployment, String namespace, LocalWorld world, Path secrets) throws Exception {
      List<String> run = podRun(deployment, namespace, world, secrets, Map.of());
      run.add(run.indexOf("run") + 1, "--rm");
      Process process = new ProcessBuilder(run).redirectErrorStream(true).start();
      process.getOutputStream().close();
      return process;
    }

    /** The container's only output line, after asserting it exited non-zero. */
    static String exitLine(Process process) throws Exception {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as("exit code; output:\n" + output).isNotZero();
      assertThat(output.lines().toList()).as("everything the container printed").singleElement();
      return output.strip();
    }

    /** podman run of the pod template's one container: image, env, user, security context, volumes, limits. */
    private static List<String> podRun(Deployment deployment, String namespace, LocalWorld world, Path secrets, Map<String, String> irsa) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Container container = pod.getContainers().get(0);
      assertThat(container.getImage()).isEqualTo(IMAGE);
      assertThat(container.getCommand()).as("the image's ENTRYPOINT runs").isEmpty();
      var podSecurity = pod.getSecurityContext();
      var security = container.getSecurityContext();
      URI apiServer = URI.create(world.kubeConfig().getMasterUrl());

      List<String> run = new ArrayList<>(podman());
      run.addAll(List.of("run", "--pull=never", "--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"));
      run.addAll(List.of("--user", podSecurity.getRunAsUser() + ":" + podSecurity.getRunAsGroup(), "--group-add", String.valueOf(podSecurity.getFsGroup())));
      if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
        run.addAll(List.of("--read-only", "--read-only-tmpfs=false")); // only the pod's own emptyDir volumes are writable
      }
      if (Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
        run.addAll(List.of("--security-opt", "no-new-privileges"));
      }
      security.getCapabilities().getDrop().forEach(cap -> run.addAll(List.of("--cap-drop", cap)));
      for (var mount : container.getVolumeMounts()) {
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).as("volume " + volume.getName()).isNotNull();
        run.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,mode=1777,size=" + volume.getEmptyDir().getSizeLimit().toString().replace("Mi", "m")));
      }
      run.addAll(List.of("--memory", container.getResources().getLimits().get("memory").toString().replace("Mi", "m")));
      Map<String, String> env = new LinkedHashMap<>();
      env.put("KUBERNETES_SERVICE_HOST", apiServer.getHost());
      env.put("KUBERNETES_SERVICE_PORT", String.valueOf(apiServer.getPort()));
      for (EnvVar e : container.getEnv()) {
        if (e.getValue() != null) {
          env.put(e.getName(), e.getValue());
        } else {
          assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
          env.put(e.getName(), namespace);
        }
      }
      // Nothing may leave loopback, were the SDK's chains to fall through to instance metadata.
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      env.putAll(irsa);
      env.forEach((k, v) -> run.addAll(List.of("-e", k + "=" + v)));
      run.addAll(List.of("-v", secrets.resolve("kubernetes") + ":" + SERVICE_ACCOUNT_DIR + ":ro",
          "-v", secrets.resolve("eks") + ":" + Path.of(IRSA_TOKEN).getParent() + ":ro"));
      run.add(container.getImage());
      run.addAll(container.getArgs());
      return run;
    }

    boolean running() throws Exception {
      List<String> inspect = new ArrayList<>(podman());
      inspect.addAll(List.of("inspect", "--format", "{{.State.Running}}", name));
      return command(inspect, Duration.ofMinutes(1)).strip().equals("true");
    }

    String logs() {
      List<String> logs = new ArrayList<>(podman());
      logs.addAll(List.of("logs", name));
      try {
        return command(logs, Duration.ofMinutes(1));
      } catch (Exception | AssertionError e) {
        return "(no logs: " + e.getMessage() + ")";
      }
    }

    @Override
    public void close() throws Exception {
      List<String> rm = new ArrayList<>(podman());
      rm.addAll(List.of("rm", "-f", "-t", "5", name));
      command(rm, Duration.ofMinutes(1));
    }

    private static List<String> podman() {
      return List.of("podman", "--runtime", "runc", "--cgroup-manager=cgroupfs");
    }

    /** Runs a command; stdout and stderr together, or an AssertionError carrying them when it fails. */
    private static String command(List<String> command, Duration timeout) throws Exception {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(command + " failed:\n" + output);
      }
      return output;
    }
  }
}
