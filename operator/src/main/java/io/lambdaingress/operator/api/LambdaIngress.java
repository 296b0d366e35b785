package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One LambdaIngress: a static-IP entry point for a Lambda function, as the chain NLB (TCP) -> target group
 * type alb -> ALB (HTTP) -> target group type lambda -> function, plus ELB's invoke permission.
 */
@Group("lambdaingress.io")
@Version("v1alpha1")
@Plural("lambdaingresses")
@Singular("lambdaingress")
@ShortNames("li")
@AdditionalPrinterColumn(name = "READY", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "ENDPOINT", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.endpoint")
@AdditionalPrinterColumn(name = "ROUTES", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.routesReady")
// Percent of the requests a canary gets during a rollout (empty without rollout, 0 between rollouts).
@AdditionalPrinterColumn(name = "CANARY", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.lambda.rollout.weight")
@AdditionalPrinterColumn(name = "AGE", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class LambdaIngress extends CustomResource<LambdaIngressSpec, LambdaIngressStatus> implements Namespaced {

  // Overridden only to document spec and status for `kubectl explain lambdaingress`.
  @Override
  @JsonPropertyDescription("The desired chain: NLB, ALB, function, tags and what happens on deletion.")
  public LambdaIngressSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator observed and did: Ready, the endpoint and every AWS resource of the chain.")
  public LambdaIngressStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected LambdaIngressStatus initStatus() {
    return new LambdaIngressStatus();
  }
}
