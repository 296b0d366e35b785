package io.lambdaingress.operator.cache;

import java.time.Duration;
import java.time.Instant;

/** A value as read from AWS (or as our own write left it), with when: the one entry type of every cache here. */
public record Timestamped<T>(Instant at, T value) {

  /** Whether it is at most {@code age} old at {@code now}. */
  public boolean notOlderThan(Duration age, Instant now) {
    return !at.plus(age).isBefore(now);
  }
}
