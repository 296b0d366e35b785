package io.lambdaingress.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * How soon a deletion is tried again after AWS refused one of its calls with a reason that heals by itself
 * (throttling, AWS's own 5xx, a resource still in use). JOSDK's retry, shared with reconcile, backs off to
 * two minutes; for a deletion that left the last objects of a large delete waiting minutes for nothing (N = 500
 * under 20 % throttling: 27 objects still being deleted after 20 minutes, docs/scale.md). A deletion resumes
 * where it stopped (what AWS deleted stays deleted), so a failed attempt loses nothing: it is tried again after
 * 2, 4, 8, 16, then every 30 s, each spread by ±25 % so that objects that failed together do not all come back in
 * the same second. A refusal that needs a person (access denied, a bad reference) keeps JOSDK's backoff.
 */
final class DeletionPace {

  static final Duration FIRST = Duration.ofSeconds(2);
  static final Duration CEILING = Duration.ofSeconds(30);
  private static final double SPREAD = 0.25;

  private final Map<ResourceID, Integer> failedAttempts = new ConcurrentHashMap<>();
  private final DoubleSupplier random;

  DeletionPace() {
    this(Math::random);
  }

  DeletionPace(DoubleSupplier random) {
    this.random = random;
  }

  /** One more failed attempt of this object's deletion: how many so far, this one included. */
  int failed(ResourceID object) {
    return failedAttempts.merge(object, 1, Integer::sum);
  }

  /** The object is gone, or its deletion went through without a refusal: the count starts again. */
  void succeeded(ResourceID object) {
    failedAttempts.remove(object);
  }

  /** The wait before attempt {@code failedSoFar + 1}. */
  Duration after(int failedSoFar) {
    long base = FIRST.toMillis() << Math.min(Math.max(failedSoFar - 1, 0), 10);
    long capped = Math.min(base, CEILING.toMillis());
    double factor = 1 - SPREAD + 2 * SPREAD * random.getAsDouble();
    return Duration.ofMillis(Math.round(capped * factor));
  }
}
