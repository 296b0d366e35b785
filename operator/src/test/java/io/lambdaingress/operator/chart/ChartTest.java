package io.lambdaingress.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.lambdaingress.operator.EventQueueSettings;
import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart rendered by Helm itself ({@code helm lint}, {@code helm template}): what it installs, with which
 * settings and permissions, and which values its values.schema.json refuses. The API server's view of the
 * same manifests is in {@link ChartDryRunIT} and {@link ChartRbacIT}.
 */
class ChartTest {

  private static final String FULLNAME = "lambda-ingress-lambda-ingress-operator";

  @Test
  void chartCrdsAreByteIdenticalToTheTopLevelCrds() throws IOException {
    Path top = LocalWorld.repoRoot().resolve("crds");
    Path chart = ChartRender.CHART.resolve("crds");
    assertThat(fileNames(chart)).as("helm/lambda-ingress-operator/crds/ holds exactly the files of crds/")
        .isEqualTo(fileNames(top)).isNotEmpty();
    for (String name : fileNames(top)) {
      assertThat(Files.readAllBytes(chart.resolve(name)))
          .as("helm/lambda-ingress-operator/crds/" + name + " differs from crds/" + name + ": cp crds/*.yml helm/lambda-ingress-operator/crds/")
          .isEqualTo(Files.readAllBytes(top.resolve(name)));
    }
  }

  /**
   * The image the README's and install.md's helm install runs is the one their build tags and pushes: image.tag
   * left empty means the chart's appVersion, so the build must tag exactly that. (ChartOnNodeIT runs the README's.)
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"README.md | ## Install on EKS", "docs/install.md | ## 4. Install the chart (EKS)"})
  void theDocumentedInstallRunsTheImageTheDocumentedBuildPushes(String doc, String heading) throws IOException {
    String text = Files.readString(LocalWorld.repoRoot().resolve(doc));
    String image = DocumentedInstall.under(doc, heading).image();
    assertThat(text).as(doc + ": builds, tags and pushes the image its helm install runs")
        .containsPattern("docker build --target operator -t " + java.util.regex.Pattern.quote(image) + " \\.")
        .contains("docker push " + image);
  }

  /** install.md's install on the local node runs the image dev/images.sh builds, from the node's containerd (no registry). */
  @Test
  void theLocalNodeInstallRunsTheImageDevImagesBuilds() throws IOException {
    DocumentedInstall local = DocumentedInstall.under("docs/install.md", "## Try it on the local node");
    String built = java.util.regex.Pattern.compile("(?m)^operator_image=(\\S+)$")
        .matcher(Files.readString(LocalWorld.repoRoot().resolve("dev/images.sh"))).results().findFirst().orElseThrow().group(1);
    assertThat(local.image()).isEqualTo(built);
    assertThat(local.sets()).containsEntry("image.pullPolicy", "Never");
  }

  @Test
  void helmLintStrictFindsNoProblem() {
    LintResult lint = new Helm(ChartRender.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: " + lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void orphanDeletionAndFormerClusterNamesReachTheOperatorOnlyWhenSet() {
    Container plain = one(ChartRender.withRequiredValues().typedObjects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(plain.getEnv()).extracting(EnvVar::getName)
        .doesNotContain(OperatorSettings.DELETE_ORPHANS, OperatorSettings.FORMER_CLUSTER_NAMES);

    Container set = one(ChartRender.withRequiredValues().set("deleteOrphans", true).set("formerClusterNames[0]", "old-a")
        .set("formerClusterNames[1]", "old-b").typedObjects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = set.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of(OperatorSettings.CLUSTER_NAME, env.get(OperatorSettings.CLUSTER_NAME),
        OperatorSettings.DELETE_ORPHANS, env.get(OperatorSettings.DELETE_ORPHANS),
        OperatorSettings.FORMER_CLUSTER_NAMES, env.get(OperatorSettings.FORMER_CLUSTER_NAMES)));
    assertThat(settings.deleteOrphans()).isTrue();
    assertThat(settings.formerClusterNames()).containsExactlyInAnyOrder("old-a", "old-b");
    assertThat(settings.ownedClusterNames()).containsExactlyInAnyOrder("test-cluster", "old-a", "old-b");
  }

  @Test
  void theEventQueueReachesTheOperatorOnlyWhenSet() {
    Container plain = one(ChartRender.withRequiredValues().typedObjects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(plain.getEnv()).extracting(EnvVar::getName).doesNotContain(EventQueueSettings.QUEUE_URL);

    String url = "https://sqs.eu-west-1.amazonaws.com/123456789012/lambda-ingress-events";
    Container set = one(ChartRender.withRequiredValues().set("eventQueue.url", url).set("eventQueue.fullVerificationPeriods", 6)
        .typedObjects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = set.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    EventQueueSettings queue = EventQueueSettings.fromEnvironment(env);
    assertThat(queue.queueUrl()).isEqualTo(url);
    assertThat(queue.verificationInterval(java.time.Duration.ofSeconds(60))).hasMinutes(6);
  }

  @Test
  void theDeploymentRunsTwoReplicasWithLeaderElectionAndTheOperatorsSettings() {
    List<HasMetadata> objects = ChartRender.withRequiredValues().set("aws.region", "eu-west-1")
        .set("resyncPeriodSeconds", 120).typedObjects();
    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME);
    Container operator = pod.getContainers().get(0);
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(operator.getImage()).isEqualTo("lambda-ingress-operator:0.1.0");

    Map<String, EnvVar> env = operator.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get(OperatorSettings.CLUSTER_NAME).getValue()).isEqualTo("test-cluster");
    assertThat(env.get(OperatorSettings.RESYNC_PERIOD).getValue()).isEqualTo("120");
    assertThat(env.get(OperatorSettings.LEADER_ELECTION).getValue()).isEqualTo("true");
    assertThat(env.get(OperatorSettings.HTTP_PORT).getValue()).isEqualTo("8080");
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    assertThat(env.get("AWS_REGION").getValue()).isEqualTo("eu-west-1");
    assertThat(env.get("LOG_LEVEL").getValue()).as("read by log4j2.xml").isEqualTo("INFO");
    assertThat(env.get("FRAMEWORK_LOG_LEVEL").getValue()).as("read by log4j2.xml").isEqualTo("INFO");
    assertThat(env.get("LOG_FORMAT").getValue()).as("read by log4j2.xml: text for a terminal by default").isEqualTo("text");
    assertThat(env).as("all namespaces watched: no namespace list").doesNotContainKey(OperatorSettings.WATCH_NAMESPACES);
    // The settings the chart sets are exactly the ones the operator reads.
    Map<String, String> plain = env.values().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    OperatorSettings settings = OperatorSettings.fromEnvironment(
        Map.of(OperatorSettings.CLUSTER_NAME, plain.get(OperatorSettings.CLUSTER_NAME),
            OperatorSettings.RESYNC_PERIOD, plain.get(OperatorSettings.RESYNC_PERIOD),
            OperatorSettings.LEADER_ELECTION, plain.get(OperatorSettings.LEADER_ELECTION),
            OperatorSettings.HTTP_PORT, plain.get(OperatorSettings.HTTP_PORT),
            "POD_NAMESPACE", "lambda-ingress"));
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.resyncPeriod()).hasSeconds(120);
    assertThat(settings.httpPort()).isEqualTo(8080);

    // Probes and metrics on the one HTTP port of the operator.
    assertThat(operator.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http-metrics");
      assertThat(p.getContainerPort()).isEqualTo(8080);
    });
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http-metrics");
    // The liveness probe waits for the start (up to 150 s on a slow node) instead of an initial delay.
    assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getStartupProbe().getPeriodSeconds() * operator.getStartupProbe().getFailureThreshold()).isEqualTo(150);
    assertThat(operator.getLivenessProbe().getInitialDelaySeconds()).isNull();
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http-metrics");
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void theAllowListsReachTheOperatorAsItsSettings() {
    Map<String, String> defaults = plainEnv(ChartRender.withRequiredValues());
    assertThat(defaults).containsEntry(OperatorSettings.ALLOWED_ROLE_ARNS, "arn:aws:iam::*:role/lambda-ingress/*")
        .containsEntry(OperatorSettings.ALLOWED_FUNCTION_ARNS, "");
    OperatorSettings byDefault = OperatorSettings.fromEnvironment(defaults);
    assertThat(byDefault.allowedRoleArns().allows("arn:aws:iam::123456789012:role/lambda-ingress/fn")).isTrue();
    assertThat(byDefault.allowedRoleArns().allows("arn:aws:iam::123456789012:role/fn")).isFalse();
    assertThat(byDefault.allowedFunctionArns().patterns()).as("no existing function unless listed").isEmpty();

    OperatorSettings listed = OperatorSettings.fromEnvironment(plainEnv(ChartRender.withRequiredValues()
        .set("allowedRoleArns[0]", "arn:aws:iam::123456789012:role/team-a/*")
        .set("allowedRoleArns[1]", "arn:aws:iam::123456789012:role/shared-fn")
        .set("allowedFunctionArns[0]", "arn:aws:lambda:us-east-1:123456789012:function:orders")));
    assertThat(listed.allowedRoleArns().patterns())
        .containsExactly("arn:aws:iam::123456789012:role/team-a/*", "arn:aws:iam::123456789012:role/shared-fn");
    assertThat(listed.allowedFunctionArns().allows("arn:aws:lambda:us-east-1:123456789012:function:orders")).isTrue();
  }

  /** The operator container's environment as the kubelet gives it (the pod's namespace: the release's). */
  private static Map<String, String> plainEnv(ChartRender render) {
    Deployment deployment = one(render.typedObjects(), Deployment.class);
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null || "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath()))
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() != null ? e.getValue() : "lambda-ingress"));
  }

  @Test
  void thePodIsRestrictedNonRootReadOnlyWithoutCapabilities() {
    Deployment deployment = one(ChartRender.withRequiredValues().typedObjects(), Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // A read-only root filesystem: the JVM's /tmp is an emptyDir.
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
  }

  @Test
  void schedulingValuesReachThePod() {
    Deployment deployment = one(ChartRender.withRequiredValues()
        .set("nodeSelector.kubernetes\\.io/os", "linux")
        .set("tolerations[0].key", "dedicated").set("tolerations[0].operator", "Equal")
        .set("tolerations[0].value", "operators").set("tolerations[0].effect", "NoSchedule")
        .set("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key", "kubernetes.io/arch")
        .set("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", "In")
        .set("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]", "amd64")
        .typedObjects(), Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("operators"));
    assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getValues()).containsExactly("amd64");
  }

  @Test
  void theServiceAccountCarriesTheIrsaRoleFromValues() {
    String arn = "arn:aws:iam::123456789012:role/lambda-ingress-operator";
    ServiceAccount sa = one(ChartRender.withRequiredValues().set("serviceAccount.roleArn", arn).typedObjects(), ServiceAccount.class);
    assertThat(sa.getMetadata().getName()).isEqualTo(FULLNAME);
    assertThat(sa.getMetadata().getAnnotations()).containsExactly(Map.entry("eks.amazonaws.com/role-arn", arn));

    ServiceAccount withoutIrsa = one(ChartRender.withRequiredValues().typedObjects(), ServiceAccount.class);
    assertThat(withoutIrsa.getMetadata().getAnnotations()).as("Pod Identity: no annotation").isNullOrEmpty();
  }

  @Test
  void allNamespacesMeansOneClusterRoleWithOnlyWhatTheOperatorUses() {
    List<HasMetadata> objects = ChartRender.withRequiredValues().typedObjects();
    ClusterRole role = one(objects, ClusterRole.class);
    assertThat(rules(role.getRules())).containsExactlyInAnyOrder(
        "lambdaingress.io/lambdaingresses: get,list,watch,patch,update",
        "lambdaingress.io/lambdaingresses/status: get,patch,update",
        "lambdaingress.io/lambdaingresses/finalizers: update",
        "/events: create,get,patch");
    ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(FULLNAME);
      assertThat(s.getNamespace()).isEqualTo("lambda-ingress");
    });
    assertThat(leaderElectionRole(objects)).isNotNull();
    assertThat(objects.stream().filter(o -> o instanceof Role).count()).as("only the leader-election Role").isEqualTo(1);
  }

  @Test
  void watchedNamespacesMeanARoleInEachAndNothingClusterWide() {
    List<HasMetadata> objects = ChartRender.withRequiredValues()
        .set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b").typedObjects();
    assertThat(objects).noneMatch(o -> o instanceof ClusterRole || o instanceof ClusterRoleBinding);
    List<Role> roles = objects.stream().filter(o -> o instanceof Role r && !r.getMetadata().getName().endsWith("-leader-election"))
        .map(Role.class::cast).toList();
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
    roles.forEach(r -> assertThat(rules(r.getRules())).hasSize(4).contains("lambdaingress.io/lambdaingresses: get,list,watch,patch,update"));
    List<RoleBinding> bindings = objects.stream().filter(o -> o instanceof RoleBinding).map(RoleBinding.class::cast).toList();
    assertThat(bindings).extracting(b -> b.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b", "lambda-ingress");
    bindings.forEach(b -> assertThat(b.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getNamespace()).as("the operator's ServiceAccount lives in the release namespace").isEqualTo("lambda-ingress")));
    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo(OperatorSettings.WATCH_NAMESPACES);
          assertThat(e.getValue()).isEqualTo("team-a,team-b");
        });
  }

  @Test
  void theLeaseRoleIsInTheReleaseNamespaceAndLimitedToTheOperatorsLease() {
    Role role = leaderElectionRole(ChartRender.withRequiredValues().release("li", "ops").typedObjects());
    assertThat(role.getMetadata().getNamespace()).isEqualTo("ops");
    assertThat(rules(role.getRules())).containsExactlyInAnyOrder(
        "coordination.k8s.io/leases: create", "coordination.k8s.io/leases[lambda-ingress-operator]: get,update,patch");
  }

  @Test
  void noRuleGrantsSecretsOrWildcards() {
    for (ChartRender render : List.of(ChartRender.withRequiredValues(), ChartRender.withRequiredValues().set("watchNamespaces[0]", "x"))) {
      List<PolicyRule> all = render.typedObjects().stream().flatMap(o -> o instanceof Role r ? r.getRules().stream()
          : o instanceof ClusterRole c ? c.getRules().stream() : Stream.empty()).toList();
      assertThat(all).isNotEmpty().allSatisfy(rule -> {
        assertThat(rule.getResources()).doesNotContain("secrets", "*");
        assertThat(rule.getVerbs()).doesNotContain("*", "delete", "deletecollection", "escalate", "bind", "impersonate");
        assertThat(rule.getApiGroups()).doesNotContain("*", "apiextensions.k8s.io");
      });
    }
  }

  @Test
  void theMetricsServiceAndTheOptionalServiceMonitorSelectTheOperatorPods() {
    List<HasMetadata> objects = ChartRender.withRequiredValues().set("metrics.serviceMonitor.enabled", true)
        .set("metrics.serviceMonitor.labels.release", "prometheus").typedObjects();
    Deployment deployment = one(objects, Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    Service service = one(objects, Service.class);
    assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http-metrics");
    });

    var monitor = ChartRender.find(ChartRender.withRequiredValues().set("metrics.serviceMonitor.enabled", true)
        .set("metrics.serviceMonitor.labels.release", "prometheus").objects(), "ServiceMonitor", FULLNAME).orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat((List<?>) spec.get("endpoints")).singleElement().isEqualTo(
        Map.of("port", "http-metrics", "path", "/metrics", "interval", "30s", "scrapeTimeout", "10s"));

    assertThat(ChartRender.withRequiredValues().objects()).as("no ServiceMonitor by default (its CRD may be absent)")
        .noneMatch(o -> "ServiceMonitor".equals(o.getKind()));
  }

  @Test
  void withoutAClusterNameTheChartRefusesToRender() {
    assertThatThrownBy(() -> ChartRender.withChartDefaults().yaml())
        .hasMessageContaining("clusterName is required");
  }

  @Test
  void twoReplicasWithoutLeaderElectionAreRefused() {
    assertThatThrownBy(() -> ChartRender.withRequiredValues().set("leaderElection.enabled", false).yaml())
        .hasMessageContaining("needs leaderElection.enabled=true");
    assertThat(ChartRender.withRequiredValues().set("leaderElection.enabled", false).set("replicaCount", 1).objects())
        .as("one replica without leader election is fine, and needs no Lease permissions")
        .noneMatch(o -> o.getMetadata().getName().endsWith("-leader-election"));
  }

  /** Each wrong value is refused by values.schema.json, naming the value's path. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "replicaCount | two | /replicaCount",
      "replicaCount | -1 | /replicaCount",
      "resyncPeriodSeconds | 0 | /resyncPeriodSeconds",
      "resyncPeriodSeconds | 1m | /resyncPeriodSeconds",
      "logLevel | verbose | /logLevel",
      "frameworkLogLevel | verbose | /frameworkLogLevel",
      "logFormat | logfmt | /logFormat",
      "clusterName | has space | /clusterName",
      "aws.region | Europe | /aws/region",
      "watchNamespaces[0] | Team_A | /watchNamespaces/0",
      "image.pullPolicy | Sometimes | /image/pullPolicy",
      "image.digest | latest | /image/digest",
      "serviceAccount.roleArn | my-role | /serviceAccount/roleArn",
      "allowedRoleArns[0] | lambda-ingress/* | /allowedRoleArns/0",
      "allowedFunctionArns[0] | orders | /allowedFunctionArns/0",
      "metrics.port | 70000 | /metrics/port",
      "metrics.serviceMonitor.interval | often | /metrics/serviceMonitor/interval",
      "securityContext.readOnlyRootFilesystem | false | /securityContext/readOnlyRootFilesystem",
      "securityContext.allowPrivilegeEscalation | true | /securityContext/allowPrivilegeEscalation",
      "podSecurityContext.runAsNonRoot | false | /podSecurityContext/runAsNonRoot",
      "securityContext.capabilities.add[0] | NET_ADMIN | /securityContext/capabilities/add",
      "resources.requests.memory | lots | /resources/requests/memory",
      "replicas | 2 | additional properties 'replicas' not allowed",
      "leaderElection.enable | true | additional properties 'enable' not allowed",
  })
  void theSchemaRefusesWrongValues(String key, String value, String where) {
    assertThatThrownBy(() -> ChartRender.withRequiredValues().set(key, value).yaml())
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(where);
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as("one " + type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static Role leaderElectionRole(List<HasMetadata> objects) {
    return objects.stream().filter(o -> o instanceof Role && o.getMetadata().getName().endsWith("-leader-election"))
        .map(Role.class::cast).findFirst().orElseThrow(() -> new AssertionError("no leader-election Role"));
  }

  /** "group/resource[names]: verbs" per resource of each rule, comparable as strings. */
  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().flatMap(r -> r.getApiGroups().stream().flatMap(g -> r.getResources().stream().map(res ->
        g + "/" + res + (r.getResourceNames() == null || r.getResourceNames().isEmpty() ? "" : r.getResourceNames().toString())
            + ": " + String.join(",", r.getVerbs())))).toList();
  }
}
