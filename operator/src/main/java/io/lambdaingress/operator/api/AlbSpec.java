package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The application load balancer between the NLB and the function. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
// The NLB forwards each port to the ALB's listener on the same port: two listeners cannot share one.
@ValidationRule(value = "!has(self.https) || !has(self.https.port) || self.https.port != self.listener.port",
    fieldPath = ".https.port", message = "spec.alb.https.port must differ from spec.alb.listener.port")
public class AlbSpec {

  @Default("internal")
  // Allowed, unlike the NLB's: the ALB sits behind the NLB, so the endpoint and its IPs stay the same.
  @JsonPropertyDescription("internal (default) or internet-facing. Changing it replaces the ALB: the NLB, its "
      + "endpoint and its IPs stay; a new ALB is built beside the old one, with the routes' rules, the NLB moves to it once "
      + "it is healthy and every route's rule is there, then the old one is drained (the alb target group's deregistration "
      + "delay, 300 s by default) and deleted.")
  private Scheme scheme;

  @Required
  @Size(min = 2, max = 16)
  @ValidationRule(value = "self.all(s, self.exists_one(t, t == s))", message = "a subnet is listed twice")
  @JsonPropertyDescription("At least two subnets (subnet-...), one per Availability Zone, as AWS requires for an ALB; "
      + "all subnets of a LambdaIngress must be in one VPC. Changed in place.")
  private List<@Pattern(AwsIdPatterns.SUBNET_ID) @Size(max = AwsIdPatterns.SUBNET_ID_MAX) String> subnets;

  @Size(max = 5)
  @ValidationRule(value = "self.all(g, self.exists_one(h, h == g))", message = "a security group is listed twice")
  @JsonPropertyDescription("Security groups (sg-...) of the ALB, in the subnets' VPC; AWS gives it the VPC's default "
      + "group when omitted. Changed in place.")
  private List<@Pattern(AwsIdPatterns.SECURITY_GROUP_ID) @Size(max = AwsIdPatterns.SECURITY_GROUP_ID_MAX)
      String> securityGroups;

  @Required
  @JsonPropertyDescription("The HTTP listener; the NLB forwards to this port and health-checks through it. Refused at "
      + "apply without a port of 1-65535. A new port replaces the NLB's target group (type alb); the endpoint stays.")
  private ListenerSpec listener;

  @JsonPropertyDescription("An HTTPS listener beside the HTTP one, with ACM certificates (docs/tls.md). Removing it "
      + "deletes the HTTPS listeners of the ALB and the NLB, and the NLB's alb target group of that port.")
  private HttpsSpec https;

  @JsonPropertyDescription("Load balancer attributes of the ALB: typed fields and an allow-listed map (docs/api.md).")
  private AlbAttributesSpec attributes;

  @Pattern(AwsIdPatterns.WEB_ACL_ARN)
  @Size(max = AwsIdPatterns.WEB_ACL_ARN_MAX)
  // A CloudFront (global) web ACL has an ARN of the same shape: refused with a message saying what to use instead.
  @ValidationRule(value = "!self.contains(':global/webacl/')", message = "a CloudFront (global) web ACL cannot protect an ALB: "
      + "use a REGIONAL web ACL of the ALB's region (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)")
  @JsonPropertyDescription("A regional AWS WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>) in the "
      + "ALB's region, associated with the ALB; another web ACL associated out of band is replaced, a disassociation put back. "
      + "Removing it disassociates the web ACL the operator associated (one associated by someone else, while this field was "
      + "never set, is left alone). A CloudFront (global) web ACL is refused at apply, one of another region with InvalidSpec.")
  private String webAclArn;

  public AlbAttributesSpec getAttributes() {
    return attributes;
  }

  public void setAttributes(AlbAttributesSpec attributes) {
    this.attributes = attributes;
  }

  public String getWebAclArn() {
    return webAclArn;
  }

  public void setWebAclArn(String webAclArn) {
    this.webAclArn = webAclArn;
  }

  public HttpsSpec getHttps() {
    return https;
  }

  public void setHttps(HttpsSpec https) {
    this.https = https;
  }

  public Scheme getScheme() {
    return scheme;
  }

  public void setScheme(Scheme scheme) {
    this.scheme = scheme;
  }

  public List<String> getSubnets() {
    return subnets;
  }

  public void setSubnets(List<String> subnets) {
    this.subnets = subnets;
  }

  public List<String> getSecurityGroups() {
    return securityGroups;
  }

  public void setSecurityGroups(List<String> securityGroups) {
    this.securityGroups = securityGroups;
  }

  public ListenerSpec getListener() {
    return listener;
  }

  public void setListener(ListenerSpec listener) {
    this.listener = listener;
  }
}
