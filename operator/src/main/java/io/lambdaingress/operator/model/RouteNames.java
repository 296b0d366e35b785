package io.lambdaingress.operator.model;

/**
 * The AWS names of one route's resources: its lambda target group, its function when the spec names none,
 * and its invoke permission's statement id. Like {@link LoadBalancerNames}, derived from cluster, namespace,
 * name and the route's name, with 8 hex characters of SHA-256 over all four (a readable part cut to fit can
 * coincide; the hash keeps routes and objects apart). The statement id keeps the "lambda-ingress-" prefix by
 * which clean-up recognises our statements. With a rollout, ELB invokes the function's alias through a group
 * of its own ({@code -rta}, as {@link LoadBalancerNames#lambdaAliasTargetGroup}): switching moves the rule.
 * Like the chain's ALB side, a route has a second set of names for the second ALB side ({@link #second()}).
 */
public record RouteNames(String targetGroup, String function, String permissionStatementId, String aliasTargetGroup) {

  public static RouteNames of(String cluster, String namespace, String name, String route) {
    String hash = LoadBalancerNames.hash(cluster + "/" + namespace + "/" + name + "#" + route);
    int tgBudget = LoadBalancerNames.ELB_NAME_MAX - "li-".length() - 1 - hash.length() - "-rtg".length();
    String readableRoute = LoadBalancerNames.sanitize(route);
    String base = "li-" + LoadBalancerNames.cut(readableRoute, tgBudget) + "-" + hash;
    int fnBudget = LoadBalancerNames.FUNCTION_NAME_MAX - "li-".length() - 1 - hash.length();
    String fn = "li-" + LoadBalancerNames.cut(LoadBalancerNames.sanitize(namespace + "-" + name + "-" + route), fnBudget) + "-" + hash;
    return new RouteNames(base + "-rtg", fn, "lambda-ingress-" + hash, base + "-rta");
  }

  /**
   * The names on the second ALB side ({@link AlbSlot}): AWS lets a target group serve one load balancer, so a
   * new ALB's rules need groups of their own while the old ALB's rules still forward to theirs, and each group
   * its own invoke permission statement (the statement names its group as source). Each group keeps its
   * length, its kind becoming {@code rg2} and {@code ra2}; the statement id gets "-2"; the function is shared.
   */
  public RouteNames second() {
    return new RouteNames(LoadBalancerNames.rekind(targetGroup, "rg2"), function, permissionStatementId + "-2",
        LoadBalancerNames.rekind(aliasTargetGroup, "ra2"));
  }
}
