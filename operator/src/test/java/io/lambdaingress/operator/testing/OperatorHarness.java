package io.lambdaingress.operator.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.Operator;
import io.lambdaingress.operator.OperatorMain;
import io.lambdaingress.operator.EventQueueSettings;
import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.reconciler.AwsChangeEvents;
import io.lambdaingress.operator.reconciler.LambdaIngressReconciler;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.model.ArnAllowList;
import io.lambdaingress.operator.model.ChainModel;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The operator running in-process against the local world, the way {@link OperatorMain} runs it, watching
 * only namespaces of its own (so test classes never reconcile each other's objects) with a cluster name
 * of its own (so owner tags never match resources of another run).
 */
public final class OperatorHarness implements AutoCloseable {

  public static final ResourceDefinitionContext LAMBDA_INGRESSES = new ResourceDefinitionContext.Builder()
      .withGroup("lambdaingress.io").withVersion("v1alpha1").withKind("LambdaIngress").withPlural("lambdaingresses")
      .withNamespaced(true).build();

  /**
   * The existing functions the harness's operators may expose, as a user lists theirs in the chart value
   * allowedFunctionArns: tests name their existing functions {@code existing-...}. Roles keep the default
   * (/lambda-ingress/ path), where ArticlePrerequisites creates them.
   */
  public static final String EXISTING_FUNCTIONS = "arn:aws:lambda:*:*:function:existing-*";

  private final KubernetesClient client;
  private final AwsClients aws;
  private final Operator operator;
  private final OperatorSettings settings;
  private final List<String> namespaces;
  // The key of its own it signs AWS calls with (LocalWorld#asCaller), or null: the JVM's default chain.
  private final AwsCredentialsProvider credentials;
  private boolean stopped;
  private LambdaIngressReconciler reconciler;

  private OperatorHarness(KubernetesClient client, AwsClients aws, Operator operator, OperatorSettings settings, List<String> namespaces,
      AwsCredentialsProvider credentials) {
    this.client = client;
    this.credentials = credentials;
    this.aws = aws;
    this.operator = operator;
    this.settings = settings;
    this.namespaces = namespaces;
  }

  /** Installs the checked-in CRDs, creates {@code namespaceCount} namespaces and starts the operator on them. */
  public static OperatorHarness start(LocalWorld world, Duration resync, int namespaceCount) {
    return startWithEventQueue(world, resync, namespaceCount, EventQueueSettings.NONE);
  }

  /**
   * As {@link #start}, the operator using {@code operatorClient} (a client of the world's admin identity with, say, an
   * interceptor of the test's); the harness closes it.
   */
  public static OperatorHarness start(LocalWorld world, Duration resync, int namespaceCount, KubernetesClient operatorClient) {
    return startOn(operatorClient, world, resync, namespaceCount, EventQueueSettings.NONE, null);
  }

  /** As {@link #start}, with the event queue {@code queue} names (EventsIT). */
  public static OperatorHarness startWithEventQueue(LocalWorld world, Duration resync, int namespaceCount, EventQueueSettings queue) {
    return startWithEventQueue(world, resync, namespaceCount, queue, null);
  }

  /** As {@link #startWithEventQueue}, the operator's metrics in {@code registry} (the scale benchmark counts the series). */
  public static OperatorHarness startWithEventQueue(LocalWorld world, Duration resync, int namespaceCount, EventQueueSettings queue,
      MeterRegistry registry) {
    return startOn(world.adminClient(), world, resync, namespaceCount, queue, registry);
  }

  private static OperatorHarness startOn(KubernetesClient client, LocalWorld world, Duration resync, int namespaceCount, EventQueueSettings queue,
      MeterRegistry registry) {
    installCrds(client);
    List<String> namespaces = Stream.generate(() -> LocalWorld.uniqueName("li")).limit(namespaceCount).toList();
    namespaces.forEach(ns -> client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create());
    String cluster = LocalWorld.uniqueName("it");
    OperatorSettings settings = new OperatorSettings(cluster, resync, Set.copyOf(namespaces))
        .withAllowedFunctionArns(ArnAllowList.parse(EXISTING_FUNCTIONS));
    return startOperator(client, settings, queue, namespaces, registry, world.ownCallerCredentials());
  }

  private static OperatorHarness startOperator(KubernetesClient client, OperatorSettings settings, EventQueueSettings queue,
      List<String> namespaces, MeterRegistry registry, AwsCredentialsProvider credentials) {
    AwsClients aws = credentials == null ? new AwsClients(new AwsCallCounter()) : new AwsClients(new AwsCallCounter(), credentials);
    LambdaIngressReconciler reconciler = new LambdaIngressReconciler(settings, queue, aws, client);
    Operator operator = OperatorMain.start(settings, reconciler, queue, client, registry);
    OperatorHarness h = new OperatorHarness(client, aws, operator, settings, namespaces, credentials);
    h.reconciler = reconciler;
    return h;
  }

  /** The objects in the operator's own cache (its informer's view), now. */
  public List<io.lambdaingress.operator.api.LambdaIngress> cachedObjects() {
    return reconciler.cachedObjects();
  }

  /** The event queue's counts of this operator (started with one). */
  public AwsChangeEvents.Counts eventCounts() {
    return reconciler.changeEvents().orElseThrow().counts();
  }

  /** Stops the operator only (the world and the client stay): "the operator is down". */
  public void stopOperator() {
    if (!stopped) {
      stopped = true;
      SuiteAwsCalls.record(aws.counter().snapshot(), StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
          .walk(frames -> frames.map(f -> f.getDeclaringClass().getSimpleName()).filter(n -> n.endsWith("IT")).findFirst().orElse("?")));
      operator.stop();
      aws.close();
    }
  }

  /**
   * Stops this operator and starts a new one on the same namespaces with the settings {@code adjust} makes
   * of these (another cluster name, orphan handling), its metrics in {@code registry} (may be null). Close
   * the returned harness, not this one: they share the client.
   */
  public OperatorHarness startAgain(UnaryOperator<OperatorSettings> adjust, MeterRegistry registry) {
    stopOperator();
    return startOperator(client, adjust.apply(settings), EventQueueSettings.NONE, namespaces, registry, credentials);
  }

  /** The settings this operator runs with. */
  public OperatorSettings settings() {
    return settings;
  }

  public static void installCrds(KubernetesClient client) {
    try (Stream<Path> files = Files.list(LocalWorld.repoRoot().resolve("crds"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
          client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
              // A CRD just created may have a status without conditions yet: wait on, not fail.
              .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream()
                  .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public AwsCallCounter awsCalls() {
    return aws.counter();
  }

  public String clusterName() {
    return settings.clusterName();
  }

  public String namespace(int i) {
    return namespaces.get(i);
  }

  /** Applies a LambdaIngress written as YAML (as a user would with kubectl apply). */
  public GenericKubernetesResource apply(String yaml) {
    GenericKubernetesResource r = client.genericKubernetesResources(LAMBDA_INGRESSES).load(
        new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).item();
    return client.genericKubernetesResources(LAMBDA_INGRESSES).inNamespace(r.getMetadata().getNamespace())
        .resource(r).forceConflicts().serverSideApply();
  }

  public GenericKubernetesResource get(String namespace, String name) {
    return client.genericKubernetesResources(LAMBDA_INGRESSES).inNamespace(namespace).withName(name).get();
  }

  /** The Ready condition of the object, or an empty map while it has none. */
  public Map<String, Object> readyCondition(String namespace, String name) {
    return readyCondition(get(namespace, name));
  }

  /** The Ready condition of this copy of the object (one GET: status and metadata of the same moment). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readyCondition(GenericKubernetesResource r) {
    if (r == null || !(r.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return Map.of();
    }
    Object conditions = status.get("conditions");
    if (!(conditions instanceof List<?> list)) {
      return Map.of();
    }
    return list.stream().map(c -> (Map<String, Object>) c).filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(Map.of());
  }

  /** Waits until Ready=True at the object's current generation; fails with the last condition seen. */
  public GenericKubernetesResource awaitReady(String namespace, String name, Duration timeout) {
    return awaitCondition(namespace, name, "True", null, timeout);
  }

  /** Waits until Ready has the status (and reason, when not null) at the current generation. */
  public GenericKubernetesResource awaitCondition(String namespace, String name, String status, String reason, Duration timeout) {
    // Judged and returned: the same copy (a second GET could see a newer status than the copy returned).
    Watched w = watchUntil(client.genericKubernetesResources(LAMBDA_INGRESSES).inNamespace(namespace).withName(name), r -> {
      Map<String, Object> c = readyCondition(r);
      return r != null && status.equals(c.get("status")) && (reason == null || reason.equals(c.get("reason")))
          && Long.valueOf(r.getMetadata().getGeneration()).equals(toLong(c.get("observedGeneration")));
    }, timeout);
    if (w.satisfied()) {
      return w.object();
    }
    throw new AssertionError("LambdaIngress " + namespace + "/" + name + " did not reach Ready=" + status
        + (reason == null ? "" : " (" + reason + ")") + " within " + timeout + "; last Ready condition: " + readyCondition(w.object()));
  }

  /** How a watched wait ended: the copy that satisfied the condition (null: the object is gone), or the last one seen. */
  public record Watched(boolean satisfied, GenericKubernetesResource object) {}

  /**
   * Waits on a watch of the object until {@code done} holds for it (it gets null while the object does not exist):
   * each change wakes the wait at once, and nothing is read while nothing changes. Polling instead (a GET every 100
   * or 200 ms from every waiting class) cost the API server, etcd and the test JVM CPU the suite, CPU-bound on 2
   * cores, does not have.
   */
  public static Watched watchUntil(Resource<GenericKubernetesResource> resource, Predicate<GenericKubernetesResource> done, Duration timeout) {
    AtomicReference<GenericKubernetesResource> last = new AtomicReference<>();
    try {
      GenericKubernetesResource r = resource.waitUntilCondition(o -> {
        last.set(o);
        return done.test(o);
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Watched(true, r);
    } catch (KubernetesClientTimeoutException e) {
      return new Watched(false, last.get());
    }
  }

  /**
   * Applies the object and waits until Ready=False with {@code reason} at its generation; returns the
   * condition's message, checked to contain every one of {@code messageParts}.
   */
  public String applyAndAwaitNotReady(String yaml, String reason, Duration timeout, String... messageParts) {
    GenericKubernetesResource applied = apply(yaml);
    String ns = applied.getMetadata().getNamespace();
    String name = applied.getMetadata().getName();
    awaitCondition(ns, name, "False", reason, timeout);
    String message = (String) readyCondition(ns, name).get("message");
    for (String part : messageParts) {
      if (message == null || !message.contains(part)) {
        throw new AssertionError("Ready message of " + ns + "/" + name + " lacks '" + part + "': " + message);
      }
    }
    return message;
  }

  private static Long toLong(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  /** Sleeps, turning an interrupt into a failure of the test (the interrupt flag kept). */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stopOperator();
    deleteWhatItsNamespacesLeft();
    client.close();
  }

  /**
   * What the objects of this harness's namespaces left in AWS (Retain, a test that ended before deletion), deleted
   * so that the classes after this one do not list it ({@link AwsSweep}): by owner tag, and by name for what a
   * Retain untagged (every name the operator derives starts with "li-" and the namespace, but a route's group's).
   */
  private void deleteWhatItsNamespacesLeft() {
    AwsCredentialsProvider signer = credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    try (var elb = ElasticLoadBalancingV2Client.builder().credentialsProvider(signer).build();
        var lambda = LambdaClient.builder().credentialsProvider(signer).build();
        var ec2 = Ec2Client.builder().credentialsProvider(signer).build()) {
      System.out.println("OperatorHarness: AWS leftovers of " + namespaces + ": " + AwsSweep.delete(elb, lambda, ec2,
          n -> namespaces.stream().anyMatch(ns -> n.startsWith("li-" + ns + "-")), tags -> namespaces.contains(tags.get(ChainModel.TAG_NAMESPACE))));
    } catch (RuntimeException e) {
      // Best effort: what stays is listed by the classes after this one, nothing more.
      System.out.println("OperatorHarness: AWS leftovers of " + namespaces + " not deleted: " + e);
    }
  }
}
