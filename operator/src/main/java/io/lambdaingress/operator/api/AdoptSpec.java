package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Existing resources the object takes over instead of creating them (docs/adoption.md): each by ARN or name,
 * any subset. What is named is checked against the spec before anything is written, then tagged as the object's
 * and reconciled like a resource the operator created.
 */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.nlbListener) || has(self.nlb)", fieldPath = ".nlbListener",
    message = "spec.adopt.nlbListener is a listener of the adopted NLB: name the NLB in spec.adopt.nlb too")
@ValidationRule(value = "!has(self.albListener) || has(self.alb)", fieldPath = ".albListener",
    message = "spec.adopt.albListener is a listener of the adopted ALB: name the ALB in spec.adopt.alb too")
public class AdoptSpec {

  // Load balancer and target group names: 1-32 of [A-Za-z0-9-], no hyphen at either end (AWS's rule).
  private static final String ELB_NAME = "[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?";
  private static final String ELB_ARN = "arn:aws[a-zA-Z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:";
  // An ARN's kind segment is the load balancer's type: net/ for a network one, app/ for an application one (Service
  // Authorization Reference for ELB v2, its resource types). A name says nothing of the type: the operator reads the
  // resource's and refuses another one (InvalidSpec).
  // (Annotation values: constant expressions, so concatenations rather than a method per kind.)
  public static final String NLB = "^(" + ELB_NAME + "|" + ELB_ARN + "loadbalancer/net/" + ELB_NAME + "/[0-9a-f]+)$";
  public static final String ALB = "^(" + ELB_NAME + "|" + ELB_ARN + "loadbalancer/app/" + ELB_NAME + "/[0-9a-f]+)$";
  public static final String NLB_LISTENER = "^" + ELB_ARN + "listener/net/" + ELB_NAME + "/[0-9a-f]+/[0-9a-f]+$";
  public static final String ALB_LISTENER = "^" + ELB_ARN + "listener/app/" + ELB_NAME + "/[0-9a-f]+/[0-9a-f]+$";
  public static final String TARGET_GROUP = "^(" + ELB_NAME + "|" + ELB_ARN + "targetgroup/" + ELB_NAME + "/[0-9a-f]+)$";
  /** A function's name or unqualified ARN: the function itself is adopted, never one version or alias of it. */
  public static final String FUNCTION = "^([A-Za-z0-9_-]{1,64}|arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64})$";
  // The ARNs' lengths: CEL rules over these strings are costed by maxLength, a pattern does not count.
  private static final int ARN_MAX = 200;

  @Pattern(NLB)
  @Size(max = ARN_MAX)
  @JsonPropertyDescription("An existing network load balancer (name, or ARN ...:loadbalancer/net/NAME/ID) to serve as the NLB: its ARN, DNS name and "
      + "IPs stay. "
      + "Its type, scheme, subnets, static IPs and VPC must be those of spec.nlb (AWS sets them only at creation). Its listener on "
      + "spec.nlb.listener.port, if any, must be named in nlbListener (one listener per port: the chain cannot create its own "
      + "beside it).")
  private String nlb;

  @Pattern(NLB_LISTENER)
  @Size(max = ARN_MAX)
  @JsonPropertyDescription("The adopted NLB's listener (ARN ...:listener/net/NAME/ID/ID) to serve as spec.nlb.listener; needs spec.adopt.nlb. When it forwards "
      + "to a target group that is not adopted, it keeps doing so until the new ALB serves, then moves in one call.")
  private String nlbListener;

  @Pattern(TARGET_GROUP)
  @Size(max = ARN_MAX)
  @JsonPropertyDescription("An existing target group of type alb (ARN or name): the NLB's group holding the ALB. Its target type, "
      + "protocol (TCP), port (spec.alb.listener.port) and VPC must match; its health check is changed in place.")
  private String albTargetGroup;

  @Pattern(ALB)
  @Size(max = ARN_MAX)
  @JsonPropertyDescription("An existing application load balancer (name, or ARN ...:loadbalancer/app/NAME/ID) to serve as the ALB. Its type, scheme and VPC must "
      + "be those of spec.alb; subnets and security groups are changed in place. Its listener on spec.alb.listener.port, if any, "
      + "must be named in albListener.")
  private String alb;

  @Pattern(ALB_LISTENER)
  @Size(max = ARN_MAX)
  @JsonPropertyDescription("The adopted ALB's listener (ARN ...:listener/app/NAME/ID/ID) to serve as spec.alb.listener; needs "
      + "spec.adopt.alb.")
  private String albListener;

  @Pattern(TARGET_GROUP)
  @Size(max = ARN_MAX)
  @JsonPropertyDescription("An existing target group of type lambda (ARN or name): the ALB's group holding the function.")
  private String lambdaTargetGroup;

  @Pattern(FUNCTION)
  @Size(max = ARN_MAX)
  @JsonPropertyDescription("An existing image function (name or unqualified ARN) to manage as spec.lambda.function (which must be "
      + "given, its name left out or the same): its configuration and image become the spec's, in place.")
  private String function;

  public String getNlb() {
    return nlb;
  }

  public void setNlb(String nlb) {
    this.nlb = nlb;
  }

  public String getNlbListener() {
    return nlbListener;
  }

  public void setNlbListener(String nlbListener) {
    this.nlbListener = nlbListener;
  }

  public String getAlbTargetGroup() {
    return albTargetGroup;
  }

  public void setAlbTargetGroup(String albTargetGroup) {
    this.albTargetGroup = albTargetGroup;
  }

  public String getAlb() {
    return alb;
  }

  public void setAlb(String alb) {
    this.alb = alb;
  }

  public String getAlbListener() {
    return albListener;
  }

  public void setAlbListener(String albListener) {
    this.albListener = albListener;
  }

  public String getLambdaTargetGroup() {
    return lambdaTargetGroup;
  }

  public void setLambdaTargetGroup(String lambdaTargetGroup) {
    this.lambdaTargetGroup = lambdaTargetGroup;
  }

  public String getFunction() {
    return function;
  }

  public void setFunction(String function) {
    this.function = function;
  }
}
