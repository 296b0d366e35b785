package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * AWS's own signals that a converged chain serves, read from what the run already has (no call of its own):
 * both load balancers' State (a new one is {@code provisioning} before {@code active}: LoadBalancerState,
 * the {@code LoadBalancerAvailable} waiter of AWS's SDKs), and the health of the ALB in the NLB's alb target
 * group. The NLB's health check of an ALB target passes through the ALB's listener to the function, so
 * {@code healthy} there is AWS's end-to-end answer that a connection to the NLB reaches the function
 * ({@code initial} first; {@code unhealthy} while the check fails).
 */
final class ServingSignals {

  private ServingSignals() {}

  /**
   * What the chain still waits for, said for a person (null: it serves). A load balancer AWS reports
   * {@code failed} is not waited for: that is an {@link Reason#AwsError} with AWS's reason.
   *
   * @param albHealth the ALB's health in the alb target group; empty when it was registered just now
   */
  static String waitingFor(LoadBalancer nlb, LoadBalancer alb, Optional<TargetHealth> albHealth) {
    List<String> waits = new ArrayList<>();
    state("NLB", nlb).ifPresent(waits::add);
    state("ALB", alb).ifPresent(waits::add);
    String check = checkWaitsFor("the NLB's health check of ALB " + alb.loadBalancerName(), albHealth);
    if (check != null) {
      waits.add(check);
    }
    return waits.isEmpty() ? null : String.join("; ", waits);
  }

  /** What one health check of the ALB (in one alb target group) still waits for; null once it passed. */
  static String checkWaitsFor(String check, Optional<TargetHealth> albHealth) {
    if (albHealth.isEmpty()) {
      return check + " has not passed yet: the ALB was registered in the NLB's target group just now";
    }
    if (albHealth.get().state() == TargetHealthStateEnum.HEALTHY) {
      return null;
    }
    TargetHealth h = albHealth.get();
    String said = h.reasonAsString() == null ? "" : ": " + h.reasonAsString()
        + (h.description() == null ? "" : " (" + h.description() + ")");
    return check + " is " + h.stateAsString() + said + (h.state() == TargetHealthStateEnum.UNHEALTHY
        ? "; the check passes through the ALB's listener to the function, so a function that fails it keeps the NLB "
            + "from serving" : "");
  }

  /**
   * What a new ALB side still waits for before the NLB listener moves to it (null: move now): the ALB
   * active, and its health in its alb target group {@code healthy}, or {@code unused}: AWS checks a group's
   * targets only once a listener forwards to it (TargetHealth: Target.NotInUse), so on AWS the check of a
   * group no listener uses yet starts with the move itself. The test world checks at once.
   */
  static String takeOverWaitsFor(LoadBalancer alb, Optional<TargetHealth> albHealth) {
    Optional<String> state = state("ALB", alb);
    if (state.isPresent()) {
      return state.get();
    }
    if (albHealth.isPresent() && (albHealth.get().state() == TargetHealthStateEnum.HEALTHY
        || albHealth.get().state() == TargetHealthStateEnum.UNUSED)) {
      return null;
    }
    return "the NLB's health check of ALB " + alb.loadBalancerName() + " is "
        + albHealth.map(TargetHealth::stateAsString).orElse("not started (registered just now)");
  }

  /** Why this load balancer does not serve yet, if it does not; {@code active_impaired} serves. */
  private static Optional<String> state(String kind, LoadBalancer lb) {
    if (lb.state() == null || lb.state().code() == null) {
      return Optional.empty();
    }
    LoadBalancerStateEnum code = lb.state().code();
    if (code == LoadBalancerStateEnum.FAILED) {
      throw new AwsFailure(Reason.AwsError, kind + " " + lb.loadBalancerName() + " is failed"
          + (lb.state().reason() == null ? "" : ": " + lb.state().reason()) + " (AWS could not set it up)");
    }
    if (code == LoadBalancerStateEnum.ACTIVE || code == LoadBalancerStateEnum.ACTIVE_IMPAIRED) {
      return Optional.empty();
    }
    return Optional.of(kind + " " + lb.loadBalancerName() + " is " + lb.state().codeAsString());
  }
}
