package io.lambdaingress.operator.reconciler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.lambdaingress.operator.model.RolloutMachine.Change;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rollouts on /metrics: {@code lambdaingress_rollout_weight{namespace,name}} (percent of the requests the
 * canary gets now, 0 outside a rollout) and {@code lambdaingress_rollouts_total{result}} (rollouts that
 * ended: succeeded, aborted, superseded by a newer digest, cancelled by the tag moving back).
 */
final class RolloutMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> weights = new ConcurrentHashMap<>();

  /** @param registry may be null: nothing is recorded */
  RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String namespace, String name, int weight, Change change) {
    if (registry == null) {
      return;
    }
    weights.computeIfAbsent(namespace + "/" + name, k -> {
      AtomicInteger w = new AtomicInteger();
      Gauge.builder("lambdaingress.rollout.weight", w, AtomicInteger::get)
          .description("Percent of the requests the canary version gets now (0 outside a rollout)")
          .tag("namespace", namespace).tag("name", name).register(registry);
      return w;
    }).set(weight);
    String result = switch (change) {
      case PROMOTED -> "succeeded";
      case ABORTED -> "aborted";
      case RESTARTED -> "superseded";
      case CANCELLED -> "cancelled";
      default -> null;
    };
    if (result != null) {
      Counter.builder("lambdaingress.rollouts").description("Rollouts that ended, by result").tag("result", result)
          .register(registry).increment();
    }
  }
}
