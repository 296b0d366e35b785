package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The Ready condition, by Kubernetes convention: lastTransitionTime moves only when the status flips. */
public final class ReadyCondition {

  public static final String TYPE = "Ready";
  /** Ready=True: every piece exists and matches the spec. */
  public static final String RECONCILED = "Reconciled";

  private ReadyCondition() {}

  public static Optional<Condition> of(LambdaIngressStatus status) {
    return status == null || status.getConditions() == null ? Optional.empty()
        : status.getConditions().stream().filter(c -> TYPE.equals(c.getType())).findFirst();
  }

  /** Sets Ready on {@code next}, keeping the transition time of {@code previous} when the status is unchanged. */
  public static void set(LambdaIngressStatus previous, LambdaIngressStatus next, boolean ready, String reason, String message, long generation) {
    String status = ready ? "True" : "False";
    String since = of(previous).filter(c -> status.equals(c.getStatus())).map(Condition::getLastTransitionTime)
        .orElse(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(new ConditionBuilder().withType(TYPE).withStatus(status).withReason(reason)
        .withMessage(message.length() > 4000 ? message.substring(0, 4000) : message)
        .withObservedGeneration(generation).withLastTransitionTime(since).build());
    next.setConditions(conditions);
  }
}
