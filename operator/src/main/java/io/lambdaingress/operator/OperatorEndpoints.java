package io.lambdaingress.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's HTTP side for the Deployment: {@code /metrics} (Prometheus: JOSDK's reconcile metrics and
 * our AWS calls per IAM action), {@code /healthz} (liveness: the informers are healthy) and {@code /readyz}
 * (readiness: the process has started, as leader or as standby: a standby that never became ready would
 * stall every rolling update). The JDK's own server: three plain endpoints need no framework.
 */
public final class OperatorEndpoints implements AutoCloseable {

  private final HttpServer server;
  private final PrometheusMeterRegistry registry;
  private final AwsCallCounter awsCalls;
  private final Set<String> registeredActions = ConcurrentHashMap.newKeySet();
  private final Set<AwsCallCounter.FailedAttempts> registeredFailures = ConcurrentHashMap.newKeySet();

  public OperatorEndpoints(int port, PrometheusMeterRegistry registry, AwsCallCounter awsCalls, Operator operator) throws IOException {
    this.registry = registry;
    this.awsCalls = awsCalls;
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", ex -> {
      registerNewAwsActions();
      respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    });
    server.createContext("/healthz", ex -> {
      boolean healthy = !operator.getRuntimeInfo().isStarted() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
      respond(ex, healthy ? 200 : 503, "text/plain", healthy ? "ok\n" : "unhealthy event sources: "
          + operator.getRuntimeInfo().unhealthyEventSources().keySet() + "\n");
    });
    // Created only once Operator.start() has returned.
    server.createContext("/readyz", ex -> respond(ex, 200, "text/plain", "ok\n"));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** AWS actions appear as they are first called; each becomes one counter reading the call counter. */
  private void registerNewAwsActions() {
    awsCalls.snapshot().keySet().forEach(action -> {
      if (registeredActions.add(action)) {
        int colon = action.indexOf(':');
        FunctionCounter.builder("lambdaingress.aws.calls", awsCalls, c -> c.snapshot().getOrDefault(action, 0L))
            .description("AWS API calls made by the operator, per IAM action")
            .tag("service", action.substring(0, colon)).tag("operation", action.substring(colon + 1))
            .register(registry);
      }
    });
    awsCalls.failedAttempts().keySet().forEach(key -> {
      if (registeredFailures.add(key)) {
        FunctionCounter.builder("lambdaingress.aws.failed.attempts", awsCalls, c -> c.failedAttempts().getOrDefault(key, 0L))
            .description("Attempts of AWS API calls that failed, per IAM action and the SDK's error type (retried ones included)")
            .tag("service", key.service()).tag("operation", key.operation()).tag("error_type", key.errorType())
            .register(registry);
      }
    });
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
