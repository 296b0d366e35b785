package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The network load balancer: the static-IP entry point. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
// AWS takes privateIPv4Address for internal NLBs only; an internet-facing one would need Elastic IPs.
@ValidationRule(value = "!has(self.scheme) || self.scheme != 'internet-facing' || self.subnetMappings.all(m, !has(m.privateIPv4Address))",
    fieldPath = ".subnetMappings",
    message = "privateIPv4Address is only for an internal NLB; an internet-facing NLB gets public IPs from AWS")
// AWS evaluates the setting only for an NLB with security groups (SetSecurityGroups, which carries it, needs some).
@ValidationRule(value = "!has(self.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic) || (has(self.securityGroups) && size(self.securityGroups) > 0)",
    fieldPath = ".enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
    message = "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic needs spec.nlb.securityGroups: AWS applies it only to an NLB with security groups")
public class NlbSpec {

  @Default("internal")
  // A scheme change would replace the NLB: a new endpoint and new IPs for every client. Refused instead.
  @ValidationRule(value = "self == oldSelf", message = "spec.nlb.scheme is immutable: changing it would replace the NLB, "
      + "its endpoint and its IPs; create a new LambdaIngress and move clients over instead")
  @JsonPropertyDescription("internal (default) or internet-facing. Immutable: a different scheme is a different NLB and endpoint.")
  private Scheme scheme;

  @Default("true")
  @JsonPropertyDescription("Distribute traffic across all zones' targets. Default true.")
  private Boolean crossZoneLoadBalancing;

  @Required
  @Size(min = 1, max = 6)
  @ValidationRule(value = "self.all(m, self.exists_one(n, n.subnetId == m.subnetId))", message = "a subnet is listed twice")
  @JsonPropertyDescription("Subnets of the NLB, one per Availability Zone, each with an optional static IP. At least one; "
      + "all subnets of a LambdaIngress must be in one VPC. Changing them replaces the NLB: its DNS name changes.")
  private List<SubnetMapping> subnetMappings;

  @Size(max = 5)
  @ValidationRule(value = "self.all(g, self.exists_one(h, h == g))", message = "a security group is listed twice")
  @JsonPropertyDescription("Security groups (sg-...) of the NLB, in the subnets' VPC, at most 5. AWS gives an NLB security "
      + "groups only at its creation: a change of groups is made in place while the NLB has some, but adding groups to an "
      + "NLB created without any, or removing them all, replaces the NLB (its DNS name changes; static IPs of "
      + "subnetMappings are kept). Omitted: an NLB without security groups, as AWS creates it.")
  private List<@Pattern(AwsIdPatterns.SECURITY_GROUP_ID) @Size(max = AwsIdPatterns.SECURITY_GROUP_ID_MAX) String> securityGroups;

  @JsonPropertyDescription("Whether the NLB's security groups' inbound rules apply to traffic that comes through AWS "
      + "PrivateLink (the endpoint service). Needs securityGroups. Omitted: left as AWS has it (on by default); set, kept "
      + "as set (SetSecurityGroups).")
  private Boolean enforceSecurityGroupInboundRulesOnPrivateLinkTraffic;

  @Required
  @JsonPropertyDescription("The TCP listener clients connect to at status.endpoint. Refused at apply without a port of "
      + "1-65535. A new port changes the listener in place: clients must use it.")
  private ListenerSpec listener;

  @JsonPropertyDescription("Health check of the ALB target, over HTTP through the ALB to the function.")
  private HealthCheckSpec healthCheck;

  @JsonPropertyDescription("PrivateLink: offer the NLB to other VPCs and accounts as a VPC endpoint service. Removing it "
      + "deletes only the endpoint service (its connections rejected first).")
  private EndpointServiceSpec endpointService;

  @JsonPropertyDescription("Load balancer attributes of the NLB besides crossZoneLoadBalancing: deletion protection and an "
      + "allow-listed map.")
  private NlbAttributesSpec attributes;

  public List<String> getSecurityGroups() {
    return securityGroups;
  }

  public void setSecurityGroups(List<String> securityGroups) {
    this.securityGroups = securityGroups;
  }

  public Boolean getEnforceSecurityGroupInboundRulesOnPrivateLinkTraffic() {
    return enforceSecurityGroupInboundRulesOnPrivateLinkTraffic;
  }

  public void setEnforceSecurityGroupInboundRulesOnPrivateLinkTraffic(Boolean enforce) {
    this.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic = enforce;
  }

  public NlbAttributesSpec getAttributes() {
    return attributes;
  }

  public void setAttributes(NlbAttributesSpec attributes) {
    this.attributes = attributes;
  }

  public EndpointServiceSpec getEndpointService() {
    return endpointService;
  }

  public void setEndpointService(EndpointServiceSpec endpointService) {
    this.endpointService = endpointService;
  }

  public Scheme getScheme() {
    return scheme;
  }

  public void setScheme(Scheme scheme) {
    this.scheme = scheme;
  }

  public Boolean getCrossZoneLoadBalancing() {
    return crossZoneLoadBalancing;
  }

  public void setCrossZoneLoadBalancing(Boolean crossZoneLoadBalancing) {
    this.crossZoneLoadBalancing = crossZoneLoadBalancing;
  }

  public List<SubnetMapping> getSubnetMappings() {
    return subnetMappings;
  }

  public void setSubnetMappings(List<SubnetMapping> subnetMappings) {
    this.subnetMappings = subnetMappings;
  }

  public ListenerSpec getListener() {
    return listener;
  }

  public void setListener(ListenerSpec listener) {
    this.listener = listener;
  }

  public HealthCheckSpec getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthCheckSpec healthCheck) {
    this.healthCheck = healthCheck;
  }
}
