package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
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
