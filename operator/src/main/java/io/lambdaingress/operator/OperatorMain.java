package io.lambdaingress.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.reconciler.LambdaIngressReconciler;
import io.lambdaingress.operator.reconciler.OrphanSweep;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    AwsClients aws = new AwsClients(new AwsCallCounter());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operator operator = start(settings, kubernetes, aws, registry);
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
  }

  public static Operator start(OperatorSettings settings, KubernetesClient kubernetes, AwsClients aws) {
    return start(settings, kubernetes, aws, null);
  }

  /** Registers the reconciler and starts the operator; used by main and by the tests that run it in-process. */
  public static Operator start(OperatorSettings settings, KubernetesClient kubernetes, AwsClients aws, MeterRegistry registry) {
    LambdaIngressReconciler reconciler = new LambdaIngressReconciler(settings, aws, kubernetes);
    OrphanSweep orphans = new OrphanSweep(reconciler.ownerTagCleanup(), kubernetes, registry);
    AtomicReference<Operator> started = new AtomicReference<>();
    // The sweep runs where the reconciler runs (the leader) and ends with the operator.
    Runnable startSweep = () -> orphans.start(() -> started.get() == null || !started.get().getRuntimeInfo().isStarted());
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(kubernetes).withCloseClientOnStop(false);
      if (registry != null) {
        o.withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
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
      c.withReconciliationMaxInterval(settings.resyncPeriod());
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
        .log("lambda-ingress operator started");
    return operator;
  }
}
