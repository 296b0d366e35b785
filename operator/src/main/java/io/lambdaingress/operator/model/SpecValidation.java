package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.LambdaIngressSpec;
import io.lambdaingress.operator.api.Scheme;
import io.lambdaingress.operator.api.SubnetMapping;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules the CRD schema cannot express, each answered with a message naming the field. Pure: the
 * subnets' and security groups' facts are read from AWS by the caller and passed in.
 */
public final class SpecValidation {

  /** A subnet's facts from EC2. */
  public record SubnetFacts(String vpcId, String cidrBlock, String availabilityZone) {}

  /** Lambda's limit on a function's environment variables, keys and values together. */
  static final int ENVIRONMENT_MAX_BYTES = 4096;

  private SpecValidation() {}

  /** Problems visible in the spec alone (before any AWS read). */
  public static List<String> ofSpec(LambdaIngressSpec spec) {
    List<String> problems = new ArrayList<>();
    var image = spec.getLambda().getFunction() == null ? null : spec.getLambda().getFunction().getImage();
    if (image != null && image.getUri() != null && ImageRef.fromUri(image.getUri()) == null) {
      problems.add("spec.lambda.function.image.uri: '" + image.getUri() + "' is neither pinned by digest (...@sha256:<64 hex>) "
          + "nor an ECR image with a tag (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>)");
    }
    if (Set.copyOf(spec.getAlb().getSubnets()).size() != spec.getAlb().getSubnets().size()) {
      problems.add("spec.alb.subnets: a subnet is listed twice: " + spec.getAlb().getSubnets());
    }
    var fn = spec.getLambda().getFunction();
    // Not a CEL rule: comparing with the name inside an ARN needs a string concatenation, which the API server's cost
    // estimate refuses in a rule on spec.
    AdoptedNames.Ref adoptedFunction = AdoptedNames.of(spec.getAdopt()).function();
    if (fn != null && fn.getName() != null && adoptedFunction != null && !fn.getName().equals(adoptedFunction.name())) {
      problems.add("spec.lambda.function.name: '" + fn.getName() + "' is not the adopted function (spec.adopt.function: "
          + adoptedFunction.given() + "); give its name or leave it out");
    }
    if (fn != null && fn.getEnvironment() != null) {
      // Counted as keys plus values in UTF-8, the operator's own variable included: a lower bound of what
      // Lambda counts, so nothing Lambda would take is refused here.
      Map<String, String> env = new LinkedHashMap<>(fn.getEnvironment());
      env.put(ChainModel.HEALTH_PATH_ENV, ChainModel.healthPath(spec));
      int bytes = env.entrySet().stream().mapToInt(e -> utf8Length(e.getKey()) + utf8Length(e.getValue())).sum();
      if (bytes > ENVIRONMENT_MAX_BYTES) {
        problems.add("spec.lambda.function.environment: " + bytes + " bytes of keys and values (with "
            + ChainModel.HEALTH_PATH_ENV + ") exceed Lambda's limit of 4 KB");
      }
    }
    if (spec.getNlb().getScheme() == Scheme.INTERNET_FACING
        && spec.getNlb().getSubnetMappings().stream().anyMatch(m -> m.getPrivateIPv4Address() != null)) {
      problems.add("spec.nlb.subnetMappings: privateIPv4Address is only for an internal NLB; an internet-facing NLB "
          + "gets its static IPs from Elastic IPs");
    }
    return problems;
  }

  /**
   * The role and the existing function a spec names, against the operator's allow-lists (chart values
   * allowedRoleArns and allowedFunctionArns). The IAM policy grants iam:PassRole and AddPermission on the
   * same sets; checking here first turns AWS's AccessDenied into a message naming the field and the value
   * that changes it.
   */
  public static List<String> ofAllowLists(LambdaIngressSpec spec, ArnAllowList roles, ArnAllowList functions) {
    List<String> problems = new ArrayList<>();
    var fn = spec.getLambda().getFunction();
    if (fn != null && fn.getRoleArn() != null && !roles.allows(fn.getRoleArn())) {
      problems.add("spec.lambda.function.roleArn: role " + fn.getRoleArn() + " is not one this operator may pass to Lambda "
          + "(allowed: " + roles.describe() + "); use a role that matches, or add it to the chart value allowedRoleArns "
          + "(LAMBDA_INGRESS_ALLOWED_ROLE_ARNS) and to the iam:PassRole statement of the operator's IAM policy");
    }
    String existing = spec.getLambda().getFunctionArn();
    if (existing != null && !functions.allows(existing)) {
      problems.add("spec.lambda.functionArn: function " + existing + " is not an existing function this operator may expose "
          + "(allowed: " + functions.describe() + "); add it to the chart value allowedFunctionArns "
          + "(LAMBDA_INGRESS_ALLOWED_FUNCTION_ARNS) and to the operator's IAM policy (docs/iam-policy-existing-functions.json)");
    }
    return problems;
  }

  private static int utf8Length(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Every subnet the spec names, field by field, for the EC2 read. */
  public static Map<String, String> subnetFields(LambdaIngressSpec spec) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<SubnetMapping> mappings = spec.getNlb().getSubnetMappings();
    for (int i = 0; i < mappings.size(); i++) {
      fields.putIfAbsent(mappings.get(i).getSubnetId(), "spec.nlb.subnetMappings[" + i + "].subnetId");
    }
    List<String> alb = spec.getAlb().getSubnets();
    for (int i = 0; i < alb.size(); i++) {
      fields.putIfAbsent(alb.get(i), "spec.alb.subnets[" + i + "]");
    }
    var fn = spec.getLambda().getFunction();
    if (fn != null && fn.getVpc() != null) {
      List<String> s = fn.getVpc().getSubnetIds();
      for (int i = 0; i < s.size(); i++) {
        fields.putIfAbsent(s.get(i), "spec.lambda.function.vpc.subnetIds[" + i + "]");
      }
    }
    return fields;
  }

  /** Every security group the spec names. */
  public static Set<String> securityGroups(LambdaIngressSpec spec) {
    return securityGroupFields(spec).keySet();
  }

  /** Every security group the spec names, with the first field that names it. */
  static Map<String, String> securityGroupFields(LambdaIngressSpec spec) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> alb = spec.getAlb().getSecurityGroups() == null ? List.of() : spec.getAlb().getSecurityGroups();
    for (int i = 0; i < alb.size(); i++) {
      fields.putIfAbsent(alb.get(i), "spec.alb.securityGroups[" + i + "]");
    }
    List<String> nlb = spec.getNlb().getSecurityGroups() == null ? List.of() : spec.getNlb().getSecurityGroups();
    for (int i = 0; i < nlb.size(); i++) {
      fields.putIfAbsent(nlb.get(i), "spec.nlb.securityGroups[" + i + "]");
    }
    var fn = spec.getLambda().getFunction();
    if (fn != null && fn.getVpc() != null) {
      List<String> g = fn.getVpc().getSecurityGroupIds();
      for (int i = 0; i < g.size(); i++) {
        fields.putIfAbsent(g.get(i), "spec.lambda.function.vpc.securityGroupIds[" + i + "]");
      }
    }
    return fields;
  }

  /** Problems of the network: one VPC for everything, static IPs inside their subnets, ALB zones. */
  public static List<String> ofNetwork(LambdaIngressSpec spec, Map<String, SubnetFacts> subnets, Map<String, String> securityGroupVpcs) {
    List<String> problems = new ArrayList<>();
    Map<String, String> fields = subnetFields(spec);
    String vpc = subnets.get(spec.getNlb().getSubnetMappings().get(0).getSubnetId()).vpcId();
    fields.forEach((subnet, field) -> {
      String other = subnets.get(subnet).vpcId();
      if (!vpc.equals(other)) {
        problems.add(field + ": subnet " + subnet + " is in " + other + ", but spec.nlb.subnetMappings[0] is in " + vpc
            + "; all subnets of a LambdaIngress must be in one VPC");
      }
    });
    Map<String, String> groupFields = securityGroupFields(spec);
    securityGroupVpcs.forEach((group, groupVpc) -> {
      if (!vpc.equals(groupVpc)) {
        String field = groupFields.getOrDefault(group, "spec");
        problems.add(field + ": security group " + group + " is in " + groupVpc + ", not in the subnets' VPC " + vpc);
      }
    });
    List<SubnetMapping> mappings = spec.getNlb().getSubnetMappings();
    for (int i = 0; i < mappings.size(); i++) {
      SubnetMapping m = mappings.get(i);
      if (m.getPrivateIPv4Address() != null) {
        String cidr = subnets.get(m.getSubnetId()).cidrBlock();
        if (!Ipv4Cidr.parse(cidr).contains(m.getPrivateIPv4Address())) {
          problems.add("spec.nlb.subnetMappings[" + i + "].privateIPv4Address: " + m.getPrivateIPv4Address()
              + " is outside subnet " + m.getSubnetId() + " (" + cidr + ")");
        } else if (!Ipv4Cidr.parse(cidr).usableByLoadBalancer(m.getPrivateIPv4Address())) {
          problems.add("spec.nlb.subnetMappings[" + i + "].privateIPv4Address: " + m.getPrivateIPv4Address()
              + " is one of the addresses AWS reserves in " + cidr + " (the first four and the last)");
        }
      }
    }
    // AWS takes one subnet per Availability Zone for either load balancer (moto does not check on create).
    problems.addAll(secondInAZone(mappings.stream().map(SubnetMapping::getSubnetId).toList(), "spec.nlb.subnetMappings[%d].subnetId",
        "spec.nlb.subnetMappings[%d]", "an NLB", subnets));
    Set<String> albZones = new LinkedHashSet<>();
    spec.getAlb().getSubnets().forEach(s -> albZones.add(subnets.get(s).availabilityZone()));
    if (albZones.size() < 2) {
      problems.add("spec.alb.subnets: an ALB needs subnets in at least two Availability Zones; these are all in " + albZones);
    } else {
      problems.addAll(secondInAZone(spec.getAlb().getSubnets(), "spec.alb.subnets[%d]", "spec.alb.subnets[%d]", "an ALB", subnets));
    }
    return problems;
  }

  /** Each subnet after the first of its Availability Zone, named by field. */
  private static List<String> secondInAZone(List<String> subnetIds, String field, String firstField, String what,
      Map<String, SubnetFacts> subnets) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> firstOfZone = new LinkedHashMap<>();
    for (int i = 0; i < subnetIds.size(); i++) {
      String zone = subnets.get(subnetIds.get(i)).availabilityZone();
      Integer first = firstOfZone.putIfAbsent(zone, i);
      if (first != null) {
        problems.add(String.format(field, i) + ": subnet " + subnetIds.get(i) + " is in " + zone + " like "
            + String.format(firstField, first) + "; " + what + " takes one subnet per Availability Zone");
      }
    }
    return problems;
  }
}
