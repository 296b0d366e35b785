package io.lambdaingress.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaingress.operator.kinds.AliasStep;
import io.lambdaingress.operator.model.LoadBalancerNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Test-side read of everything AWS holds for one LambdaIngress, looked up three ways so that nothing can
 * hide: by the names the model derives (a duplicate shares the name), by the owner tags anywhere in the
 * account (a duplicate under another name), and by the object's VPC (an untagged load balancer or target
 * group there can only be a create whose tags were lost). Read straight from the world's AWS endpoint.
 */
public final class OwnedChain {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoadBalancerNames names;
  private final Map<String, String> owner;
  private final List<LoadBalancer> loadBalancers = new ArrayList<>();
  private final List<TargetGroup> targetGroups = new ArrayList<>();
  private final Map<String, Map<String, String>> tags = new HashMap<>();
  private final Map<String, Integer> listeners = new HashMap<>();
  private final Map<String, Integer> targets = new HashMap<>();
  private final List<String> ownedByTags;
  private final String functionName;
  private final Optional<GetFunctionResponse> function;
  private final List<JsonNode> statements = new ArrayList<>();

  private OwnedChain(LoadBalancerNames names, Map<String, String> owner, List<String> ownedByTags, String functionName,
      Optional<GetFunctionResponse> function) {
    this.names = names;
    this.owner = owner;
    this.ownedByTags = ownedByTags;
    this.functionName = functionName;
    this.function = function;
  }

  /**
   * Reads it all now; {@code vpcId} is the VPC of the object's subnets, or null when other objects share
   * it (then only names and owner tags are looked at; the caller checks the VPC for untagged pieces).
   */
  public static OwnedChain read(ElasticLoadBalancingV2Client elb, LambdaClient lambda, String cluster, String namespace,
      String name, String functionName, String vpcId) {
    // The account is shared with other tests: a resource listed a moment ago may be gone when its tags are
    // read. That is someone else's deletion, not ours: read again.
    for (int attempt = 1; ; attempt++) {
      try {
        return read(elb, lambda, cluster, namespace, name, functionName, vpcId, AwsInventory.Snapshot.read(elb));
      } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
        if (e.statusCode() != 404 && !String.valueOf(e.awsErrorDetails().errorCode()).endsWith("NotFound") || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** The same against a snapshot of the account taken once for many objects (nothing is deleted meanwhile). */
  public static OwnedChain read(ElasticLoadBalancingV2Client elb, LambdaClient lambda, String cluster, String namespace,
      String name, String functionName, String vpcId, AwsInventory.Snapshot account) {
    LoadBalancerNames names = LoadBalancerNames.of(cluster, namespace, name);
    Map<String, String> owner = Map.of("lambdaingress.io/cluster", cluster, "lambdaingress.io/namespace", namespace,
        "lambdaingress.io/name", name);
    Optional<GetFunctionResponse> fn;
    try {
      fn = Optional.of(lambda.getFunction(r -> r.functionName(functionName)));
    } catch (ResourceNotFoundException e) {
      fn = Optional.empty();
    }
    OwnedChain c = new OwnedChain(names, owner, account.ownedBy(cluster, namespace, name), functionName, fn);
    account.loadBalancers().stream()
        .filter(lb -> (vpcId != null && vpcId.equals(lb.vpcId())) || lb.loadBalancerName().equals(names.nlb()) || lb.loadBalancerName().equals(names.alb()))
        .forEach(c.loadBalancers::add);
    account.targetGroups().stream()
        .filter(tg -> (vpcId != null && vpcId.equals(tg.vpcId())) || tg.targetGroupName().equals(names.albTargetGroup())
            || tg.targetGroupName().equals(names.lambdaTargetGroup()) || tg.targetGroupName().equals(names.albHttpsTargetGroup())
            || tg.targetGroupName().equals(names.lambdaAliasTargetGroup()))
        .forEach(c.targetGroups::add);
    for (LoadBalancer lb : c.loadBalancers) {
      c.tags.put(lb.loadBalancerArn(), account.tags().getOrDefault(lb.loadBalancerArn(), Map.of()));
      c.listeners.put(lb.loadBalancerArn(), elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().size());
    }
    for (TargetGroup tg : c.targetGroups) {
      c.tags.put(tg.targetGroupArn(), account.tags().getOrDefault(tg.targetGroupArn(), Map.of()));
      c.targets.put(tg.targetGroupArn(), elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions().size());
    }
    if (fn.isPresent()) {
      // The function's own policy, and its alias's: with a rollout the ALB invokes the alias, and the permission is the
      // alias's (a policy of its own in Lambda).
      c.readStatements(lambda, null);
      c.readStatements(lambda, AliasStep.ALIAS);
    }
    return c;
  }

  private void readStatements(LambdaClient lambda, String qualifier) {
    try {
      String policy = lambda.getPolicy(r -> r.functionName(functionName).qualifier(qualifier)).policy();
      JSON.readTree(policy).path("Statement").forEach(statements::add);
    } catch (ResourceNotFoundException e) {
      // no policy (or no alias) at all: reported by problems() as a missing permission where one is wanted
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * What is wrong with a converged chain: anything but exactly one NLB, ALB, alb and lambda target group
   * (by name, and in the VPC), one listener per load balancer, one target per group, one function and
   * one permission statement from the lambda target group; anything of it without the owner tags; and
   * anything else in the account carrying them. Empty when the chain is exactly right.
   */
  public List<String> problems() {
    return problems(false);
  }

  /**
   * The same for a chain with spec.alb.https ({@code https}): a second alb target group (the HTTPS port's) and two
   * listeners on each load balancer (the HTTPS one beside the HTTP one on the ALB, the HTTPS port's TCP one on the NLB).
   */
  public List<String> problems(boolean https) {
    return problems(https, false);
  }

  /**
   * The same for a chain whose ALB invokes the function's alias ({@code servedByAlias}: spec.lambda.rollout): its lambda
   * target group is the alias's ({@code lta}) instead of the function's ({@code ltg}), and the one permission statement,
   * from that group, is on the alias.
   */
  public List<String> problems(boolean https, boolean servedByAlias) {
    List<String> problems = new ArrayList<>();
    exactlyOneLoadBalancer(names.nlb(), problems);
    exactlyOneLoadBalancer(names.alb(), problems);
    String lambdaGroup = servedByAlias ? names.lambdaAliasTargetGroup() : names.lambdaTargetGroup();
    List<String> groups = https ? List.of(names.albTargetGroup(), names.albHttpsTargetGroup(), lambdaGroup)
        : List.of(names.albTargetGroup(), lambdaGroup);
    groups.forEach(g -> exactlyOneTargetGroup(g, problems));
    loadBalancers.stream().filter(lb -> !names.nlb().equals(lb.loadBalancerName()) && !names.alb().equals(lb.loadBalancerName()))
        .forEach(lb -> problems.add("load balancer " + lb.loadBalancerName() + " in the object's VPC is not one of its two"));
    targetGroups.stream().filter(tg -> !groups.contains(tg.targetGroupName()))
        .forEach(tg -> problems.add("target group " + tg.targetGroupName() + " in the object's VPC is not one of its " + groups.size()));
    tags.forEach((arn, t) -> {
      if (!owned(t)) {
        problems.add("untagged: " + arn + " has tags " + t);
      }
    });
    int listenersEach = https ? 2 : 1;
    listeners.forEach((arn, n) -> {
      if (n != listenersEach) {
        problems.add(n + " listeners on " + arn + " (want " + listenersEach + ")");
      }
    });
    targets.forEach((arn, n) -> {
      if (n != 1) {
        problems.add(n + " targets in " + arn + " (want 1)");
      }
    });
    if (function.isEmpty()) {
      problems.add("function " + functionName + " is missing");
    } else {
      if (!owned(function.get().tags() == null ? Map.of() : function.get().tags())) {
        problems.add("untagged: function " + functionName + " has tags " + function.get().tags());
      }
      String lambdaTargetGroup = targetGroups.stream().filter(tg -> tg.targetGroupName().equals(lambdaGroup))
          .map(TargetGroup::targetGroupArn).findFirst().orElse(null);
      List<String> sources = statements.stream().map(s -> s.path("Condition").path("ArnLike").path("AWS:SourceArn").asText()).toList();
      if (statements.size() != 1 || !Objects.equals(sources.get(0), lambdaTargetGroup)) {
        problems.add("permission statements of " + functionName + " from " + sources + " (want exactly one, from " + lambdaTargetGroup + ")");
      }
    }
    int owned = groups.size() + 3;
    if (ownedByTags.size() != owned) {
      problems.add(ownedByTags.size() + " resources carry the owner tags (want " + owned + ": NLB, ALB, " + groups.size()
          + " target groups, function): " + ownedByTags);
    }
    return problems;
  }

  /**
   * What is left after deletion, one entry per resource (by ARN): anything with the owner tags or the
   * derived names, the function, and its permission statements.
   */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>(ownedByTags);
    loadBalancers.forEach(lb -> left.add(lb.loadBalancerArn()));
    targetGroups.forEach(tg -> left.add(tg.targetGroupArn()));
    function.ifPresent(f -> left.add(f.configuration().functionArn()));
    statements.forEach(s -> left.add("permission " + s.path("Sid").asText() + " on " + functionName));
    return left.stream().distinct().toList();
  }

  public Optional<LoadBalancer> loadBalancer(String name) {
    return loadBalancers.stream().filter(lb -> lb.loadBalancerName().equals(name)).findFirst();
  }

  public Optional<TargetGroup> targetGroup(String name) {
    return targetGroups.stream().filter(tg -> tg.targetGroupName().equals(name)).findFirst();
  }

  public Map<String, String> tagsOf(String arn) {
    return tags.getOrDefault(arn, Map.of());
  }

  public Optional<GetFunctionResponse> function() {
    return function;
  }

  public LoadBalancerNames names() {
    return names;
  }

  private boolean owned(Map<String, String> t) {
    return owner.entrySet().stream().allMatch(e -> e.getValue().equals(t.get(e.getKey())));
  }

  private void exactlyOneLoadBalancer(String name, List<String> problems) {
    long n = loadBalancers.stream().filter(lb -> lb.loadBalancerName().equals(name)).count();
    if (n != 1) {
      problems.add(n + " load balancers named " + name + " (want 1)");
    }
  }

  private void exactlyOneTargetGroup(String name, List<String> problems) {
    long n = targetGroups.stream().filter(tg -> tg.targetGroupName().equals(name)).count();
    if (n != 1) {
      problems.add(n + " target groups named " + name + " (want 1)");
    }
  }
}
