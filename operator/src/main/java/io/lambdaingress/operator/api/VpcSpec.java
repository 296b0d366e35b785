package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The VPC attachment of the function. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VpcSpec {

  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(value = "self.all(s, self.exists_one(t, t == s))", message = "a subnet is listed twice")
  @JsonPropertyDescription("Subnets (subnet-...) of the function's network interfaces, in the load balancers' VPC. "
      + "Changed in place.")
  private List<@Pattern(AwsIdPatterns.SUBNET_ID) @Size(max = AwsIdPatterns.SUBNET_ID_MAX) String> subnetIds;

  @Required
  @Size(min = 1, max = 5)
  @ValidationRule(value = "self.all(g, self.exists_one(h, h == g))", message = "a security group is listed twice")
  @JsonPropertyDescription("Security groups (sg-...) of the function, in the same VPC; they must let the ALB reach it. "
      + "Changed in place.")
  private List<@Pattern(AwsIdPatterns.SECURITY_GROUP_ID) @Size(max = AwsIdPatterns.SECURITY_GROUP_ID_MAX)
      String> securityGroupIds;

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
