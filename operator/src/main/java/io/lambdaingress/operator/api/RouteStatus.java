package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One route as it exists in AWS. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteStatus {

  @JsonPropertyDescription("The route's name (spec.routes[].name).")
  private String name;

  @JsonPropertyDescription("ARN of the route's ALB listener rule.")
  private String ruleArn;

  @JsonPropertyDescription("ARN of the route's target group (type lambda).")
  private String targetGroupArn;

  @JsonPropertyDescription("ARN of the route's function.")
  private String functionArn;

  @JsonPropertyDescription("Digest (sha256:...) the route's managed function runs.")
  private String imageDigest;

  @JsonPropertyDescription("The canary rollout of the route's function (spec.routes[].lambda.function.rollout): versions, weight, "
      + "step and result.")
  private RolloutStatus rollout;

  @JsonPropertyDescription("True when the route's rule, target group, permission, registration and function match the spec.")
  private Boolean ready;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getRuleArn() {
    return ruleArn;
  }

  public void setRuleArn(String ruleArn) {
    this.ruleArn = ruleArn;
  }

  public String getTargetGroupArn() {
    return targetGroupArn;
  }

  public void setTargetGroupArn(String targetGroupArn) {
    this.targetGroupArn = targetGroupArn;
  }

  public String getFunctionArn() {
    return functionArn;
  }

  public void setFunctionArn(String functionArn) {
    this.functionArn = functionArn;
  }

  public String getImageDigest() {
    return imageDigest;
  }

  public void setImageDigest(String imageDigest) {
    this.imageDigest = imageDigest;
  }

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public RolloutStatus getRollout() {
    return rollout;
  }

  public void setRollout(RolloutStatus rollout) {
    this.rollout = rollout;
  }
}
