package io.lambdaingress.operator;

import io.lambdaingress.operator.model.ArnAllowList;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's own settings, from its environment (the Helm chart sets them). AWS settings are not here:
 * the AWS SDK reads AWS_REGION, AWS_ENDPOINT_URL and credentials itself.
 *
 * @param clusterName goes into every AWS resource's {@code lambdaingress.io/cluster} owner tag, so that two
 *     clusters sharing an account never touch each other's resources
 * @param resyncPeriod how often every object is reconciled even without a change: the drift-repair period
 * @param namespaces the namespaces watched; empty means all
 * @param leaderElection whether replicas elect one leader through a Lease (the Deployment runs two)
 * @param leaseNamespace where the Lease lives: the operator's own namespace (POD_NAMESPACE)
 * @param httpPort the port of /metrics, /healthz and /readyz; 0 picks a free one (tests)
 * @param allowedRoleArns the execution roles a spec may name (spec.lambda.function.roleArn): the roles the
 *     IAM policy lets the operator pass to Lambda
 * @param allowedFunctionArns the existing functions a spec may name (spec.lambda.functionArn): the ones
 *     the IAM policy lets the operator add an invoke permission to
 * @param deleteOrphans whether AWS resources tagged as owned by a LambdaIngress that no longer exists are
 *     deleted (true) or only reported (false, the default: deleting is for a person to decide)
 * @param formerClusterNames names this cluster had before: resources tagged with them are this operator's
 *     own (leftovers once the new chain serves, or orphans), so a cluster name change leaves nothing behind
 */
public record OperatorSettings(String clusterName, Duration resyncPeriod, Set<String> namespaces,
    boolean leaderElection, String leaseNamespace, int httpPort, ArnAllowList allowedRoleArns,
    ArnAllowList allowedFunctionArns, boolean deleteOrphans, Set<String> formerClusterNames) {

  public static final String CLUSTER_NAME = "LAMBDA_INGRESS_CLUSTER_NAME";
  public static final String RESYNC_PERIOD = "LAMBDA_INGRESS_RESYNC_PERIOD";
  public static final String WATCH_NAMESPACES = "LAMBDA_INGRESS_WATCH_NAMESPACES";
  public static final String LEADER_ELECTION = "LAMBDA_INGRESS_LEADER_ELECTION";
  public static final String HTTP_PORT = "LAMBDA_INGRESS_HTTP_PORT";
  public static final String ALLOWED_ROLE_ARNS = "LAMBDA_INGRESS_ALLOWED_ROLE_ARNS";
  public static final String ALLOWED_FUNCTION_ARNS = "LAMBDA_INGRESS_ALLOWED_FUNCTION_ARNS";
  public static final String DELETE_ORPHANS = "LAMBDA_INGRESS_DELETE_ORPHANS";
  public static final String FORMER_CLUSTER_NAMES = "LAMBDA_INGRESS_FORMER_CLUSTER_NAMES";

  public OperatorSettings {
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException(CLUSTER_NAME + " must name this cluster (it goes into the owner tags)");
    }
    if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
      throw new IllegalArgumentException(RESYNC_PERIOD + " must be positive, got " + resyncPeriod);
    }
    namespaces = Set.copyOf(namespaces);
    if (leaderElection && (leaseNamespace == null || leaseNamespace.isBlank())) {
      throw new IllegalArgumentException(LEADER_ELECTION + " needs POD_NAMESPACE: the namespace of the Lease");
    }
    Objects.requireNonNull(allowedRoleArns, ALLOWED_ROLE_ARNS);
    Objects.requireNonNull(allowedFunctionArns, ALLOWED_FUNCTION_ARNS);
    // The current name among the former ones changes nothing: it is ours anyway.
    formerClusterNames = formerClusterNames.stream().filter(n -> !n.equals(clusterName)).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Settings for one in-process operator without leader election or a fixed port (tests, benchmarks), with
   * the default allow-lists: roles under /lambda-ingress/, no existing function.
   */
  public OperatorSettings(String clusterName, Duration resyncPeriod, Set<String> namespaces) {
    this(clusterName, resyncPeriod, namespaces, false, null, 0, ArnAllowList.parse(ArnAllowList.DEFAULT_ROLE_PATTERN),
        ArnAllowList.none(), false, Set.of());
  }

  /** The same settings with these existing functions allowed. */
  public OperatorSettings withAllowedFunctionArns(ArnAllowList functions) {
    return new OperatorSettings(clusterName, resyncPeriod, namespaces, leaderElection, leaseNamespace, httpPort, allowedRoleArns, functions,
        deleteOrphans, formerClusterNames);
  }

  /**
   * Reads the settings; {@code RESYNC_PERIOD} takes seconds ("60") or an ISO-8601 duration ("PT1M"); the
   * allow-lists take comma-separated ARN patterns with {@code *} (roles default to /lambda-ingress/, no
   * existing function by default: set to an empty string, the role list allows no role at all).
   */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    String cluster = env.getOrDefault(CLUSTER_NAME, "default");
    Duration resync = parseDuration(env.getOrDefault(RESYNC_PERIOD, "60"));
    Set<String> namespaces = commaSeparated(env.getOrDefault(WATCH_NAMESPACES, ""));
    boolean leaderElection = Boolean.parseBoolean(env.getOrDefault(LEADER_ELECTION, "false"));
    int port = Integer.parseInt(env.getOrDefault(HTTP_PORT, "8080"));
    ArnAllowList roles = ArnAllowList.parse(env.getOrDefault(ALLOWED_ROLE_ARNS, ArnAllowList.DEFAULT_ROLE_PATTERN));
    ArnAllowList functions = ArnAllowList.parse(env.getOrDefault(ALLOWED_FUNCTION_ARNS, ""));
    boolean deleteOrphans = Boolean.parseBoolean(env.getOrDefault(DELETE_ORPHANS, "false"));
    return new OperatorSettings(cluster, resync, namespaces, leaderElection, env.get("POD_NAMESPACE"), port, roles, functions,
        deleteOrphans, commaSeparated(env.getOrDefault(FORMER_CLUSTER_NAMES, "")));
  }

  /** The same settings with orphans deleted or not, and these former cluster names. */
  public OperatorSettings withOrphanHandling(boolean deleteOrphans, Set<String> formerClusterNames) {
    return new OperatorSettings(clusterName, resyncPeriod, namespaces, leaderElection, leaseNamespace, httpPort,
        allowedRoleArns, allowedFunctionArns, deleteOrphans, formerClusterNames);
  }

  /** This cluster's name and its former ones: the cluster tag values whose resources are ours. */
  public Set<String> ownedClusterNames() {
    Set<String> names = new java.util.HashSet<>(formerClusterNames);
    names.add(clusterName);
    return Set.copyOf(names);
  }

  private static Set<String> commaSeparated(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  static Duration parseDuration(String value) {
    try {
      return value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(RESYNC_PERIOD + " must be seconds or an ISO-8601 duration, got '" + value + "'", e);
    }
  }
}
