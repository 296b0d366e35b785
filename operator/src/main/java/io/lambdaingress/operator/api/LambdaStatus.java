package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The function side of the chain as it exists in AWS. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LambdaStatus {

  @JsonPropertyDescription("ARN of the function behind the ALB.")
  private String functionArn;

  @JsonPropertyDescription("Digest (sha256:...) the function's image is pinned to; a new digest behind the tag rolls the function.")
  private String imageDigest;

  @JsonPropertyDescription("Statement id of the lambda:InvokeFunction permission for elasticloadbalancing.amazonaws.com.")
  private String permissionStatementId;

  @JsonPropertyDescription("The canary rollout (spec.lambda.function.rollout): versions, weight, step and result.")
  private RolloutStatus rollout;

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

  public String getPermissionStatementId() {
    return permissionStatementId;
  }

  public void setPermissionStatementId(String permissionStatementId) {
    this.permissionStatementId = permissionStatementId;
  }

  public RolloutStatus getRollout() {
    return rollout;
  }

  public void setRollout(RolloutStatus rollout) {
    this.rollout = rollout;
  }
}
