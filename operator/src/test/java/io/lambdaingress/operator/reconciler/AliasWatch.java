package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.lambdaingress.operator.testing.Sampler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * Samples a function's alias {@code live} every 100 ms and keeps each state once, in order of first sight:
 * the weights a rollout went through, including those between two awaited conditions.
 */
final class AliasWatch extends Sampler {
  private final LambdaClient lambda;
  private final String functionName;
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  private AliasWatch(LambdaClient lambda, String functionName) {
    super(100);
    this.lambda = lambda;
    this.functionName = functionName;
  }

  static AliasWatch start(LambdaClient lambda, String functionName) {
    AliasWatch w = new AliasWatch(lambda, functionName);
    w.begin();
    return w;
  }

  @Override
  protected void sample() {
    String w = weights(lambda, functionName);
    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(w)) {
      seen.add(w);
    }
  }

  List<String> seen() {
    return List.copyOf(seen);
  }

  /** "1" (all to version 1) or "1 +2@0.1" (10 % to version 2). */
  static String weights(LambdaClient lambda, String functionName) {
    GetAliasResponse a = lambda.getAlias(r -> r.functionName(functionName).name(CanaryStep.ALIAS));
    Map<String, Double> w = a.routingConfig() == null ? Map.of() : new TreeMap<>(a.routingConfig().additionalVersionWeights());
    StringBuilder s = new StringBuilder(a.functionVersion());
    w.forEach((v, x) -> s.append(" +").append(v).append("@").append(x));
    return s.toString();
  }

  /** {@code status.lambda.rollout} of an object (empty when it has none). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> rollout(GenericKubernetesResource li) {
    Map<String, Object> status = (Map<String, Object>) li.getAdditionalProperties().get("status");
    Map<String, Object> l = status == null ? null : (Map<String, Object>) status.get("lambda");
    Object r = l == null ? null : l.get("rollout");
    return r == null ? Map.of() : (Map<String, Object>) r;
  }
}
