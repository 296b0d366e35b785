package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.model.RolloutMachine.Change;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class RolloutMetricsTest {

  @Test
  void weightPerObjectAndEndedRolloutsByResult() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RolloutMetrics metrics = new RolloutMetrics(registry);
    metrics.record("ns", "orders", 10, Change.STARTED);
    metrics.record("ns", "orders", 50, Change.STEPPED);
    String scrape = registry.scrape();
    assertThat(scrape).contains("lambdaingress_rollout_weight{name=\"orders\",namespace=\"ns\"} 50.0");
    assertThat(scrape).doesNotContain("lambdaingress_rollouts_total{");

    metrics.record("ns", "orders", 0, Change.PROMOTED);
    metrics.record("ns", "orders", 10, Change.STARTED);
    metrics.record("ns", "orders", 0, Change.ABORTED);
    metrics.record("ns", "orders", 0, Change.NONE);
    scrape = registry.scrape();
    assertThat(scrape).contains("lambdaingress_rollout_weight{name=\"orders\",namespace=\"ns\"} 0.0");
    assertThat(scrape).contains("lambdaingress_rollouts_total{result=\"succeeded\"} 1.0");
    assertThat(scrape).contains("lambdaingress_rollouts_total{result=\"aborted\"} 1.0");
  }

  @Test
  void withoutARegistryNothingIsRecorded() {
    new RolloutMetrics(null).record("ns", "orders", 10, Change.STARTED);
  }
}
