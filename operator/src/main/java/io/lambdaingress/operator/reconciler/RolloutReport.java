package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.FunctionSpec;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.RolloutMachine;
import io.lambdaingress.operator.model.RolloutMachine.Change;
import io.lambdaingress.operator.model.RolloutMachine.Decision;
import io.lambdaingress.operator.model.RolloutMachine.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rollout as the user sees it: its state in status.lambda.rollout, Ready (Progressing during a
 * rollout, RolloutAborted after an alarm), an Event per step, and when to look again (the next step's
 * time). Everything comes from the status and the spec: a restarted operator reports the same.
 */
final class RolloutReport {

  /** Set to a new value to roll out again a digest whose rollout was aborted (docs/rollouts.md). */
  static final String RETRY_ANNOTATION = "lambdaingress.io/retry-rollout";

  /** What Ready says about the rollout, and when to reconcile again (null: at the resync). */
  record Verdict(Reason reason, String message, Duration requeue) {}

  private final KubernetesEvents events;
  private volatile RolloutMetrics metrics = new RolloutMetrics(null);

  RolloutReport(KubernetesEvents events) {
    this.events = events;
  }

  void metricsIn(io.micrometer.core.instrument.MeterRegistry registry) {
    this.metrics = new RolloutMetrics(registry);
  }

  /** The rollout's input for this run, or null when the object has no rollout (or no managed function). */
  static CanaryStep.Input input(LambdaIngress li, Instant now) {
    FunctionSpec f = li.getSpec().getLambda() == null ? null : li.getSpec().getLambda().getFunction();
    if (f == null || f.getRollout() == null) {
      return null;
    }
    LambdaIngressStatus s = li.getStatus();
    State state = State.of(s == null || s.getLambda() == null ? null : s.getLambda().getRollout());
    String retry = li.getMetadata().getAnnotations() == null ? null : li.getMetadata().getAnnotations().get(RETRY_ANNOTATION);
    return new CanaryStep.Input(f.getRollout(), state, retry, now);
  }

  /**
   * Writes the rollout into {@code next} (keeping the previous one when this run did not reach it) and
   * emits the Event of what changed; returns what Ready must say, empty when the rollout is settled.
   */
  Optional<Verdict> record(LambdaIngress li, CanaryStep.Result result, LambdaIngressStatus next, Instant now) {
    LambdaIngressStatus previous = li.getStatus();
    if (next.getLambda() == null) {
      return Optional.empty();
    }
    if (result == null) {
      if (previous != null && previous.getLambda() != null) {
        next.getLambda().setRollout(previous.getLambda().getRollout());
      }
      return Optional.empty();
    }
    if (result.decision() == null) {
      next.getLambda().setRollout(null);
      return Optional.empty();
    }
    Decision d = result.decision();
    State s = d.next();
    next.getLambda().setRollout(s.toStatus());
    String fn = next.getLambda().getFunctionArn();
    metrics.record(li.getMetadata().getNamespace(), li.getMetadata().getName(), s.progressing() ? s.weight() : 0, d.change());
    switch (d.change()) {
      case STARTED, RESTARTED -> events.normal(li, "RolloutStarted", s.canaryDigest() + " (version " + s.canaryVersion() + "): "
          + s.weight() + " % of the requests" + (d.change() == Change.RESTARTED ? ", from step 1 again (newer digest)" : ""));
      case STEPPED -> events.normal(li, "RolloutStepped", "step " + s.step() + ": " + s.weight() + " % to version " + s.canaryVersion());
      case PROMOTED -> events.normal(li, "RolloutSucceeded", "version " + s.stableVersion() + " (" + s.stableDigest() + ") takes all requests");
      case CANCELLED -> events.normal(li, "RolloutCancelled", "the tag points at the stable digest again: version " + s.stableVersion()
          + " takes all requests");
      case ABORTED -> events.warning(li, Reason.RolloutAborted.name(), abortMessage(s));
      default -> { }
    }
    if (RolloutMachine.ABORTED.equals(s.result())) {
      return Optional.of(new Verdict(Reason.RolloutAborted, abortMessage(s), null));
    }
    if (s.progressing()) {
      Duration wait = Duration.between(now, s.nextStepAt());
      // Alarms are read at every run during a rollout: never wait longer than this to notice one.
      Duration requeue = wait.compareTo(ALARM_POLL) > 0 ? ALARM_POLL : wait.isNegative() || wait.isZero() ? Duration.ofMillis(200) : wait;
      return Optional.of(new Verdict(Reason.Progressing, "rollout of " + s.canaryDigest() + " on " + fn + ": step " + s.step()
          + ", " + s.weight() + " % to version " + s.canaryVersion() + ", next step at " + s.nextStepAt(), requeue));
    }
    return Optional.empty();
  }

  /** How often alarms are read during a rollout, at most. */
  static final Duration ALARM_POLL = Duration.ofSeconds(10);

  private static String abortMessage(State s) {
    return "alarm " + s.abortedBy() + " was in ALARM during the rollout of " + s.abortedDigest() + ": all requests went back to version "
        + s.stableVersion() + " (" + s.stableDigest() + "). Push a fixed image under the tag, or set the annotation "
        + RETRY_ANNOTATION + " to a new value to try this digest again";
  }
}
