package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeletionPaceTest {

  private final ResourceID object = new ResourceID("a", "ns");

  @Test
  void doublesFromTwoSecondsUpToTheCeiling() {
    DeletionPace pace = new DeletionPace(() -> 0.5); // the middle of the spread: no spread at all
    assertThat(pace.after(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(pace.after(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(pace.after(4)).isEqualTo(Duration.ofSeconds(16));
    assertThat(pace.after(5)).isEqualTo(DeletionPace.CEILING);
    assertThat(pace.after(60)).isEqualTo(DeletionPace.CEILING);
  }

  @Test
  void spreadsByAQuarterEitherWay() {
    assertThat(new DeletionPace(() -> 0.0).after(9)).isEqualTo(Duration.ofMillis(22_500));
    assertThat(new DeletionPace(() -> 1.0).after(9)).isEqualTo(Duration.ofMillis(37_500));
  }

  @Test
  void countsFailuresPerObjectUntilOneSucceeds() {
    DeletionPace pace = new DeletionPace();
    assertThat(pace.failed(object)).isEqualTo(1);
    assertThat(pace.failed(object)).isEqualTo(2);
    assertThat(pace.failed(new ResourceID("b", "ns"))).isEqualTo(1);
    pace.succeeded(object);
    assertThat(pace.failed(object)).isEqualTo(1);
  }
}
