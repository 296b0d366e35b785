package io.lambdaingress.operator.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What each object's deletion has already finished, kept between its attempts. An attempt that fails (a call
 * that failed beyond the SDK's retries) or waits (a target group still held by a load balancer AWS is deleting)
 * starts again from the top; without this, every attempt read again each of the ten or so names an earlier one
 * had found gone, and one failed read among them failed the attempt. Sound because nothing of a deleted object
 * is created again (JOSDK no longer reconciles it, and the chain's names are its own) — with one caveat: a stage
 * that found nothing may have read a listing that did not show yet what the object created a moment before
 * (AWS's eventual consistency), so "nothing found" is believed only once the deletion is
 * {@link #ABSENCE_BELIEVED_AFTER} old, and a target group still held makes its holder's stages run again
 * ({@link Attempt#readAgain}). Kept in memory only: after a restart the first attempt reads everything again.
 */
final class DeletionProgress {

  private record Progress(Instant began, Set<String> finished) {}

  /**
   * How long after the deletion began a stage that found nothing is believed: a listing or a read may not show a
   * resource created a moment before (AWS's eventual consistency, seconds; the test world's rule
   * eventual-consistency), and everything the object made was created before its deletion began.
   */
  static final Duration ABSENCE_BELIEVED_AFTER = Duration.ofSeconds(10);

  private final Map<String, Progress> objects = new ConcurrentHashMap<>();

  /** The progress of one object's deletion, by its uid; {@code now} is when its deletion began if this is the first attempt. */
  Attempt of(String uid, Instant now) {
    return new Attempt(uid, objects.computeIfAbsent(uid, k -> new Progress(now, ConcurrentHashMap.newKeySet())), now);
  }

  /** One attempt's view of its object's progress. */
  final class Attempt {
    private final String uid;
    private final Progress progress;
    private final Instant now;

    private Attempt(String uid, Progress progress, Instant now) {
      this.uid = uid;
      this.progress = progress;
      this.now = now;
    }

    /** When the object's first deletion attempt began: everything the object made exists by then. */
    Instant began() {
      return progress.began();
    }

    /**
     * Runs {@code stage} unless an earlier attempt finished it. The stage returns why it must be tried again
     * (null: finished, remembered once the deletion is {@link #ABSENCE_BELIEVED_AFTER} old: before, a stage that
     * found nothing may have missed what a listing did not show yet, and runs again).
     */
    String unlessFinished(String stage, Supplier<String> run) {
      if (progress.finished().contains(stage)) {
        return null;
      }
      String waiting = run.get();
      if (waiting == null && !now.isBefore(progress.began().plus(ABSENCE_BELIEVED_AFTER))) {
        progress.finished().add(stage);
      }
      return waiting;
    }

    /**
     * Forgets the finished stages whose name starts with {@code prefix}, so that the next attempt runs them again.
     * A stage that found nothing to delete counts as finished, but a listing may not show a resource created a
     * moment before (AWS's eventual consistency: the rule eventual-consistency of the test world): when a target
     * group is still in use, the load balancer holding it exists, whatever an earlier stage found.
     */
    void readAgain(String prefix) {
      progress.finished().removeIf(stage -> stage.startsWith(prefix));
    }

    /** The object's deletion is complete: nothing to keep. */
    void complete() {
      objects.remove(uid);
    }
  }
}
