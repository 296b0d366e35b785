package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The VPC attachment of the function. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VpcSpec {

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Subnets (subnet-...) of the function's network interfaces.")
  private List<String> subnetIds;

  @Required
  @Size(min = 1, max = 5)
  @JsonPropertyDescription("Security groups (sg-...) of the function.")
  private List<String> securityGroupIds;

  public List<String> getSubnetIds() {
    return subnetIds;
  }

  public void setSubnetIds(List<String> subnetIds) {
    this.subnetIds = subnetIds;
  }

  public List<String> getSecurityGroupIds() {
    return securityGroupIds;
  }

  public void setSecurityGroupIds(List<String> securityGroupIds) {
    this.securityGroupIds = securityGroupIds;
  }
}
