package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.api.ProvisionedConcurrencyStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvisionedConcurrencyStepTest {

  private final List<String> log = new ArrayList<>();
  private final FakeVersions lambda = new FakeVersions(log);
  private final ProvisionedConcurrencyStep step = new ProvisionedConcurrencyStep(lambda, (action, resource, why) -> { });

  @Test
  void askedOnTheAliasThenReportedAsLambdaReportsIt() {
    ProvisionedConcurrencyStatus s = step.ensure("fn", 5, "3", false);
    assertThat(log).containsExactly("PutProvisionedConcurrencyConfig live 5");
    assertThat(s.getQualifier()).isEqualTo("live");
    assertThat(s.getFunctionVersion()).isEqualTo("3");
    assertThat(s.getRequested()).isEqualTo(5);
    assertThat(s.getStatus()).isEqualTo("IN_PROGRESS");

    lambda.reportProvisioned("live", 5, 5, "READY");
    s = step.ensure("fn", 5, "3", false);
    assertThat(log).hasSize(1);
    assertThat(s.getAllocated()).isEqualTo(5);
    assertThat(s.getStatus()).isEqualTo("READY");
  }

  @Test
  void aChangeDuringACanaryWaitsAndWhatWasAskedStaysInForce() {
    lambda.reportProvisioned("live", 5, 5, "READY");
    ProvisionedConcurrencyStatus s = step.ensure("fn", 8, "3", true);
    assertThat(log).as("no Put on a weighted alias").isEmpty();
    assertThat(s.getRequested()).isEqualTo(5);
    assertThat(s.getStatus()).isEqualTo("READY");
    assertThat(s.getStatusReason()).contains("8 asked once the canary ends").contains("5 stay in force");

    s = step.ensure("fn", 8, "4", false);
    assertThat(log).containsExactly("PutProvisionedConcurrencyConfig live 8");
    assertThat(s.getFunctionVersion()).isEqualTo("4");
    assertThat(s.getRequested()).isEqualTo(8);
  }

  @Test
  void removedFromTheSpecItIsDeletedAndNoneCostsOneRead() {
    assertThat(step.ensure("fn", null, "3", false)).isNull();
    assertThat(log).isEmpty();
    lambda.reportProvisioned("live", 5, 5, "READY");
    assertThat(step.ensure("fn", null, "3", true)).isNull();
    assertThat(log).containsExactly("DeleteProvisionedConcurrencyConfig live");
  }
}
