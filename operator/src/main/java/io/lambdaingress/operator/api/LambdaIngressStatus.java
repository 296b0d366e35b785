package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did, at {@code observedGeneration}. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LambdaIngressStatus {

  @JsonPropertyDescription("The generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("The NLB's DNS name: where clients connect.")
  private String endpoint;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonPropertyDescription("Ready: True when every piece of the chain exists and matches the spec; False with a reason "
      + "(Progressing, Propagating, AwsThrottled heal by themselves; InvalidSpec, NameConflict, AwsAccessDenied, "
      + "DependencyNotFound, AwsError, RolloutAborted need a person) and a message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The NLB, its listener and its target group (type alb).")
  private LoadBalancerStatus nlb;

  @JsonPropertyDescription("The ALB, its listener and its target group (type lambda).")
  private LoadBalancerStatus alb;

  @JsonPropertyDescription("The function, its image digest and its invoke permission.")
  private LambdaStatus lambda;

  @JsonPropertyDescription("The NLB's VPC endpoint service (PrivateLink), when spec.nlb.endpointService asks for one.")
  private EndpointServiceStatus endpointService;

  public EndpointServiceStatus getEndpointService() {
    return endpointService;
  }

  public void setEndpointService(EndpointServiceStatus endpointService) {
    this.endpointService = endpointService;
  }

  @JsonPropertyDescription("The resources spec.adopt named, once taken over: kind, ARN and what was changed in place.")
  private List<AdoptedStatus> adopted;

  public List<AdoptedStatus> getAdopted() {
    return adopted;
  }

  public void setAdopted(List<AdoptedStatus> adopted) {
    this.adopted = adopted;
  }

  @JsonPropertyDescription("One entry per spec.routes entry, in its order: the route's rule, target group and function.")
  private List<RouteStatus> routes;

  @JsonPropertyDescription("Routes ready out of spec.routes (\"2/3\"): the ROUTES column of kubectl get li; absent without routes.")
  private String routesReady;

  public String getRoutesReady() {
    return routesReady;
  }

  public void setRoutesReady(String routesReady) {
    this.routesReady = routesReady;
  }

  public List<RouteStatus> getRoutes() {
    return routes;
  }

  public void setRoutes(List<RouteStatus> routes) {
    this.routes = routes;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public LoadBalancerStatus getNlb() {
    return nlb;
  }

  public void setNlb(LoadBalancerStatus nlb) {
    this.nlb = nlb;
  }

  public LoadBalancerStatus getAlb() {
    return alb;
  }

  public void setAlb(LoadBalancerStatus alb) {
    this.alb = alb;
  }

  public LambdaStatus getLambda() {
    return lambda;
  }

  public void setLambda(LambdaStatus lambda) {
    this.lambda = lambda;
  }
}
