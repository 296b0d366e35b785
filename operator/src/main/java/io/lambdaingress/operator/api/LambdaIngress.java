package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
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
// The generator writes the columns sorted by jsonPath, not in the order of these annotations. Kubernetes' JSONPath
// reads `\s` as `s` and `\` sorts before every letter, so `.\status...` puts the status columns before AGE
// (`.metadata...`); `['reason']` sorts after `.status` and `['lambda']` after `.routesReady`, placing REASON after
// READY and CANARY after ROUTES. CrdSchemaTest holds the order; LambdaIngressIT reads it from kubectl.
@AdditionalPrinterColumn(name = "READY", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".\\status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "REASON", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".\\status.conditions[?(@.type==\"Ready\")]['reason']")
@AdditionalPrinterColumn(name = "ENDPOINT", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".\\status.endpoint")
@AdditionalPrinterColumn(name = "ROUTES", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".\\status.routesReady")
// Percent of the requests a canary gets during a rollout (empty without rollout, 0 between rollouts).
@AdditionalPrinterColumn(name = "CANARY", type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".\\status['lambda'].rollout.weight")
@AdditionalPrinterColumn(name = "AGE", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
// `kubectl get lambda-ingress` lists every kind of the project (one today), as `kubectl get all` does for the built-in ones.
@Categories("lambda-ingress")
// The root description `kubectl explain li` shows; the generator reads no description annotation for the root.
@SchemaCustomizer(value = SchemaCustomizer.MergePatchCustomizer.class, input = "{\"description\": \""
    + LambdaIngress.DESCRIPTION + "\"}")
public class LambdaIngress extends CustomResource<LambdaIngressSpec, LambdaIngressStatus> implements Namespaced {

  /** The kind's own description (no quotes or backslashes: it is spliced into JSON). */
  static final String DESCRIPTION = "A static-IP entry point for AWS Lambda functions. The operator creates and keeps in "
      + "sync the chain "
      + "NLB (TCP, static IPs) -> target group (type alb) -> ALB (HTTP) -> target group (type lambda) -> function, plus the "
      + "permission that lets Elastic Load Balancing invoke the function; spec.routes adds further functions behind the same "
      + "entry point. status.endpoint is where clients connect; the Ready condition's reason says what is happening "
      + "(docs/troubleshooting.md). Deleting the object deletes the chain unless spec.deletionPolicy is Retain.";

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
