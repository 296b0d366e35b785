package io.lambdaingress.operator.cache;

import java.time.Duration;

/**
 * How old a shared read (the ELB listing, tags, listeners, attributes, ECR digests) may be before it is read
 * again: the one window every cache of a resync keeps.
 *
 * <p>An out-of-band change is seen by the first reconcile that reads after it. Each object is reconciled once
 * per resync period, so with reads at most this old, a change is repaired at most one period plus this age
 * after it was made. A read is therefore kept only for a short window: the objects whose periodic reconciles
 * fall together (a resync wave: all objects after a start, every object applied together) share one bulk
 * read, and no object acts on facts older than that window.
 */
public final class SharedReadAge {

  // The longest window a resync wave may share one read in.
  private static final Duration WAVE = Duration.ofSeconds(5);
  private static final Duration WAVE_WITH_EVENTS = Duration.ofSeconds(60);

  private SharedReadAge() {}

  /**
   * With this resync period: a quarter of the period, at most 5 seconds (long enough for a resync wave of
   * many objects to share one read, short enough that drift is repaired within one period plus a few
   * seconds; never more than one period).
   */
  public static Duration forResync(Duration resyncPeriod) {
    Duration quarter = resyncPeriod.dividedBy(4);
    return quarter.compareTo(WAVE) < 0 ? quarter : WAVE;
  }

  /**
   * With the event queue: the full verifications of the objects spread out over their k-period interval
   * instead of coming in one wave, so a 5-second window would share nothing. Changes announced by an event
   * drop the reads of what they name (the reconcile they trigger reads afresh); only a lost event's change
   * waits, for the next full verification instead of this one. A quarter of the interval, at most 60 s
   * (bench-scale --queue 500: with 30 s, DescribeTags and DescribeListeners were a fifth of all reads).
   */
  public static Duration withEvents(Duration verificationInterval) {
    Duration quarter = verificationInterval.dividedBy(4);
    return quarter.compareTo(WAVE_WITH_EVENTS) < 0 ? quarter : WAVE_WITH_EVENTS;
  }
}
