package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.RolloutStatus;
import io.lambdaingress.operator.api.RolloutStep;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The canary rollout as a state machine: given what the status says, the digest the tag points at now, the
 * time, and which of the rollout's alarms are in ALARM, what the alias must serve and what the status says
 * next. No I/O and no clock of its own: the reconciler reads AWS, calls {@link #next}, and writes. Everything
 * that must survive a restart is in {@link State}, which lives in the object's status.
 *
 * <ul>
 *   <li>First digest (no stable version yet): it becomes the stable version at once (nothing to compare with).
 *   <li>A new digest: step 1's weight, for step 1's pause; then each next step; after the last pause, 100 %.
 *   <li>Any alarm in ALARM while a canary takes traffic: everything back to the stable version, Aborted.
 *   <li>A newer digest while a canary takes traffic: the rollout starts again from step 1 with the newest.
 *   <li>The tag moved back to the stable digest mid-rollout: the canary is dropped, Succeeded on the stable.
 *   <li>An aborted digest is not rolled out again while the tag points at it, unless the retry annotation's
 *       value differs from the one recorded at the abort.
 * </ul>
 */
public final class RolloutMachine {

  public static final String PROGRESSING = "Progressing";
  public static final String SUCCEEDED = "Succeeded";
  public static final String ABORTED = "Aborted";

  /** What a run did, for Events, logs and metrics. */
  public enum Change { NONE, INITIAL, STARTED, STEPPED, PROMOTED, ABORTED, RESTARTED, CANCELLED }

  /**
   * Where the rollout is; versions are filled in by the reconciler once published (null: not yet).
   *
   * @param step the step under way, from 1; 0 when no canary takes traffic
   */
  public record State(String result, String stableDigest, String stableVersion, String canaryDigest, String canaryVersion,
      int step, int weight, Instant startedAt, Instant nextStepAt, String abortedDigest, String abortedBy, String retryToken) {

    static final State NONE = new State(null, null, null, null, null, 0, 0, null, null, null, null, null);

    public boolean progressing() {
      return PROGRESSING.equals(result) && canaryDigest != null;
    }

    public State withVersions(String stable, String canary) {
      return new State(result, stableDigest, stable, canaryDigest, canary, step, weight, startedAt, nextStepAt, abortedDigest,
          abortedBy, retryToken);
    }

    public static State of(RolloutStatus s) {
      if (s == null) {
        return NONE;
      }
      return new State(s.getResult(), s.getStableDigest(), s.getStableVersion(), s.getCanaryDigest(), s.getCanaryVersion(),
          s.getStep() == null ? 0 : s.getStep(), s.getWeight() == null ? 0 : s.getWeight(), instant(s.getStartedAt()),
          instant(s.getNextStepAt()), s.getAbortedDigest(), s.getAbortedBy(), s.getRetryToken());
    }

    public RolloutStatus toStatus() {
      RolloutStatus s = new RolloutStatus();
      s.setResult(result);
      s.setStableDigest(stableDigest);
      s.setStableVersion(stableVersion);
      s.setCanaryDigest(canaryDigest);
      s.setCanaryVersion(canaryVersion);
      s.setStep(step);
      s.setWeight(weight);
      s.setStartedAt(startedAt == null ? null : startedAt.toString());
      s.setNextStepAt(nextStepAt == null ? null : nextStepAt.toString());
      s.setAbortedDigest(abortedDigest);
      s.setAbortedBy(abortedBy);
      s.setRetryToken(retryToken);
      return s;
    }

    private static Instant instant(String s) {
      return s == null ? null : Instant.parse(s);
    }
  }

  /**
   * What the alias serves: {@code primaryDigest}'s version, and {@code weight} % to {@code canaryDigest}'s
   * (null and 0 when the primary takes everything).
   */
  public record Traffic(String primaryDigest, String canaryDigest, int weight) {}

  /** The next state, what the alias must serve, what changed, and when to look again (null: no deadline). */
  public record Decision(State next, Traffic traffic, Change change, Instant wakeAt) {}

  private RolloutMachine() {}

  /**
   * @param steps the spec's steps (weights increasing, the CRD checks)
   * @param digest the digest the tag points at now
   * @param alarming the rollout's alarms that are in ALARM now
   * @param retryToken the value of the retry annotation now (null when absent)
   */
  public static Decision next(State s, List<RolloutStep> steps, String digest, Instant now, Set<String> alarming, String retryToken) {
    Objects.requireNonNull(digest, "digest");
    if (s.stableDigest() == null) {
      return steady(new State(SUCCEEDED, digest, null, null, null, 0, 0, null, null, null, null, null), Change.INITIAL);
    }
    if (s.progressing()) {
      if (!alarming.isEmpty()) {
        String alarm = new TreeSet<>(alarming).first();
        return steady(new State(ABORTED, s.stableDigest(), s.stableVersion(), null, null, 0, 0, null, null, s.canaryDigest(), alarm,
            retryToken), Change.ABORTED);
      }
      if (digest.equals(s.stableDigest())) {
        return steady(settled(s, SUCCEEDED), Change.CANCELLED);
      }
      if (!digest.equals(s.canaryDigest())) {
        return start(s, steps, digest, now, Change.RESTARTED);
      }
      if (s.nextStepAt() != null && now.isBefore(s.nextStepAt())) {
        return new Decision(s, traffic(s), Change.NONE, s.nextStepAt());
      }
      if (s.step() >= steps.size()) {
        // The last pause is over: the canary becomes the stable version.
        return steady(new State(SUCCEEDED, s.canaryDigest(), s.canaryVersion(), null, null, 0, 0, null, null, null, null, null),
            Change.PROMOTED);
      }
      RolloutStep step = steps.get(s.step());
      State stepped = new State(PROGRESSING, s.stableDigest(), s.stableVersion(), s.canaryDigest(), s.canaryVersion(), s.step() + 1,
          step.getWeight(), s.startedAt(), now.plusSeconds(step.getPauseSeconds()), null, null, null);
      return new Decision(stepped, traffic(stepped), Change.STEPPED, stepped.nextStepAt());
    }
    if (digest.equals(s.stableDigest())) {
      return steady(s, Change.NONE);
    }
    if (digest.equals(s.abortedDigest()) && Objects.equals(retryToken, s.retryToken())) {
      return steady(s, Change.NONE);
    }
    return start(s, steps, digest, now, Change.STARTED);
  }

  private static Decision start(State s, List<RolloutStep> steps, String digest, Instant now, Change change) {
    RolloutStep first = steps.get(0);
    State started = new State(PROGRESSING, s.stableDigest(), s.stableVersion(), digest, null, 1, first.getWeight(), now,
        now.plusSeconds(first.getPauseSeconds()), null, null, null);
    return new Decision(started, traffic(started), change, started.nextStepAt());
  }

  private static State settled(State s, String result) {
    return new State(result, s.stableDigest(), s.stableVersion(), null, null, 0, 0, null, null, s.abortedDigest(), s.abortedBy(),
        s.retryToken());
  }

  private static Decision steady(State s, Change change) {
    return new Decision(s, traffic(s), change, null);
  }

  private static Traffic traffic(State s) {
    return s.progressing() ? new Traffic(s.stableDigest(), s.canaryDigest(), s.weight()) : new Traffic(s.stableDigest(), null, 0);
  }
}
