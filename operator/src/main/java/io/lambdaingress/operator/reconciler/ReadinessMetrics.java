package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.lambdaingress.operator.api.LambdaIngress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Objects not Ready on /metrics, read at each scrape from the controller's cache of the objects (no API call):
 * {@code lambdaingress_objects_not_ready} (how many have Ready other than True, or none yet) and
 * {@code lambdaingress_objects_not_ready_longest_seconds} (how long the one not Ready the longest has been so: since its
 * Ready condition's lastTransitionTime, which moves only when Ready flips, or its creation). Two series whatever the
 * number of objects; an alert on the second is "an object not Ready for N minutes". A standby's cache is empty: zeros.
 */
public final class ReadinessMetrics {

  private ReadinessMetrics() {}

  /** What one scrape reads from the objects. */
  record Reading(int notReady, long longestSeconds) {

    static Reading of(List<LambdaIngress> objects, Instant now) {
      int count = 0;
      long longest = 0;
      for (LambdaIngress li : objects) {
        Condition ready = ReadyCondition.of(li.getStatus()).orElse(null);
        if (ready != null && "True".equals(ready.getStatus())) {
          continue;
        }
        count++;
        Instant since = parse(ready == null ? null : ready.getLastTransitionTime());
        if (since == null) {
          since = parse(li.getMetadata().getCreationTimestamp());
        }
        if (since != null) {
          longest = Math.max(longest, Math.max(0, Duration.between(since, now).toSeconds()));
        }
      }
      return new Reading(count, longest);
    }

    private static Instant parse(String time) {
      try {
        return time == null ? null : Instant.parse(time);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /** @param objects the controller's cached objects now (empty before the controller started) */
  public static void register(MeterRegistry registry, Supplier<List<LambdaIngress>> objects, Clock clock) {
    Gauge.builder("lambdaingress.objects.not.ready", () -> Reading.of(objects.get(), clock.instant()).notReady())
        .description("LambdaIngress objects whose Ready condition is not True (or not set yet)").register(registry);
    Gauge.builder("lambdaingress.objects.not.ready.longest.seconds", () -> Reading.of(objects.get(), clock.instant()).longestSeconds())
        .description("How long the object not Ready the longest has been so, in seconds (0 when every object is Ready)")
        .register(registry);
  }
}
