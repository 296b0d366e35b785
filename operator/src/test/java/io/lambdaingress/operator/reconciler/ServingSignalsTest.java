package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;

class ServingSignalsTest {

  private static LoadBalancer lb(String name, String state, String reason) {
    return LoadBalancer.builder().loadBalancerName(name).state(s -> s.code(state).reason(reason)).build();
  }

  private static Optional<TargetHealth> health(String state, String reason, String description) {
    return Optional.of(TargetHealth.builder().state(state).reason(reason).description(description).build());
  }

  private static final LoadBalancer NLB = lb("li-nlb", "active", null);
  private static final LoadBalancer ALB = lb("li-alb", "active", null);

  @Test
  void bothActiveAndTheAlbHealthyServes() {
    assertThat(ServingSignals.waitingFor(NLB, ALB, health("healthy", null, null))).isNull();
    assertThat(ServingSignals.waitingFor(lb("li-nlb", "active_impaired", null), ALB, health("healthy", null, null))).isNull();
  }

  @Test
  void aProvisioningLoadBalancerIsWaitedFor() {
    assertThat(ServingSignals.waitingFor(lb("li-nlb", "provisioning", null), lb("li-alb", "provisioning", null),
        health("healthy", null, null))).isEqualTo("NLB li-nlb is provisioning; ALB li-alb is provisioning");
  }

  @Test
  void theHealthCheckIsSaidInAwsWords() {
    assertThat(ServingSignals.waitingFor(NLB, ALB, health("initial", "Elb.RegistrationInProgress", "Target registration is in progress")))
        .isEqualTo("the NLB's health check of ALB li-alb is initial: Elb.RegistrationInProgress (Target registration is in progress)");
    assertThat(ServingSignals.waitingFor(NLB, ALB, health("unhealthy", "Target.FailedHealthChecks", "Health checks failed")))
        .startsWith("the NLB's health check of ALB li-alb is unhealthy: Target.FailedHealthChecks (Health checks failed); ")
        .contains("function");
    assertThat(ServingSignals.waitingFor(NLB, ALB, Optional.empty())).contains("has not passed yet");
  }

  @Test
  void aFailedLoadBalancerIsAnAwsErrorNotAWait() {
    assertThatThrownBy(() -> ServingSignals.waitingFor(NLB, lb("li-alb", "failed", "Internal failure"), health("healthy", null, null)))
        .isInstanceOfSatisfying(AwsFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(Reason.AwsError);
          assertThat(f.getMessage()).contains("ALB li-alb is failed: Internal failure");
        });
  }
}
