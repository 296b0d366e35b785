package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One step of a rollout: this share of the traffic to the new version, for this long. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStep {

  @Required
  @Min(1)
  @Max(99)
  @JsonPropertyDescription("Percent of the requests sent to the new version (1-99).")
  private Integer weight;

  @Required
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription("Seconds at this weight before the next step (1-86400).")
  private Integer pauseSeconds;

  public RolloutStep() {}

  public RolloutStep(int weight, int pauseSeconds) {
    this.weight = weight;
    this.pauseSeconds = pauseSeconds;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public Integer getPauseSeconds() {
    return pauseSeconds;
  }

  public void setPauseSeconds(Integer pauseSeconds) {
    this.pauseSeconds = pauseSeconds;
  }
}
