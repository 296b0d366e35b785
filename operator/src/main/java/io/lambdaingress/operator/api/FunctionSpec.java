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
@ValidationRule(value = "!has(self.environment) || !('LAMBDA_INGRESS_HEALTH_PATH' in self.environment)", message = "environment.LAMBDA_INGRESS_HEALTH_PATH is set by the operator from spec.nlb.healthCheck.path")
@ValidationRule(value = "!has(self.environment) || self.environment.all(k, k.matches('^[a-zA-Z][a-zA-Z0-9_]*$') && size(k) <= 128)", message = "environment keys must be letters, digits and _ and start with a letter")
public class FunctionSpec {

  @Size(min = 1, max = 64)
  @Pattern("^[A-Za-z0-9_-]+$")
  @JsonPropertyDescription("Function name; derived from namespace and name when omitted. Changing it creates the new function and deletes the old one.")
  private String name;

  @Required
  @JsonPropertyDescription("The container image.")
  private ImageSpec image;

  @Required
  @Pattern("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$")
  @JsonPropertyDescription("Execution role of the function (arn:aws:iam::ACCOUNT:role/NAME).")
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
  @JsonPropertyDescription("Environment variables. LAMBDA_INGRESS_HEALTH_PATH is set by the operator and may not be given here.")
  private Map<String, String> environment;

  @JsonPropertyDescription("VPC attachment; omit for a function outside any VPC.")
  private VpcSpec vpc;

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
}
