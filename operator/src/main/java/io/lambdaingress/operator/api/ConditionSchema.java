package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Schema only, never instantiated: the shape of fabric8's {@link io.fabric8.kubernetes.api.model.Condition}
 * (the Kubernetes convention), documented so that {@code kubectl explain lambdaingress.status.conditions}
 * says what each field means here. The status itself holds fabric8's Condition.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
final class ConditionSchema {

  @JsonPropertyDescription("The condition's type. The operator sets Ready.")
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonPropertyDescription("Machine-readable reason for the status: Reconciled; or, heals by itself, Progressing, Propagating, "
      + "AwsThrottled; or, needs a person, InvalidSpec, NameConflict, AwsAccessDenied, DependencyNotFound, AwsError or RolloutAborted.")
  private String reason;

  @JsonPropertyDescription("What a person needs to know: the field or AWS resource concerned and what to do.")
  private String message;

  @JsonPropertyDescription("The generation of the spec the condition was set for.")
  private Long observedGeneration;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  private ConditionSchema() {}
}
