package io.lambdaingress.operator;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.StsIdentityClient;
import io.lambdaingress.operator.reconciler.LambdaIngressReconciler;
import io.lambdaingress.operator.reconciler.OrphanSweep;
import io.lambdaingress.operator.reconciler.ReadinessMetrics;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * {@code java -jar lambda-ingress-operator.jar}: runs the operator against the current kubeconfig (or the
 * in-cluster service account) and the AWS account the SDK's default chains find.
 */
public final class OperatorMain {

  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) {
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    KubernetesClient kubernetes = new KubernetesClientBuilder().build();
    String unusable = whyTheClusterCannotServe(kubernetes);
    if (unusable == null) {
      unusable = whyTheOperatorCannotWatch(kubernetes, settings);
    }
    if (unusable == null) {
      unusable = whyThereIsNoAwsRegion();
    }
    if (unusable != null) {
      // One line a person can act on, not JOSDK's informer stack trace.
      System.err.println("lambda-ingress-operator: " + unusable);
      kubernetes.close();
      System.exit(2);
    }
    AwsClients aws = new AwsClients(new AwsCallCounter());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = start(settings, EventQueueSettings.fromEnvironment(System.getenv()), kubernetes, aws, registry);
    try {
      OperatorEndpoints endpoints = new OperatorEndpoints(settings.httpPort(), registry, aws.counter(), operator);
      log.atInfo().addKeyValue("port", endpoints.port()).log("serving /metrics, /healthz, /readyz");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        endpoints.close();
        operator.stop();
        aws.close();
      }, "shutdown"));
    } catch (java.io.IOException e) {
      operator.stop();
      throw new java.io.UncheckedIOException("cannot serve /metrics on port " + settings.httpPort(), e);
    }
    logAwsIdentity(aws);
  }

  /**
   * Who the operator is in AWS, once, so that an installation shows whether IRSA or Pod Identity took effect
   * (and not, say, the node's instance role). A failure is one line naming the fix; the operator keeps
   * running, and each LambdaIngress reports the AWS errors it meets in its status.
   */
  private static void logAwsIdentity(AwsClients aws) {
    try {
      StsIdentityClient.Identity identity = aws.sts().whoAmI(System.getenv());
      log.atInfo().addKeyValue("account", identity.account()).addKeyValue("arn", identity.arn())
          .addKeyValue("credentials", identity.credentialsProvider()).log("AWS identity");
    } catch (AwsFailure f) {
      log.atError().addKeyValue("reason", f.reason()).log(f.getMessage());
    }
  }

  /**
   * Null when the API server answers and serves LambdaIngress; otherwise what is wrong and what to do. Asked
   * through discovery, which every authenticated identity may read (no RBAC on CRDs needed).
   */
  static String whyTheClusterCannotServe(KubernetesClient kubernetes) {
    String server = kubernetes.getConfiguration().getMasterUrl();
    try {
      if (kubernetes.supports(LambdaIngress.class)) {
        return null;
      }
    } catch (KubernetesClientException e) {
      return "cannot reach the Kubernetes API server at " + server + " (" + cause(e) + "); check KUBECONFIG or the in-cluster service account";
    }
    return "the LambdaIngress CRD (lambdaingresses.lambdaingress.io, v1alpha1) is not installed in the cluster at " + server
        + "; install it with `kubectl apply --server-side -f crds/` (or the Helm chart) and start the operator again";
  }

  /**
   * Null when the operator's identity may list and watch LambdaIngress where it is told to watch; otherwise
   * which permission is missing and where it comes from. Asked with SelfSubjectAccessReview (any identity may).
   */
  static String whyTheOperatorCannotWatch(KubernetesClient kubernetes, OperatorSettings settings) {
    List<String> scopes = settings.namespaces().isEmpty() ? Collections.singletonList(null)
        : settings.namespaces().stream().sorted().toList();
    for (String namespace : scopes) {
      for (String verb : List.of("list", "watch")) {
        SelfSubjectAccessReview review =
            new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withNewResourceAttributes().withGroup("lambdaingress.io").withResource("lambdaingresses")
                .withVerb(verb).withNamespace(namespace).endResourceAttributes().endSpec().build();
        try {
          if (!kubernetes.authorization().v1().selfSubjectAccessReview().create(review).getStatus().getAllowed()) {
            return "may not " + verb + " lambdaingresses.lambdaingress.io " + (namespace == null ? "in all namespaces" : "in namespace " + namespace)
                + "; grant it with the chart's RBAC (rbac.create=true) or a (Cluster)Role bound to the operator's service account"
                + (namespace == null ? ", or set LAMBDA_INGRESS_WATCH_NAMESPACES (chart: watchNamespaces)" : "");
          }
        } catch (KubernetesClientException e) {
          return "cannot ask the Kubernetes API server whether the operator may " + verb + " lambdaingresses (" + cause(e) + ")";
        }
      }
    }
    return null;
  }

  /**
   * Null when the SDK finds a region; otherwise one line naming the settings, instead of the SDK's message
   * listing every provider of its chain (thrown later by the first client built).
   */
  static String whyThereIsNoAwsRegion() {
    try {
      new DefaultAwsRegionProviderChain().getRegion();
      return null;
    } catch (SdkClientException e) {
      return "no AWS region: set AWS_REGION (chart: --set aws.region=<region>; the IRSA webhook sets it on EKS)";
    }
  }

  /** fabric8 says "An error has occurred."; the JDK's causes below often carry no message, only their class. */
  private static String cause(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return t.getMessage().lines().findFirst().orElse("");
      }
      if (t.getClass() != java.io.IOException.class) {
        return t.getClass().getSimpleName();
      }
    }
    return e.getMessage();
  }

  public static Operator start(OperatorSettings settings, KubernetesClient kubernetes, AwsClients aws) {
    return start(settings, kubernetes, aws, null);
  }

  /** Registers the reconciler and starts the operator; used by main and by the tests that run it in-process. */
  public static Operator start(OperatorSettings settings, KubernetesClient kubernetes, AwsClients aws, MeterRegistry registry) {
    return start(settings, EventQueueSettings.NONE, kubernetes, aws, registry);
  }

  /** With the event queue when {@code queue} names one (docs/events.md). */
  public static Operator start(OperatorSettings settings, EventQueueSettings queue, KubernetesClient kubernetes, AwsClients aws,
      MeterRegistry registry) {
    return start(settings, new LambdaIngressReconciler(settings, queue, aws, kubernetes), queue, kubernetes, registry);
  }

  /** Registers this reconciler (tests keep it to read its event counts) and starts the operator. */
  public static Operator start(OperatorSettings settings, LambdaIngressReconciler reconciler, EventQueueSettings queue,
      KubernetesClient kubernetes, MeterRegistry registry) {
    OrphanSweep orphans = new OrphanSweep(reconciler.ownerTagCleanup(), kubernetes, registry);
    reconciler.rolloutMetricsIn(registry);
    if (registry != null) {
      ReadinessMetrics.register(registry, reconciler::cachedObjects, java.time.Clock.systemUTC());
    }
    AtomicReference<Operator> started = new AtomicReference<>();
    // The sweep runs where the reconciler runs (the leader) and ends with the operator.
    // Orphans are looked for with the full verification: every period, or with the event queue every k-th.
    Runnable startSweep = () -> orphans.start(() -> started.get() == null || !started.get().getRuntimeInfo().isStarted(),
        queue.verificationInterval(settings.resyncPeriod()));
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(kubernetes).withCloseClientOnStop(false);
      if (registry != null) {
        // Aggregated per controller: JOSDK's per-resource series (a set of meters for each object, tagged with its
        // name and namespace) would grow with the number of objects, a cardinality no dashboard needs (docs/metrics.md).
        o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      }
      if (settings.leaderElection()) {
        // One Lease in the operator's namespace; the identity is the pod (HOSTNAME) so a restart is a new candidate.
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("lambda-ingress-operator")
            .withLeaseNamespace(settings.leaseNamespace())
            .withIdentity(System.getenv().getOrDefault("HOSTNAME", "local") + "-" + java.util.UUID.randomUUID().toString().substring(0, 8))
            .withLeaderCallbacks(new LeaderCallbacks(startSweep, () -> {}, leader -> {}))
            .build());
      }
    });
    operator.register(reconciler, c -> {
      // The full verification: every period, or with the event queue every k-th (events cover the time between).
      c.withReconciliationMaxInterval(queue.verificationInterval(settings.resyncPeriod()));
      // AWS throttling and transient errors: back off 2s, 4s, 8s ... up to 2 min, then keep trying at that pace.
      c.withRetry(new GenericRetry().setInitialInterval(Duration.ofSeconds(2).toMillis()).setIntervalMultiplier(2)
          .setMaxInterval(Duration.ofMinutes(2).toMillis()).setMaxAttempts(Integer.MAX_VALUE));
      if (!settings.namespaces().isEmpty()) {
        c.settingNamespaces(settings.namespaces());
      }
    });
    started.set(operator);
    operator.start();
    if (!settings.leaderElection()) {
      startSweep.run();
    }
    log.atInfo().addKeyValue("cluster", settings.clusterName()).addKeyValue("resync", settings.resyncPeriod())
        .addKeyValue("namespaces", settings.namespaces().isEmpty() ? "all" : settings.namespaces())
        .addKeyValue("leaderElection", settings.leaderElection())
        .addKeyValue("eventQueue", queue.enabled() ? queue.queueUrl() : "none")
        .addKeyValue("fullVerification", queue.verificationInterval(settings.resyncPeriod()))
        .log("lambda-ingress operator started");
    return operator;
  }
}
