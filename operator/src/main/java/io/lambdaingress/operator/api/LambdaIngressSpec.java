package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The whole chain NLB -> ALB -> Lambda, as one desired state. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
// What spec.adopt names becomes the object's by its owner tags, and what it does not name is created under derived names:
// adding, changing or dropping it later would move the object onto other resources (and delete the ones it has).
@ValidationRule(value = "has(self.adopt) == has(oldSelf.adopt) && (!has(self.adopt) || self.adopt == oldSelf.adopt)",
    message = "spec.adopt is immutable: it is set when the object is created (see docs/adoption.md)")
@ValidationRule(value = "!has(self.adopt) || !has(self.adopt.function) || has(self.lambda.function)",
    message = "spec.adopt.function is managed once adopted: describe it in spec.lambda.function (not spec.lambda.functionArn)")
// The NLB listens on spec.nlb.listener.port (to the HTTP listener) and on the HTTPS port (to the HTTPS listener).
@ValidationRule(value = "!has(self.alb.https) || (has(self.alb.https.port) ? self.alb.https.port : 443) != self.nlb.listener.port",
    fieldPath = ".alb.https.port", message = "spec.alb.https.port must differ from spec.nlb.listener.port: the NLB listens on both")
public class LambdaIngressSpec {

  @Required
  @JsonPropertyDescription("The network load balancer: TCP listener, static IPs, health check through the ALB.")
  private NlbSpec nlb;

  @Required
  @JsonPropertyDescription("The application load balancer: HTTP listener forwarding to the function.")
  private AlbSpec alb;

  @Required
  @JsonPropertyDescription("The function: one the operator manages (function) or an existing one (functionArn).")
  private LambdaSpec lambda;

  // 40 leaves room for the 3 owner tags under AWS's 50 tags per resource.
  @Size(max = 40)
  @ValidationRule(value = "self.all(k, !k.startsWith('lambdaingress.io/') && !k.startsWith('aws:'))",
      message = "spec.tags may not use the reserved prefixes lambdaingress.io/ (owner tags) and aws:")
  @ValidationRule(value = "self.all(k, size(k) >= 1 && size(k) <= 128)", message = "tag keys are 1 to 128 characters (AWS limit)")
  // The characters both Elastic Load Balancing and Lambda accept: a bad tag is refused at apply instead of
  // failing the first AWS write.
  @ValidationRule(value = "self.all(k, k.matches(r'^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$') "
      + "&& self[k].matches(r'^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$'))",
      message = "tag keys and values may hold letters, digits, spaces and _ . : / = + - @ only (AWS rule)")
  @JsonPropertyDescription("Tags added to every AWS resource the operator creates, besides its owner tags "
      + "(lambdaingress.io/cluster, lambdaingress.io/namespace, lambdaingress.io/name). At most 40; keys of 1-128 "
      + "and values of up to 256 letters, digits, spaces and _ . : / = + - @; the prefixes lambdaingress.io/ and aws: are "
      + "reserved. Changed in place.")
  private Map<String, @Size(max = 256) String> tags;

  // 100: ALB's quota of rules per load balancer (default rules not counted); one rule per route.
  @Size(max = 100)
  @ValidationRule(value = "self.all(r, self.exists_one(s, s.name == r.name))", message = "route names must be unique")
  @JsonPropertyDescription("Further functions behind the same entry point: ALB listener rules evaluated in list order "
      + "(the first route that matches wins; what none matches goes to spec.lambda, which also answers the NLB's health "
      + "check). Each route has its own target group, invoke permission and rule; at most 100 (ALB's rules per load "
      + "balancer). Adding, removing and reordering routes moves the rules without a moment of overlap.")
  private List<RouteSpec> routes;

  @Default("Delete")
  @JsonPropertyDescription("Delete (default): deleting the object deletes its AWS resources, adopted ones included. Retain: they "
      + "stay; adopted ones also lose the owner tags, so that Terraform or a person can take them back.")
  private DeletionPolicy deletionPolicy;

  @JsonPropertyDescription("Existing resources to take over instead of creating them, each by ARN or name, any subset "
      + "(docs/adoption.md). Checked against the spec before any write: what AWS sets only at creation must match "
      + "(else InvalidSpec, nothing written), the rest is changed in place; one owned by another LambdaIngress is a "
      + "NameConflict. Immutable.")
  private AdoptSpec adopt;

  public AdoptSpec getAdopt() {
    return adopt;
  }

  public void setAdopt(AdoptSpec adopt) {
    this.adopt = adopt;
  }

  public NlbSpec getNlb() {
    return nlb;
  }

  public void setNlb(NlbSpec nlb) {
    this.nlb = nlb;
  }

  public AlbSpec getAlb() {
    return alb;
  }

  public void setAlb(AlbSpec alb) {
    this.alb = alb;
  }

  public LambdaSpec getLambda() {
    return lambda;
  }

  public void setLambda(LambdaSpec lambda) {
    this.lambda = lambda;
  }

  public List<RouteSpec> getRoutes() {
    return routes;
  }

  public void setRoutes(List<RouteSpec> routes) {
    this.routes = routes;
  }

  public Map<String, String> getTags() {
    return tags;
  }

  public void setTags(Map<String, String> tags) {
    this.tags = tags;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }
}
