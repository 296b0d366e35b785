package io.lambdaingress.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.reconciler.LambdaIngressReconciler;
import java.time.Duration;
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
    Operator operator = start(settings, kubernetes, aws);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.stop();
      aws.close();
    }, "shutdown"));
  }

  /** Registers the reconciler and starts the operator; used by main and by the tests that run it in-process. */
  public static Operator start(OperatorSettings settings, KubernetesClient kubernetes, AwsClients aws) {
    Operator operator = new Operator(o -> o.withKubernetesClient(kubernetes).withCloseClientOnStop(false));
    operator.register(new LambdaIngressReconciler(settings, aws, kubernetes), c -> {
      c.withReconciliationMaxInterval(settings.resyncPeriod());
      // AWS throttling and transient errors: back off 2s, 4s, 8s ... up to 2 min, then keep trying at that pace.
      c.withRetry(new GenericRetry().setInitialInterval(Duration.ofSeconds(2).toMillis()).setIntervalMultiplier(2)
          .setMaxInterval(Duration.ofMinutes(2).toMillis()).setMaxAttempts(Integer.MAX_VALUE));
      if (!settings.namespaces().isEmpty()) {
        c.settingNamespaces(settings.namespaces());
      }
    });
    operator.start();
    log.atInfo().addKeyValue("cluster", settings.clusterName()).addKeyValue("resync", settings.resyncPeriod())
        .addKeyValue("namespaces", settings.namespaces().isEmpty() ? "all" : settings.namespaces())
        .log("lambda-ingress operator started");
    return operator;
  }
}
