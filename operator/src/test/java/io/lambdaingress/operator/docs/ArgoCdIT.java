package io.lambdaingress.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalArgoCd;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * A real Argo CD (dev/argocd.sh: application controller + repo server built from the pinned module) syncs
 * examples/argocd-application.yaml from a git repository on this machine laid out as a user's: the chart in
 * helm/lambda-ingress-operator, the LambdaIngress objects in examples/. Argo CD judges the objects with
 * docs/argocd/lambdaingress-health.lua, installed from docs/argocd/argocd-cm-snippet.yaml as users install it.
 *
 * <p>The operator runs as a process (the suite's cheapest way; the chart is synced with replicaCount 0, so
 * Argo CD installs its CRD, RBAC and a Deployment of no pod). What the test changes in the Application, and
 * nothing else: repoURL (the local repository), the release name and namespaces (unique per run, as every
 * IT), replicaCount 0. Argo CD compares every 2 s here (ARGOCD_RECONCILIATION_TIMEOUT) instead of 120 s, so
 * that "no sync loop" is many comparisons in a short window, counted; dev/argocd-soak.sh watches 10 minutes.
 */
@WithLocalWorld
class ArgoCdIT {

  static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications").withNamespaced(true).build();
  private static final Path EXAMPLE = LocalWorld.repoRoot().resolve("examples/argocd-application.yaml");
  /** How many comparisons of live and desired state the no-sync-loop window spans. */
  private static final int COMPARISONS = 12;
  /**
   * dev/argocd-soak.sh sets this: the no-sync-loop window becomes that many minutes of wall-clock time with
   * Argo CD's and the chart's default periods (Argo CD compares every 120 s + up to 60 s, the operator resyncs
   * every 60 s), watched every 5 s. 0 (the suite): the short counted window above.
   */
  private static final long SOAK_MINUTES = Long.getLong("argocd.soakMinutes", 0);

  @Test
  void argoCdSyncsTheChartAndTheObjectsAndJudgesThemWithOurHealthCheck(LocalWorld world) throws Exception {
    String ns = LocalWorld.uniqueName("argo");
    String operatorNs = ns + "-operator";
    String release = ns + "-li";
    String cluster = LocalWorld.uniqueName("argo");
    ArticlePrerequisites pre = ArticlePrerequisites.create(world.awsRegion());
    GitRepo git = GitRepo.create(LocalWorld.repoRoot().resolve("operator/target/argocd-it/" + ns));
    String good = withWave(pre.articleStack(ns, "sample"));
    git.write("examples/article-stack.yaml", good);
    git.write("examples/argocd-application.yaml", Files.readString(EXAMPLE));
    git.copyDirectory(LocalWorld.repoRoot().resolve("helm/lambda-ingress-operator"), "helm/lambda-ingress-operator");
    git.commit("the chart and the article stack");

    String application = application(git.url(), release, operatorNs, cluster);
    List<String> states = new CopyOnWriteArrayList<>();
    List<String> readyWhenFirstHealthy = new CopyOnWriteArrayList<>();
    List<String> firstSync = new CopyOnWriteArrayList<>();
    try (KubernetesClient admin = world.adminClient();
        LocalArgoCd argo = LocalArgoCd.start(world, SOAK_MINUTES > 0 ? Map.of()
            : Map.of("ARGOCD_RECONCILIATION_TIMEOUT", "2s", "ARGOCD_RECONCILIATION_JITTER", "0s"))) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      // Argo CD watches only this run's namespaces (and cluster-scoped kinds): the suite's other tests share the API server.
      admin.secrets().inNamespace("argocd").resource(new SecretBuilder().withNewMetadata().withName(ns + "-cluster")
          .addToLabels("argocd.argoproj.io/secret-type", "cluster").endMetadata()
          .addToStringData(Map.of("name", "in-cluster", "server", "https://kubernetes.default.svc",
              "namespaces", ns + "," + operatorNs, "clusterResources", "true"))
          .build()).create();
      try (Watch watch = watchApplication(admin, states, readyWhenFirstHealthy, firstSync, ns);
          OperatorProcessOnce operator = new OperatorProcessOnce(world, cluster, ns)) {
        admin.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").resource(Serialization.unmarshal(application, GenericKubernetesResource.class))
            .create();

        // 1. Argo CD creates the CRD, the operator's RBAC and Deployment, then the object; the operator (started
        //    once the CRD exists) makes the chain: Synced and Progressing meanwhile, Healthy once Ready.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
            .until(() -> lambdaIngress(admin, ns) != null);
        operator.start();
        awaitState(admin, "Synced", "Healthy", Duration.ofSeconds(150));
        System.out.printf("ArgoCdIT: states until Healthy: %s%n", states);
        assertThat(states).as("Application states seen, in order").contains("Synced/Progressing");
        assertThat(states.indexOf("Synced/Progressing")).as("Progressing before Healthy: " + states)
            .isLessThan(states.indexOf("Synced/Healthy"));
        // The watch records the object's Ready on its own thread when it sees Healthy; this thread may see Healthy first.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> !readyWhenFirstHealthy.isEmpty());
        assertThat(readyWhenFirstHealthy).as("the object's Ready when Argo CD first said Healthy")
            .containsExactly("True at generation 1 of 1");
        GenericKubernetesResource live = lambdaIngress(admin, ns);
        assertThat(resourceHealth(app(admin), "LambdaIngress"))
            .isEqualTo("Healthy: Ready: " + ((Map<?, ?>) live.getAdditionalProperties().get("status")).get("endpoint"));
        // (Argo CD may follow it with one partial sync of the object at once: its cache had not seen the object yet.)
        assertThat(firstSync).as("the order of Argo CD's first sync")
            .containsSubsequence("CustomResourceDefinition", "ClusterRole", "Deployment", "LambdaIngress");

        // 2. No sync loop: many comparisons, not one sync more, the object's spec never rewritten.
        double syncs = argo.metric("argocd_app_sync_total", Map.of("name", release));
        double comparisons = argo.metric("argocd_app_reconcile_count", Map.of());
        String operationStarted = operationStartedAt(app(admin));
        long generation = live.getMetadata().getGeneration();
        int seen = states.size();
        if (SOAK_MINUTES > 0) {
          soak(argo, admin, release, syncs, states, seen);
        } else {
          Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
              .until(() -> argo.metric("argocd_app_reconcile_count", Map.of()) >= comparisons + COMPARISONS);
        }
        System.out.printf("ArgoCdIT: no sync loop: %.0f comparisons, syncs stayed at %.0f, states %s%n",
            argo.metric("argocd_app_reconcile_count", Map.of()) - comparisons, syncs, states.subList(seen, states.size()));
        assertThat(argo.metric("argocd_app_sync_total", Map.of("name", release))).as("syncs after " + COMPARISONS + " comparisons")
            .isEqualTo(syncs);
        assertThat(operationStartedAt(app(admin))).as("the last sync operation").isEqualTo(operationStarted);
        assertThat(states.subList(seen, states.size())).as("states during the window").allMatch("Synced/Healthy"::equals);
        assertThat(lambdaIngress(admin, ns).getMetadata().getGeneration()).as("spec never rewritten").isEqualTo(generation);

        // 3. A bad spec in git: Degraded with the operator's message; fixed in git: Healthy again.
        String zoneA = pre.subnets().get("a");
        String zoneAToo = pre.subnets().get("d");
        String bad = good.replace(pre.subnets().get("b") + ", " + pre.subnets().get("c"), zoneA + ", " + zoneAToo);
        assertThat(bad).isNotEqualTo(good);
        git.write("examples/article-stack.yaml", bad);
        git.commit("ALB subnets in one zone");
        requestRefresh(admin, release);
        awaitState(admin, "Synced", "Degraded", Duration.ofSeconds(90));
        Map<String, Object> ready = readyCondition(lambdaIngress(admin, ns));
        assertThat(ready).containsEntry("reason", "InvalidSpec");
        assertThat((String) ready.get("message")).startsWith("spec.alb.subnets: an ALB needs subnets in at least two");
        assertThat(resourceHealth(app(admin), "LambdaIngress")).isEqualTo("Degraded: InvalidSpec: " + ready.get("message"));
        git.write("examples/article-stack.yaml", good);
        git.commit("ALB subnets in two zones again");
        requestRefresh(admin, release);
        awaitState(admin, "Synced", "Healthy", Duration.ofSeconds(90));
        assertThat(readyCondition(lambdaIngress(admin, ns))).containsEntry("status", "True");

        // 4. Removed from git: pruned, the operator deletes the chain, nothing left tagged, nothing Terminating.
        assertThat(AwsInventory.ownedBy(cluster, ns, "sample")).as("the chain").hasSize(5);
        git.remove("examples/article-stack.yaml");
        git.commit("no more LambdaIngress");
        requestRefresh(admin, release);
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
            .until(() -> lambdaIngress(admin, ns) == null);
        awaitState(admin, "Synced", "Healthy", Duration.ofSeconds(60));
        assertThat(taggedFor(cluster)).as("AWS resources tagged for this cluster").isEmpty();
        assertThat(admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).list().getItems())
            .as("LambdaIngresses left (Terminating or not)").isEmpty();
        assertThat(managedKinds(app(admin))).as("what the Application still manages").doesNotContain("LambdaIngress").contains("Deployment");
      } finally {
        // Never let Argo CD cascade-delete: the CRD it synced is the suite's. Orphan everything, then tidy up.
        admin.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").withName(release)
            .edit(a -> {
              a.getMetadata().setFinalizers(List.of());
              return a;
            });
        admin.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").withName(release).delete();
        admin.secrets().inNamespace("argocd").withName(ns + "-cluster").delete();
        admin.rbac().clusterRoleBindings().withLabel("app.kubernetes.io/instance", release).delete();
        admin.rbac().clusterRoles().withLabel("app.kubernetes.io/instance", release).delete();
        admin.namespaces().withName(operatorNs).delete();
      }
    }
  }

  /** The soak's window: the same checks every 5 s for SOAK_MINUTES of wall-clock time, failing at the first change. */
  private static void soak(LocalArgoCd argo, KubernetesClient admin, String release, double syncs, List<String> states, int seen)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + Duration.ofMinutes(SOAK_MINUTES).toNanos();
    int checks = 0;
    while (System.nanoTime() < end) {
      assertThat(argo.metric("argocd_app_sync_total", Map.of("name", release))).as("syncs during the soak").isEqualTo(syncs);
      assertThat(states.subList(seen, states.size())).as("states during the soak").allMatch("Synced/Healthy"::equals);
      assertThat(state(app(admin))).isEqualTo("Synced/Healthy");
      checks++;
      Thread.sleep(5000);
    }
    System.out.printf("ArgoCdIT soak: %d checks over %.1f min, each Synced/Healthy, syncs %.0f at every check%n", checks,
        (System.nanoTime() - start) / 60e9, syncs);
  }

  /**
   * After a push, what {@code argocd app get --refresh} (or a git webhook) does: the refresh annotation, which
   * makes Argo CD resolve the branch again and compare at once, instead of at its next periodic comparison (with
   * Argo CD's defaults, the soak's, 120 s + up to 60 s of jitter, and its repo server keeps the commit it resolved
   * for the branch 3 minutes, so a push could go unseen for longer still). The annotation is a merge patch, as
   * {@code kubectl annotate} sends; the application controller removes it once it has compared.
   */
  private static void requestRefresh(KubernetesClient admin, String release) {
    admin.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").withName(release)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"argocd.argoproj.io/refresh\":\"normal\"}}}");
  }

  /**
   * examples/argocd-application.yaml with what a test must change: the repository (this machine's), the
   * release name and namespaces (unique per run), and no operator pod (the operator runs as a process).
   */
  private static String application(String repoUrl, String release, String operatorNs, String cluster) throws IOException {
    String yaml = Files.readString(EXAMPLE);
    String changed = yaml.replace("https://git.example.com/platform/lambda-ingress.git", repoUrl)
        .replace("  name: lambda-ingress\n", "  name: " + release + "\n")
        .replace("releaseName: lambda-ingress-operator", "releaseName: " + release)
        .replace("    namespace: lambda-ingress\n", "    namespace: " + operatorNs + "\n")
        .replace("clusterName: my-cluster", "clusterName: " + cluster + "\n          replicaCount: 0");
    assertThat(changed.lines().filter(l -> !l.equals(l.stripTrailing())).count()).isZero();
    assertThat(changed).as("every substitution found").doesNotContain("git.example.com", "my-cluster", "name: lambda-ingress\n")
        .contains("releaseName: " + release, "namespace: " + operatorNs);
    return changed;
  }

  /** Our objects after the chart: docs/argocd/README.md recommends wave 1 for them. */
  private static String withWave(String lambdaIngress) {
    String waved = lambdaIngress.replaceFirst("(?m)^metadata:\n", "metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: \"1\"\n");
    assertThat(waved).isNotEqualTo(lambdaIngress);
    return waved;
  }

  private static Watch watchApplication(KubernetesClient admin, List<String> states, List<String> readyWhenFirstHealthy,
      List<String> firstSync, String ns) {
    return admin.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource app) {
        String state = state(app);
        // A Degraded state names what is degraded (the docs say what a first install shows for a moment).
        String seen = state.endsWith("/Degraded") ? state + " " + degraded(app) : state;
        if (states.isEmpty() || !states.get(states.size() - 1).equals(seen)) {
          states.add(seen);
        }
        if (firstSync.isEmpty() && "Succeeded".equals(map(map(app.getAdditionalProperties(), "status"), "operationState").get("phase"))) {
          firstSync.addAll(appliedKinds(app));
        }
        if (state.endsWith("/Healthy") && readyWhenFirstHealthy.isEmpty()) {
          GenericKubernetesResource li = lambdaIngress(admin, ns);
          Map<String, Object> ready = li == null ? null : readyCondition(li);
          readyWhenFirstHealthy.add(ready == null ? "no Ready condition" : ready.get("status") + " at generation "
              + ready.get("observedGeneration") + " of " + li.getMetadata().getGeneration());
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // the test closes it
      }
    });
  }

  private static void awaitState(KubernetesClient admin, String sync, String health, Duration atMost) {
    try {
      Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(300))
          .until(() -> (sync + "/" + health).equals(state(app(admin))));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the Application is not " + sync + "/" + health + " after " + atMost + ": " + summary(app(admin)), e);
    }
  }

  /** What Argo CD says of the Application: state, conditions, the last operation, each resource's sync and health. */
  private static String summary(GenericKubernetesResource app) {
    Map<String, Object> status = map(app.getAdditionalProperties(), "status");
    StringBuilder text = new StringBuilder(state(app));
    list(status, "conditions").forEach(c -> text.append("\n  condition ").append(c.get("type")).append(": ").append(c.get("message")));
    Map<String, Object> operation = map(status, "operationState");
    text.append("\n  operation ").append(operation.get("phase")).append(": ").append(operation.get("message"));
    list(status, "resources").forEach(r -> text.append("\n  ").append(r.get("kind")).append(" ").append(r.get("namespace")).append("/")
        .append(r.get("name")).append(" ").append(r.get("status")).append(" ").append(r.get("health")));
    return text.toString();
  }

  private static GenericKubernetesResource app(KubernetesClient admin) {
    List<GenericKubernetesResource> apps = admin.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").list().getItems();
    assertThat(apps).as("this test's Application").hasSize(1);
    return apps.get(0);
  }

  private static String state(GenericKubernetesResource app) {
    Map<String, Object> status = map(app.getAdditionalProperties(), "status");
    return map(status, "sync").get("status") + "/" + map(status, "health").get("status");
  }

  /** "Health: message" of the Application's resource of that kind (persisted: --persist-resource-health). */
  private static String resourceHealth(GenericKubernetesResource app, String kind) {
    for (Map<String, Object> r : list(map(app.getAdditionalProperties(), "status"), "resources")) {
      if (kind.equals(r.get("kind"))) {
        Map<String, Object> health = map(r, "health");
        return health.get("status") + ": " + health.get("message");
      }
    }
    throw new AssertionError("the Application has no " + kind + " resource: " + app.getAdditionalProperties().get("status"));
  }

  /** "Kind name: message" of each resource Argo CD calls Degraded. */
  private static List<String> degraded(GenericKubernetesResource app) {
    return list(map(app.getAdditionalProperties(), "status"), "resources").stream()
        .filter(r -> "Degraded".equals(map(r, "health").get("status")))
        .map(r -> r.get("kind") + " " + r.get("name") + ": " + map(r, "health").get("message")).toList();
  }

  private static List<String> managedKinds(GenericKubernetesResource app) {
    return list(map(app.getAdditionalProperties(), "status"), "resources").stream().map(r -> (String) r.get("kind")).toList();
  }

  /** The kinds of the last sync, in the order Argo CD applied them (its result list is kept in that order). */
  private static List<String> appliedKinds(GenericKubernetesResource app) {
    Map<String, Object> operation = map(map(app.getAdditionalProperties(), "status"), "operationState");
    return list(map(operation, "syncResult"), "resources").stream().map(r -> (String) r.get("kind")).toList();
  }

  private static String operationStartedAt(GenericKubernetesResource app) {
    return (String) map(map(app.getAdditionalProperties(), "status"), "operationState").get("startedAt");
  }

  private static GenericKubernetesResource lambdaIngress(KubernetesClient admin, String ns) {
    return admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("sample").get();
  }

  private static Map<String, Object> readyCondition(GenericKubernetesResource li) {
    Map<String, Object> status = map(li.getAdditionalProperties(), "status");
    return list(status, "conditions").stream().filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(null);
  }

  /** Every load balancer, target group and function whose owner tag names this cluster. */
  private static List<String> taggedFor(String cluster) {
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      return AwsInventory.Snapshot.read(elb).tags().entrySet().stream()
          .filter(e -> cluster.equals(e.getValue().get("lambdaingress.io/cluster"))).map(Map.Entry::getKey).toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent == null ? null : parent.get(key);
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object value = parent == null ? null : parent.get(key);
    return value instanceof List ? (List<Map<String, Object>>) value : List.of();
  }

  /** The operator process, started once the CRD exists (a JOSDK operator needs its CRD to start), closed at the end. */
  private static final class OperatorProcessOnce implements AutoCloseable {
    private final LocalWorld world;
    private final String cluster;
    private final String ns;
    private OperatorProcess process;

    /** The chart's default resync (60 s) in the soak, 5 s in the suite (more status reads and writes to not loop on). */
    void start() {
      process = OperatorProcess.start(world, cluster, ns, SOAK_MINUTES > 0 ? 60 : 5);
    }

    OperatorProcessOnce(LocalWorld world, String cluster, String ns) {
      this.world = world;
      this.cluster = cluster;
      this.ns = ns;
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null) {
        process.close();
      }
    }
  }

  /** A git repository on this machine that Argo CD's repo server reads by file:// URL, on branch main. */
  private record GitRepo(Path dir) {

    static GitRepo create(Path dir) throws IOException {
      Files.createDirectories(dir);
      GitRepo repo = new GitRepo(dir);
      repo.git("init", "--quiet", "--initial-branch", "main");
      return repo;
    }

    String url() {
      return "file://" + dir.toAbsolutePath();
    }

    void write(String path, String content) throws IOException {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    void copyDirectory(Path from, String to) throws IOException {
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
          write(to + "/" + from.relativize(f), Files.readString(f));
        }
      }
    }

    void remove(String path) {
      git("rm", "--quiet", path);
    }

    void commit(String message) {
      git("add", "--all");
      git("-c", "user.name=ArgoCdIT", "-c", "user.email=argocd-it@localhost", "commit", "--quiet", "-m", message);
    }

    private void git(String... args) {
      List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
      command.addAll(List.of(args));
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
