package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A load balancer of the chain as it exists in AWS. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadBalancerStatus {

  @JsonPropertyDescription("ARN of the load balancer.")
  private String arn;

  @JsonPropertyDescription("DNS name of the load balancer.")
  private String dnsName;

  @JsonPropertyDescription("ARN of its listener.")
  private String listenerArn;

  @JsonPropertyDescription("ARN of the target group its listener forwards to.")
  private String targetGroupArn;

  @JsonPropertyDescription("ARN of its HTTPS listener (spec.alb.https): on the ALB the HTTPS one, on the NLB the TCP "
      + "listener of the HTTPS port.")
  private String httpsListenerArn;

  @JsonPropertyDescription("NLB: ARN of the alb target group of the HTTPS port.")
  private String httpsTargetGroupArn;

  @JsonPropertyDescription("ALB: ARN of the WAF web ACL the operator associated with it (spec.alb.webAclArn).")
  private String webAclArn;

  public String getWebAclArn() {
    return webAclArn;
  }

  public void setWebAclArn(String webAclArn) {
    this.webAclArn = webAclArn;
  }

  public String getHttpsListenerArn() {
    return httpsListenerArn;
  }

  public void setHttpsListenerArn(String httpsListenerArn) {
    this.httpsListenerArn = httpsListenerArn;
  }

  public String getHttpsTargetGroupArn() {
    return httpsTargetGroupArn;
  }

  public void setHttpsTargetGroupArn(String httpsTargetGroupArn) {
    this.httpsTargetGroupArn = httpsTargetGroupArn;
  }

  public String getArn() {
    return arn;
  }

  public void setArn(String arn) {
    this.arn = arn;
  }

  public String getDnsName() {
    return dnsName;
  }

  public void setDnsName(String dnsName) {
    this.dnsName = dnsName;
  }

  public String getListenerArn() {
    return listenerArn;
  }

  public void setListenerArn(String listenerArn) {
    this.listenerArn = listenerArn;
  }

  public String getTargetGroupArn() {
    return targetGroupArn;
  }

  public void setTargetGroupArn(String targetGroupArn) {
    this.targetGroupArn = targetGroupArn;
  }
}
