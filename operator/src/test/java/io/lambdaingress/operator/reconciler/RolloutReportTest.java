package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.aws.Reason;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutReportTest {

  private static final RolloutReport.Verdict ABORTED = new RolloutReport.Verdict(Reason.RolloutAborted, "route orders: alarm", null);
  private static final RolloutReport.Verdict SOON = new RolloutReport.Verdict(Reason.Progressing, "step 1", Duration.ofSeconds(2));
  private static final RolloutReport.Verdict LATER = new RolloutReport.Verdict(Reason.Progressing, "step 2", Duration.ofSeconds(10));

  @Test
  void anAbortedRolloutIsWhatReadySaysWhateverElseIsUnderWay() {
    assertThat(RolloutReport.moreUrgent(Optional.of(SOON), Optional.of(ABORTED))).contains(ABORTED);
    assertThat(RolloutReport.moreUrgent(Optional.of(ABORTED), Optional.of(SOON))).contains(ABORTED);
  }

  @Test
  void amongRolloutsUnderWayTheNextStepThatComesFirstDecidesTheRequeue() {
    assertThat(RolloutReport.moreUrgent(Optional.of(LATER), Optional.of(SOON))).contains(SOON);
    assertThat(RolloutReport.moreUrgent(Optional.empty(), Optional.of(LATER))).contains(LATER);
    assertThat(RolloutReport.moreUrgent(Optional.empty(), Optional.empty())).isEmpty();
  }
}
