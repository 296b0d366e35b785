package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed attempt as a person sees it: Ready=False with a reason from {@link Reason} and a one-line
 * message, the Event (Normal or Warning by the Reason table), and one log line. Throttling and AWS's own
 * errors are retried quietly first.
 */
final class FailureReport {

  private static final Logger log = LoggerFactory.getLogger(FailureReport.class);
  // Throttling and AWS's own errors (5xx) are retried quietly; only when they persist past this many attempts
  // does Ready say so. A chain that serves is not made Ready=False by one failed read.
  private static final int QUIET_ATTEMPTS = 3;
  // "Not yet" errors (Propagating, a deletion refused ResourceInUse) past this many attempts (2+4+8+16 s of backoff)
  // are taken at their word.
  private static final int NOT_YET_ATTEMPTS = 5;

  /** A failed attempt as the user sees it: reason and one-line message. */
  record Failure(Reason reason, String message) {}

  private final KubernetesEvents events;
  private final KubernetesClient kubernetes;

  FailureReport(KubernetesEvents events, KubernetesClient kubernetes) {
    this.events = events;
    this.kubernetes = kubernetes;
  }

  /**
   * The status patch for Ready=False: the last known pieces kept, and the Event of the failure (Normal or
   * Warning by the Reason table), which repeats aggregate into one with a count (see {@link KubernetesEvents}).
   */
  LambdaIngress notReady(LambdaIngress li, Reason reason, String message, long generation) {
    LambdaIngressStatus status = ObjectStatus.copyOf(li.getStatus());
    status.setObservedGeneration(generation);
    if (reason.healsByItself()) {
      events.normal(li, reason.name(), message);
    } else {
      events.warning(li, reason.name(), message);
    }
    ReadyCondition.set(li.getStatus(), status, false, reason.name(), message, generation);
    return ObjectStatus.patch(li, status);
  }

  /**
   * Logs a failed attempt and says what to report, or nothing while throttling is still being retried
   * quietly. {@code deleting}: the attempt was the object's deletion (its message says whether it waits or failed).
   */
  static Optional<Failure> of(LambdaIngress li, Context<LambdaIngress> context, Throwable thrown, boolean deleting) {
    // JOSDK hands us its own OperatorException wrapping what reconcile threw: report the cause.
    Throwable e = rootAwsFailure(thrown);
    Reason reason = e instanceof AwsFailure f ? f.reason() : Reason.AwsError;
    int attempt = context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(1);
    if (reason == Reason.AwsThrottled && attempt < QUIET_ATTEMPTS) {
      log.atInfo().addKeyValue("object", key(li)).addKeyValue("attempt", attempt).log("throttled by AWS; retrying with backoff");
      return Optional.empty();
    }
    if (e instanceof AwsFailure f && f.isServerError() && attempt < QUIET_ATTEMPTS) {
      log.atInfo().addKeyValue("object", key(li)).addKeyValue("attempt", attempt).log("AWS answered {}; retrying with backoff",
          f.awsErrorCode());
      return Optional.empty();
    }
    String message = e instanceof AwsFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    if (e instanceof AwsFailure f && f.reasonIfItPersists() != null && attempt >= NOT_YET_ATTEMPTS) {
      reason = f.reasonIfItPersists();
      message = message + " (still refused after " + attempt + " attempts: "
          + (f.reason() == Reason.Propagating ? "not a propagation delay)" : "not a deletion under way)");
    }
    if (deleting) {
      message = (reason.healsByItself() ? "deletion waits: " : "deletion failed: ") + message;
    }
    // Reason's table decides the log level here and the Event type in notReady: waiting needs nobody.
    var line = (reason.healsByItself() ? log.atInfo() : log.atWarn())
        .addKeyValue("object", key(li)).addKeyValue("reason", reason).addKeyValue("attempt", attempt);
    // An AWS failure is fully said by its message; anything else is a bug of ours: keep its stack.
    (e instanceof AwsFailure ? line : line.setCause(e)).log("{}", message);
    return Optional.of(new Failure(reason, message));
  }

  private static Throwable rootAwsFailure(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof AwsFailure) {
        return t;
      }
    }
    return thrown;
  }

  /**
   * Ready=False with the failure's reason and what to do, and its Event (Warning when a person must act). Written here because a
   * cleanup cannot return a status patch; same field manager as JOSDK's own status patches.
   */
  void deletionFailed(LambdaIngress li, Failure f, String fieldManager) {
    String message = f.reason().healsByItself()
        ? f.message() + ". The object stays until AWS lets go of it (retried with backoff); nothing to do unless it persists"
        : f.message() + ". The object stays until the deletion succeeds (retried with backoff): fix the cause"
        + " (docs/troubleshooting.md#" + f.reason().name().toLowerCase(java.util.Locale.ROOT) + "), or set"
        + " spec.deletionPolicy: Retain to let the object go and keep its AWS resources";
    LambdaIngress patch = notReady(li, f.reason(), message, li.getMetadata().getGeneration());
    try {
      kubernetes.resource(patch).subresource("status").patch(new PatchContext.Builder()
          .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(fieldManager).withForce(true).build());
    } catch (KubernetesClientException e) {
      log.atWarn().addKeyValue("object", key(li)).log("could not set the deletion failure on the status: {}", e.getMessage());
    }
  }

  static String key(LambdaIngress li) {
    return li.getMetadata().getNamespace() + "/" + li.getMetadata().getName();
  }
}
