package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The whole chain NLB -> ALB -> Lambda, as one desired state. */
@ValidationRule(value = "!has(self.tags) || self.tags.all(k, !k.startsWith('lambdaingress.io/') && !k.startsWith('aws:'))",
    message = "spec.tags may not use the reserved prefixes lambdaingress.io/ (owner tags) and aws:")
@ValidationRule(value = "!has(self.tags) || self.tags.all(k, size(k) <= 128 && size(self.tags[k]) <= 256)",
    message = "spec.tags keys are at most 128 characters and values at most 256 (AWS limits)")
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
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

  @Size(max = 40)
  @JsonPropertyDescription("Tags added to every AWS resource the operator creates, besides its owner tags.")
  private Map<String, String> tags;

  @Default("Delete")
  @JsonPropertyDescription("Delete (default): deleting the object deletes its AWS resources. Retain: they stay.")
  private DeletionPolicy deletionPolicy;

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
