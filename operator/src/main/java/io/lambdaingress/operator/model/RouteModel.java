package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressSpec;
import io.lambdaingress.operator.api.QueryStringMatch;
import io.lambdaingress.operator.api.RouteMatch;
import io.lambdaingress.operator.api.RouteSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringKeyValuePair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * One route's desired AWS state, with no I/O: its lambda target group (named by {@link RouteNames}), its
 * function (managed or existing), the invoke permission's statement id, and its listener rule's conditions
 * and tags. The rule's priority is not here: it follows the list order and is planned against what the
 * listener holds ({@link RulePriorityPlan}).
 */
public record RouteModel(String name, RouteNames names, CreateTargetGroupRequest targetGroup,
    Map<String, String> targetGroupAttributes, Optional<ChainModel.ManagedFunction> function, String existingFunctionArn,
    List<RuleCondition> conditions, Map<String, String> ruleTags) {

  /** On each of our rules besides the owner tags: which route it is (a rule's ARN says nothing about it). */
  public static final String TAG_ROUTE = "lambdaingress.io/route";

  /** The route's lambda target group: with a rollout the alias's ({@link RouteNames#aliasTargetGroup}), else the function's. */
  public CreateTargetGroupRequest targetGroup(boolean rollout) {
    return rollout ? targetGroup.toBuilder().name(names.aliasTargetGroup()).build() : targetGroup;
  }

  /**
   * The same route on this ALB side ({@link AlbSlot}): its groups and its permission statement under that
   * side's names ({@link RouteNames#second()}); function, conditions and tags are the same.
   */
  public RouteModel inSlot(AlbSlot slot) {
    if (slot == AlbSlot.FIRST) {
      return this;
    }
    RouteNames n = names.second();
    return new RouteModel(name, n, targetGroup.toBuilder().name(n.targetGroup()).build(), targetGroupAttributes, function,
        existingFunctionArn, conditions, ruleTags);
  }

  /** The object's routes in list order (the order of their priorities); empty without spec.routes. */
  public static List<RouteModel> of(LambdaIngress li, String cluster) {
    LambdaIngressSpec spec = li.getSpec();
    if (spec.getRoutes() == null) {
      return List.of();
    }
    String namespace = li.getMetadata().getNamespace();
    String name = li.getMetadata().getName();
    Map<String, String> ownerTags = Map.of(ChainModel.TAG_CLUSTER, cluster, ChainModel.TAG_NAMESPACE, namespace, ChainModel.TAG_NAME, name);
    Map<String, String> allTags = ChainModel.allTags(spec, ownerTags);
    List<Tag> elbTags = allTags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    String healthPath = ChainModel.healthPath(spec);
    List<RouteModel> routes = new ArrayList<>();
    for (RouteSpec r : spec.getRoutes()) {
      RouteNames names = RouteNames.of(cluster, namespace, name, r.getName());
      Map<String, String> ruleTags = new TreeMap<>(allTags);
      ruleTags.put(TAG_ROUTE, r.getName());
      routes.add(new RouteModel(r.getName(), names,
          CreateTargetGroupRequest.builder().name(names.targetGroup()).targetType(TargetTypeEnum.LAMBDA).tags(elbTags).build(),
          Map.of("lambda.multi_value_headers.enabled", Boolean.toString(Boolean.TRUE.equals(r.getMultiValueHeaders()))),
          Optional.ofNullable(r.getLambda().getFunction()).map(f -> ChainModel.managedFunction(f, names.function(), healthPath, allTags)),
          r.getLambda().getFunctionArn(), conditions(r.getMatch()), Map.copyOf(ruleTags)));
    }
    return List.copyOf(routes);
  }

  /** ALB conditions of a match: one per kind, one per header (each header is its own http-header condition). */
  public static List<RuleCondition> conditions(RouteMatch m) {
    List<RuleCondition> c = new ArrayList<>();
    if (m.getPathPatterns() != null) {
      c.add(RuleCondition.builder().field("path-pattern").pathPatternConfig(p -> p.values(m.getPathPatterns())).build());
    }
    if (m.getHosts() != null) {
      c.add(RuleCondition.builder().field("host-header").hostHeaderConfig(h -> h.values(m.getHosts())).build());
    }
    if (m.getMethods() != null) {
      c.add(RuleCondition.builder().field("http-request-method").httpRequestMethodConfig(h -> h.values(m.getMethods())).build());
    }
    if (m.getHeaders() != null) {
      new TreeMap<>(m.getHeaders()).forEach((k, v) ->
          c.add(RuleCondition.builder().field("http-header").httpHeaderConfig(h -> h.httpHeaderName(k).values(v)).build()));
    }
    if (m.getQueryStrings() != null) {
      List<QueryStringKeyValuePair> pairs = m.getQueryStrings().stream()
          .map((QueryStringMatch q) -> QueryStringKeyValuePair.builder().key(q.getKey()).value(q.getValue()).build()).toList();
      c.add(RuleCondition.builder().field("query-string").queryStringConfig(q -> q.values(pairs)).build());
    }
    return List.copyOf(c);
  }

  /**
   * Conditions as comparable text, whichever form AWS reports them in (the typed config, or the legacy
   * Values that AWS fills in beside it for host-header and path-pattern): how drift is recognised.
   */
  public static TreeSet<String> canonical(List<RuleCondition> conditions) {
    TreeSet<String> out = new TreeSet<>();
    for (RuleCondition c : conditions) {
      String field = c.field();
      List<String> values = switch (field == null ? "" : field) {
        case "path-pattern" -> c.pathPatternConfig() != null && c.pathPatternConfig().hasValues() ? c.pathPatternConfig().values() : c.values();
        case "host-header" -> c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues() ? c.hostHeaderConfig().values() : c.values();
        case "http-request-method" -> c.httpRequestMethodConfig() == null ? List.of() : c.httpRequestMethodConfig().values();
        case "http-header" -> c.httpHeaderConfig() == null ? List.of()
            : c.httpHeaderConfig().values().stream().map(v -> c.httpHeaderConfig().httpHeaderName().toLowerCase(java.util.Locale.ROOT) + "=" + v).toList();
        case "query-string" -> c.queryStringConfig() == null ? List.of()
            : c.queryStringConfig().values().stream().map(q -> (q.key() == null ? "" : q.key()) + "=" + q.value()).toList();
        default -> c.values();
      };
      out.add(field + ":" + new TreeSet<>(values == null ? List.of() : values));
    }
    return out;
  }
}
