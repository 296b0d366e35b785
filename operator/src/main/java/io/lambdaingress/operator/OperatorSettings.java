package io.lambdaingress.operator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
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
 */
public record OperatorSettings(String clusterName, Duration resyncPeriod, Set<String> namespaces) {

  public static final String CLUSTER_NAME = "LAMBDA_INGRESS_CLUSTER_NAME";
  public static final String RESYNC_PERIOD = "LAMBDA_INGRESS_RESYNC_PERIOD";
  public static final String WATCH_NAMESPACES = "LAMBDA_INGRESS_WATCH_NAMESPACES";

  public OperatorSettings {
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException(CLUSTER_NAME + " must name this cluster (it goes into the owner tags)");
    }
    if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
      throw new IllegalArgumentException(RESYNC_PERIOD + " must be positive, got " + resyncPeriod);
    }
    namespaces = Set.copyOf(namespaces);
  }

  /** Reads the settings; {@code RESYNC_PERIOD} takes seconds ("60") or an ISO-8601 duration ("PT1M"). */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    String cluster = env.getOrDefault(CLUSTER_NAME, "default");
    Duration resync = parseDuration(env.getOrDefault(RESYNC_PERIOD, "60"));
    Set<String> namespaces = Arrays.stream(env.getOrDefault(WATCH_NAMESPACES, "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    return new OperatorSettings(cluster, resync, namespaces);
  }

  static Duration parseDuration(String value) {
    try {
      return value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(RESYNC_PERIOD + " must be seconds or an ISO-8601 duration, got '" + value + "'", e);
    }
  }
}
