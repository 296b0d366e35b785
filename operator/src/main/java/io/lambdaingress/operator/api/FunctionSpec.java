package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** A Lambda function that the operator creates and keeps in sync. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.provisionedConcurrency) || has(self.rollout)", message = "provisionedConcurrency needs rollout: "
    + "Lambda provisions a version or an alias, never $LATEST, and only with rollout does the ALB invoke one (the alias live)")
public class FunctionSpec {

  /** Keys Lambda sets itself and refuses in a function's configuration (those starting with _ fail the key rule). */
  static final String RESERVED_ENVIRONMENT = "['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', "
      + "'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', "
      + "'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', "
      + "'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', "
      + "'LAMBDA_RUNTIME_DIR']";

  @Size(min = 1, max = 64)
  @Pattern("^[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("Function name; derived from namespace and name when omitted. Changing it creates the new function and deletes the old one.")
  private String name;

  @Required
  @JsonPropertyDescription("The container image.")
  private ImageSpec image;

  @Required
  @Pattern(AwsIdPatterns.ROLE_ARN)
  @JsonPropertyDescription("Execution role of the function (arn:aws:iam::ACCOUNT:role/NAME, a path allowed). Refused at apply "
      + "when malformed; Ready=False InvalidSpec when it matches none of the operator's allowedRoleArns (chart value, by "
      + "default the roles under the IAM path /lambda-ingress/: arn:aws:iam::*:role/lambda-ingress/*), DependencyNotFound "
      + "when the role does not exist.")
  private String roleArn;

  @Default("30")
  @Min(1)
  @Max(900)
  @JsonPropertyDescription("Timeout in seconds (1-900, default 30).")
  private Integer timeoutSeconds;

  @JsonProperty("memoryMiB")
  @Default("512")
  @Min(128)
  @Max(10240)
  @JsonPropertyDescription("Memory in MiB (128-10240, default 512).")
  private Integer memoryMiB;

  @Size(max = 64)
  @ValidationRule(value = "!('LAMBDA_INGRESS_HEALTH_PATH' in self)",
      message = "environment.LAMBDA_INGRESS_HEALTH_PATH is set by the operator from spec.nlb.healthCheck.path")
  // Lambda's own key pattern: a letter, then at least one more letter, digit or _.
  @ValidationRule(value = "self.all(k, size(k) <= 128 && k.matches('^[a-zA-Z][a-zA-Z0-9_]+$'))",
      message = "environment keys are 2 or more letters, digits and _, starting with a letter (Lambda's rule)")
  @ValidationRule(value = "!self.exists(k, k in " + FunctionSpec.RESERVED_ENVIRONMENT + ")",
      message = "environment keys may not be ones Lambda reserves: " + FunctionSpec.RESERVED_ENVIRONMENT)
  @JsonPropertyDescription("Environment variables (at most 4 KB in all, Lambda's limit). Lambda's reserved keys (AWS_REGION, "
      + "AWS_LAMBDA_*, ...) cannot be set, and LAMBDA_INGRESS_HEALTH_PATH is set by the operator. Changed in place.")
  private Map<String, String> environment;

  @JsonPropertyDescription("VPC attachment; omit for a function outside any VPC.")
  private VpcSpec vpc;

  @JsonPropertyDescription("Canary rollout of each new image through the alias live, with automatic rollback on CloudWatch alarms "
      + "(docs/rollouts.md). Omit to update the function in place.")
  private RolloutSpec rollout;

  @Min(0)
  @JsonPropertyDescription("Reserved concurrency of the function (PutFunctionConcurrency): at most this many instances at once, "
      + "and this many kept for it out of the account's pool; 0 stops every invocation. Omit for none (a reservation made "
      + "out of band is removed). Changed in place; AWS refuses one that would leave the account less than 100 unreserved "
      + "(InvalidSpec).")
  private Integer reservedConcurrency;

  @Min(1)
  @JsonPropertyDescription("Provisioned concurrency on what the ALB invokes, the alias live (so rollout is required: Lambda "
      + "provisions a version or alias, never $LATEST). Kept through a canary rollout: Lambda refuses provisioned concurrency "
      + "put on an alias with weighted routing, so a change asked during a rollout waits for its end. status.lambda.rollout."
      + "provisionedConcurrency says where it is allocated and whether it is READY; Ready waits for READY. Omit to remove it.")
  private Integer provisionedConcurrency;

  public Integer getReservedConcurrency() {
    return reservedConcurrency;
  }

  public void setReservedConcurrency(Integer reservedConcurrency) {
    this.reservedConcurrency = reservedConcurrency;
  }

  public Integer getProvisionedConcurrency() {
    return provisionedConcurrency;
  }

  public void setProvisionedConcurrency(Integer provisionedConcurrency) {
    this.provisionedConcurrency = provisionedConcurrency;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public ImageSpec getImage() {
    return image;
  }

  public void setImage(ImageSpec image) {
    this.image = image;
  }

  public String getRoleArn() {
    return roleArn;
  }

  public void setRoleArn(String roleArn) {
    this.roleArn = roleArn;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getMemoryMiB() {
    return memoryMiB;
  }

  public void setMemoryMiB(Integer memoryMiB) {
    this.memoryMiB = memoryMiB;
  }

  public Map<String, String> getEnvironment() {
    return environment;
  }

  public void setEnvironment(Map<String, String> environment) {
    this.environment = environment;
  }

  public VpcSpec getVpc() {
    return vpc;
  }

  public void setVpc(VpcSpec vpc) {
    this.vpc = vpc;
  }

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }
}
