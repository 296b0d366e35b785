package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A subnet of the NLB, with an optional static private IPv4 address in it. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SubnetMapping {

  @Required
  @Pattern(AwsIdPatterns.SUBNET_ID)
  @Size(max = AwsIdPatterns.SUBNET_ID_MAX)
  @JsonPropertyDescription("Subnet id (subnet-...). Changing the NLB's subnet mappings replaces the NLB (its DNS name changes).")
  private String subnetId;

  @JsonProperty("privateIPv4Address")
  @Size(max = AwsIdPatterns.IPV4_MAX)
  @Pattern("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")
  @JsonPropertyDescription("Static private IPv4 address for an internal NLB in this subnet; must lie in the subnet's CIDR. Optional.")
  private String privateIPv4Address;

  public String getSubnetId() {
    return subnetId;
  }

  public void setSubnetId(String subnetId) {
    this.subnetId = subnetId;
  }

  public String getPrivateIPv4Address() {
    return privateIPv4Address;
  }

  public void setPrivateIPv4Address(String privateIPv4Address) {
    this.privateIPv4Address = privateIPv4Address;
  }
}
