package io.lambdaingress.operator.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The attributes of load balancers and target groups, by ARN, as {@link ElbInventory} keeps them: one read
 * per resource (AWS has no batch call for them), kept for {@code maxAge}; our own changes are merged in,
 * keeping the read time.
 */
final class AttributeReads {

  private final Duration maxAge;
  private final Clock clock;
  private final Map<String, Timestamped<Map<String, String>>> byArn = new ConcurrentHashMap<>();

  AttributeReads(Duration maxAge, Clock clock) {
    this.maxAge = maxAge;
    this.clock = clock;
  }

  /** The resource's attributes: kept ones while fresh, else {@code read} now. */
  Map<String, String> of(String arn, Function<String, Map<String, String>> read) {
    return byArn.compute(arn, (k, c) -> c != null && c.notOlderThan(maxAge, clock.instant()) ? c
        : new Timestamped<>(clock.instant(), Map.copyOf(read.apply(arn)))).value();
  }

  /** After we changed some: merged into what was read, if anything was. */
  void remember(String arn, Map<String, String> changes) {
    byArn.computeIfPresent(arn, (k, c) -> {
      Map<String, String> merged = new HashMap<>(c.value());
      merged.putAll(changes);
      return new Timestamped<>(c.at(), Map.copyOf(merged));
    });
  }

  /** The resource is gone. */
  void forget(String arn) {
    byArn.remove(arn);
  }
}
