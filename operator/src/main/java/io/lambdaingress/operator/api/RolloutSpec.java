package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A canary rollout of each new image: the function is served through the alias {@code live}, and a new
 * digest gets the steps' weights in turn, each for its pause, then all of the traffic. Any of the alarms in
 * ALARM during a rollout sends everything back to the previous version.
 */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {

  @Required
  @Size(min = 1, max = 10)
  // Sorted and without repeats is strictly increasing; CEL has no index over a list.
  @ValidationRule(value = "self.map(s, s.weight).isSorted() && self.all(s, self.exists_one(t, t.weight == s.weight))",
      message = "rollout.steps: weights must increase from step to step")
  @JsonPropertyDescription("Traffic to the new version, in order (at most 10 steps, weights increasing); 100 % follows the last step's pause.")
  private List<RolloutStep> steps;

  @Size(max = 10)
  @ValidationRule(value = "self.all(a, self.exists_one(b, b == a))", message = "rollout.alarms: an alarm is listed twice")
  @JsonPropertyDescription("CloudWatch alarm names (same account and region). Any of them in ALARM during a rollout rolls back to the previous version.")
  // CloudWatch's AlarmName: 1 to 255 characters; control characters are not accepted by its API.
  private List<@Size(min = 1, max = 255) @Pattern("^[^\\x00-\\x1f\\x7f]+$") String> alarms;

  public List<RolloutStep> getSteps() {
    return steps;
  }

  public void setSteps(List<RolloutStep> steps) {
    this.steps = steps;
  }

  public List<String> getAlarms() {
    return alarms;
  }

  public void setAlarms(List<String> alarms) {
    this.alarms = alarms;
  }
}
