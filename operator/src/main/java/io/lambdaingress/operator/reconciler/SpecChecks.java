package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressSpec;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Ec2NetworkClient;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.NetworkFacts;
import io.lambdaingress.operator.model.RouteValidation;
import io.lambdaingress.operator.model.SpecValidation;
import io.lambdaingress.operator.model.SpecValidation.SubnetFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is checked before the chain is touched: the spec's own rules and the operator's allow-lists (before
 * any AWS call: IAM would refuse those with a message that names neither the field nor the setting), then
 * the network the spec names (subnets, security groups), which also gives the VPC.
 */
final class SpecChecks {

  private final OperatorSettings settings;
  private final NetworkFacts network;

  SpecChecks(OperatorSettings settings, NetworkFacts network) {
    this.settings = settings;
    this.network = network;
  }

  /** What is wrong with the spec by itself and against the allow-lists; empty when nothing is. */
  List<String> problems(LambdaIngressSpec spec) {
    List<String> problems = new ArrayList<>(SpecValidation.ofSpec(spec));
    problems.addAll(SpecValidation.ofAllowLists(spec, settings.allowedRoleArns(), settings.allowedFunctionArns()));
    problems.addAll(RouteValidation.ofSpec(spec));
    problems.addAll(RouteValidation.ofAllowLists(spec, settings.allowedRoleArns(), settings.allowedFunctionArns()));
    return problems;
  }

  /** Reads the spec's subnets and security groups, checks the network rules, returns the VPC. */
  String vpcOf(LambdaIngress li) {
    Map<String, String> fields = SpecValidation.subnetFields(li.getSpec());
    Map<String, Ec2NetworkClient.Subnet> found;
    try {
      found = network.subnets(List.copyOf(fields.keySet()));
    } catch (AwsFailure f) {
      throw withField(f, fields);
    }
    Map<String, SubnetFacts> facts = new LinkedHashMap<>();
    found.forEach((id, s) -> facts.put(id, new SubnetFacts(s.vpcId(), s.cidrBlock(), s.availabilityZone())));
    Map<String, String> groups = network.securityGroupVpcs(List.copyOf(SpecValidation.securityGroups(li.getSpec())));
    List<String> problems = SpecValidation.ofNetwork(li.getSpec(), facts, groups);
    if (!problems.isEmpty()) {
      throw new AwsFailure(Reason.InvalidSpec, String.join("; ", problems));
    }
    return facts.values().iterator().next().vpcId();
  }

  /**
   * "subnet X does not exist" becomes "spec.alb.subnets[1]: subnet X does not exist". Our message lists every
   * id the call asked for (all of the spec's when none was cached); AWS's own names the missing one in quotes
   * ("The subnet ID 'subnet-…' does not exist"): that one is the field's.
   */
  static AwsFailure withField(AwsFailure f, Map<String, String> fields) {
    String message = f.getMessage();
    return fields.entrySet().stream().filter(e -> message.contains("'" + e.getKey() + "'")).findFirst()
        .or(() -> fields.entrySet().stream().filter(e -> message.contains(e.getKey())).findFirst())
        .map(e -> new AwsFailure(f.reason(), e.getValue() + ": " + message, f.awsErrorCode(), f))
        .orElse(f);
  }
}
