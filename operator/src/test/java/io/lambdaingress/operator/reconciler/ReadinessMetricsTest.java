package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What lambdaingress_objects_not_ready and lambdaingress_objects_not_ready_longest_seconds read from the objects. */
class ReadinessMetricsTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void countsWhatIsNotReadyAndHowLongTheOldestHasBeenSo() {
    List<LambdaIngress> objects = List.of(
        object("ready", "2026-12-07T10:00:00Z", "True", "2026-12-07T10:05:00Z"),
        object("invalid", "2026-12-07T10:00:00Z", "False", "2026-12-07T11:40:00Z"),
        object("progressing", "2026-12-07T11:50:00Z", "False", "2026-12-07T11:55:00Z"),
        // No status yet: not Ready since its creation.
        object("new", "2026-12-07T11:59:30Z", null, null));

    ReadinessMetrics.Reading reading = ReadinessMetrics.Reading.of(objects, NOW);

    assertThat(reading.notReady()).isEqualTo(3);
    assertThat(reading.longestSeconds()).as("since invalid's Ready turned False, 20 minutes ago").isEqualTo(1200);
  }

  @Test
  void everyObjectReadyOrNoneAtAllReadsZero() {
    assertThat(ReadinessMetrics.Reading.of(List.of(), NOW)).isEqualTo(new ReadinessMetrics.Reading(0, 0));
    assertThat(ReadinessMetrics.Reading.of(List.of(object("a", "2026-12-07T10:00:00Z", "True", "2026-12-07T10:01:00Z")), NOW))
        .isEqualTo(new ReadinessMetrics.Reading(0, 0));
  }

  private static LambdaIngress object(String name, String created, String ready, String since) {
    LambdaIngress li = new LambdaIngress();
    li.getMetadata().setName(name);
    li.getMetadata().setNamespace("ns");
    li.getMetadata().setCreationTimestamp(created);
    if (ready != null) {
      LambdaIngressStatus status = new LambdaIngressStatus();
      status.setConditions(List.of(new ConditionBuilder().withType(ReadyCondition.TYPE).withStatus(ready).withReason("X")
          .withLastTransitionTime(since).build()));
      li.setStatus(status);
    }
    return li;
  }
}
