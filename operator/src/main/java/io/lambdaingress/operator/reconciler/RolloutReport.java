package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.FunctionSpec;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.api.ProvisionedConcurrencyStatus;
import io.lambdaingress.operator.api.RolloutStatus;
import io.lambdaingress.operator.api.RouteSpec;
import io.lambdaingress.operator.api.RouteStatus;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.RolloutMachine;
import io.lambdaingress.operator.model.RolloutMachine.Change;
import io.lambdaingress.operator.model.RolloutMachine.Decision;
import io.lambdaingress.operator.model.RolloutMachine.State;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The rollout as the user sees it: its state in status.lambda.rollout (a route's in status.routes[].rollout), Ready (Progressing during a
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
    LambdaIngressStatus s = li.getStatus();
    return input(li, f, s == null || s.getLambda() == null ? null : s.getLambda().getRollout(), now);
  }

  /** Each route's rollout input by route name: the routes whose managed function has a rollout. */
  static Map<String, CanaryStep.Input> routeInputs(LambdaIngress li, Instant now) {
    Map<String, CanaryStep.Input> inputs = new HashMap<>();
    if (li.getSpec().getRoutes() == null) {
      return inputs;
    }
    Map<String, RouteStatus> recorded = routesByName(li.getStatus() == null ? null : li.getStatus().getRoutes());
    for (RouteSpec r : li.getSpec().getRoutes()) {
      RouteStatus s = recorded.get(r.getName());
      CanaryStep.Input in = input(li, r.getLambda() == null ? null : r.getLambda().getFunction(), s == null ? null : s.getRollout(), now);
      if (in != null) {
        inputs.put(r.getName(), in);
      }
    }
    return inputs;
  }

  private static CanaryStep.Input input(LambdaIngress li, FunctionSpec f, RolloutStatus recorded, Instant now) {
    if (f == null || f.getRollout() == null) {
      return null;
    }
    String retry = li.getMetadata().getAnnotations() == null ? null : li.getMetadata().getAnnotations().get(RETRY_ANNOTATION);
    return new CanaryStep.Input(f.getRollout(), State.of(recorded), retry, now, f.getProvisionedConcurrency());
  }

  private static Map<String, RouteStatus> routesByName(List<RouteStatus> routes) {
    Map<String, RouteStatus> byName = new HashMap<>();
    if (routes != null) {
      routes.forEach(r -> byName.put(r.getName(), r));
    }
    return byName;
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
    RolloutStatus before = previous == null || previous.getLambda() == null ? null : previous.getLambda().getRollout();
    return record(li, "", li.getMetadata().getName(), result, before, next.getLambda()::setRollout, next.getLambda().getFunctionArn(), now);
  }

  /**
   * The same for each route of {@code next} (this run's route statuses): its rollout written, its Events
   * ("route orders: ..."), and the verdict that matters most: an aborted rollout, else the one whose next
   * step comes first.
   */
  Optional<Verdict> recordRoutes(LambdaIngress li, Map<String, CanaryStep.Result> results, List<RouteStatus> next, Instant now) {
    if (next == null) {
      return Optional.empty();
    }
    Map<String, RouteStatus> previous = routesByName(li.getStatus() == null ? null : li.getStatus().getRoutes());
    Optional<Verdict> worst = Optional.empty();
    for (RouteStatus r : next) {
      RouteStatus before = previous.get(r.getName());
      worst = moreUrgent(worst, record(li, "route " + r.getName() + ": ", li.getMetadata().getName() + "#" + r.getName(),
          results.get(r.getName()), before == null ? null : before.getRollout(), r::setRollout, r.getFunctionArn(), now));
    }
    return worst;
  }

  /** What Ready says of two rollouts: an aborted one, else the one whose next look comes first. */
  /**
   * The object's rollout and its routes' ({@code routeResults} null when the routes were not reached this run), each
   * recorded into {@code next}: what Ready must say, the more urgent of them.
   */
  Optional<Verdict> recordAll(LambdaIngress li, CanaryStep.Result result, Map<String, CanaryStep.Result> routeResults,
      LambdaIngressStatus next, Instant now) {
    Optional<Verdict> routes = routeResults == null ? Optional.empty() : recordRoutes(li, routeResults, next.getRoutes(), now);
    Optional<Verdict> own = record(li, result, next, now);
    return moreUrgent(own, routes);
  }

  static Optional<Verdict> moreUrgent(Optional<Verdict> a, Optional<Verdict> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isPresent() ? a : b;
    }
    return rank(b.get()) < rank(a.get()) ? b : a;
  }

  private static long rank(Verdict v) {
    return v.reason() == Reason.RolloutAborted ? -1 : v.requeue().toMillis();
  }

  /**
   * @param what "" for spec.lambda, "route NAME: " for a route (Events and Ready messages)
   * @param metricName the name label of lambdaingress_rollout_weight: the object's, "object#route" for a route
   */
  private Optional<Verdict> record(LambdaIngress li, String what, String metricName, CanaryStep.Result result, RolloutStatus before,
      Consumer<RolloutStatus> set, String fn, Instant now) {
    if (result == null) {
      set.accept(before);
      return Optional.empty();
    }
    if (result.decision() == null) {
      set.accept(null);
      return Optional.empty();
    }
    Decision d = result.decision();
    State s = d.next();
    RolloutStatus status = s.toStatus();
    status.setProvisionedConcurrency(result.provisioned());
    set.accept(status);
    metrics.record(li.getMetadata().getNamespace(), metricName, s.progressing() ? s.weight() : 0, d.change());
    switch (d.change()) {
      case STARTED, RESTARTED -> events.normal(li, "RolloutStarted", what + s.canaryDigest() + " (version " + s.canaryVersion() + "): "
          + s.weight() + " % of the requests" + (d.change() == Change.RESTARTED ? ", from step 1 again (newer digest)" : ""));
      case STEPPED -> events.normal(li, "RolloutStepped", what + "step " + s.step() + ": " + s.weight() + " % to version " + s.canaryVersion());
      case PROMOTED -> events.normal(li, "RolloutSucceeded", what + "version " + s.stableVersion() + " (" + s.stableDigest()
          + ") takes all requests");
      case CANCELLED -> events.normal(li, "RolloutCancelled", what + "the tag points at the stable digest again: version "
          + s.stableVersion() + " takes all requests");
      case ABORTED -> events.warning(li, Reason.RolloutAborted.name(), what + abortMessage(s));
      default -> { }
    }
    if (RolloutMachine.ABORTED.equals(s.result())) {
      return Optional.of(new Verdict(Reason.RolloutAborted, what + abortMessage(s), null));
    }
    Optional<Verdict> provisioning = provisioning(what, fn, result.provisioned());
    if (provisioning.isPresent() && !s.progressing()) {
      return provisioning;
    }
    if (s.progressing()) {
      Duration wait = Duration.between(now, s.nextStepAt());
      // Alarms are read at every run during a rollout: never wait longer than this to notice one.
      Duration requeue = wait.compareTo(ALARM_POLL) > 0 ? ALARM_POLL : wait.isNegative() || wait.isZero() ? Duration.ofMillis(200) : wait;
      return Optional.of(new Verdict(Reason.Progressing, what + "rollout of " + s.canaryDigest() + " on " + fn + ": step " + s.step()
          + ", " + s.weight() + " % to version " + s.canaryVersion() + ", next step at " + s.nextStepAt(), requeue));
    }
    return Optional.empty();
  }

  /**
   * Ready waits for provisioned concurrency to be READY (Lambda: IN_PROGRESS, then READY), looking again every
   * second; FAILED needs a person (Lambda's reason, such as the account's concurrency, is in the message).
   */
  private static Optional<Verdict> provisioning(String what, String fn, ProvisionedConcurrencyStatus pc) {
    if (pc == null || "READY".equals(pc.getStatus())) {
      return Optional.empty();
    }
    String where = what + "provisioned concurrency of " + fn + ":" + pc.getQualifier() + " (version " + pc.getFunctionVersion() + ")";
    if ("FAILED".equals(pc.getStatus())) {
      return Optional.of(new Verdict(Reason.AwsError, where + " FAILED: " + pc.getStatusReason(), null));
    }
    return Optional.of(new Verdict(Reason.Progressing, where + ": " + pc.getStatus() + ", " + pc.getAllocated() + " of "
        + pc.getRequested() + " allocated", Duration.ofSeconds(1)));
  }

  /** How often alarms are read during a rollout, at most. */
  static final Duration ALARM_POLL = Duration.ofSeconds(10);

  private static String abortMessage(State s) {
    return "alarm " + s.abortedBy() + " was in ALARM during the rollout of " + s.abortedDigest() + ": all requests went back to version "
        + s.stableVersion() + " (" + s.stableDigest() + "). Push a fixed image under the tag, or set the annotation "
        + RETRY_ANNOTATION + " to a new value to try this digest again";
  }
}
