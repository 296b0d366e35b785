package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.api.RolloutStep;
import io.lambdaingress.operator.model.RolloutMachine.Change;
import io.lambdaingress.operator.model.RolloutMachine.Decision;
import io.lambdaingress.operator.model.RolloutMachine.State;
import io.lambdaingress.operator.model.RolloutMachine.Traffic;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutMachineTest {

  private static final List<RolloutStep> STEPS = List.of(new RolloutStep(10, 300), new RolloutStep(50, 600));
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  private static final String A = "sha256:aaaa";
  private static final String B = "sha256:bbbb";
  private static final String C = "sha256:cccc";

  private static Decision next(State s, String digest, Instant now) {
    return RolloutMachine.next(s, STEPS, digest, now, Set.of(), null);
  }

  /** A stable on A, with the versions the reconciler would have published. */
  private static State stableOnA() {
    return next(State.NONE, A, T0).next().withVersions("1", null);
  }

  @Test
  void theFirstDigestIsStableAtOnce() {
    Decision d = next(State.NONE, A, T0);
    assertThat(d.change()).isEqualTo(Change.INITIAL);
    assertThat(d.next().result()).isEqualTo(RolloutMachine.SUCCEEDED);
    assertThat(d.traffic()).isEqualTo(new Traffic(A, null, 0));
    assertThat(d.wakeAt()).isNull();
  }

  @Test
  void theSameDigestChangesNothing() {
    State s = stableOnA();
    Decision d = next(s, A, T0.plusSeconds(9999));
    assertThat(d.change()).isEqualTo(Change.NONE);
    assertThat(d.next()).isEqualTo(s);
  }

  @Test
  void aNewDigestGoesThroughEveryStepThenTakesEverything() {
    Decision started = next(stableOnA(), B, T0);
    assertThat(started.change()).isEqualTo(Change.STARTED);
    assertThat(started.traffic()).isEqualTo(new Traffic(A, B, 10));
    assertThat(started.next().step()).isEqualTo(1);
    assertThat(started.next().startedAt()).isEqualTo(T0);
    assertThat(started.wakeAt()).isEqualTo(T0.plusSeconds(300));
    State s = started.next().withVersions("1", "2");

    Decision early = next(s, B, T0.plusSeconds(299));
    assertThat(early.change()).isEqualTo(Change.NONE);
    assertThat(early.traffic()).isEqualTo(new Traffic(A, B, 10));
    assertThat(early.wakeAt()).isEqualTo(T0.plusSeconds(300));

    Decision second = next(s, B, T0.plusSeconds(301));
    assertThat(second.change()).isEqualTo(Change.STEPPED);
    assertThat(second.traffic()).isEqualTo(new Traffic(A, B, 50));
    assertThat(second.next().step()).isEqualTo(2);
    assertThat(second.next().canaryVersion()).isEqualTo("2");
    assertThat(second.next().startedAt()).isEqualTo(T0);
    // The pause counts from when the step was taken, not from when it was due.
    assertThat(second.wakeAt()).isEqualTo(T0.plusSeconds(901));

    Decision promoted = next(second.next(), B, T0.plusSeconds(901));
    assertThat(promoted.change()).isEqualTo(Change.PROMOTED);
    assertThat(promoted.traffic()).isEqualTo(new Traffic(B, null, 0));
    assertThat(promoted.next().stableVersion()).isEqualTo("2");
    assertThat(promoted.next().result()).isEqualTo(RolloutMachine.SUCCEEDED);
    assertThat(promoted.next().step()).isZero();
    assertThat(promoted.wakeAt()).isNull();
  }

  @Test
  void anAlarmSendsEverythingBackAndTheBadDigestStays() {
    State s = next(stableOnA(), B, T0).next().withVersions("1", "2");
    Decision aborted = RolloutMachine.next(s, STEPS, B, T0.plusSeconds(10), Set.of("orders-latency", "orders-5xx"), null);
    assertThat(aborted.change()).isEqualTo(Change.ABORTED);
    assertThat(aborted.traffic()).isEqualTo(new Traffic(A, null, 0));
    assertThat(aborted.next().result()).isEqualTo(RolloutMachine.ABORTED);
    assertThat(aborted.next().abortedDigest()).isEqualTo(B);
    assertThat(aborted.next().abortedBy()).as("the first by name: stable across runs").isEqualTo("orders-5xx");
    assertThat(aborted.next().stableVersion()).isEqualTo("1");
    assertThat(aborted.next().canaryVersion()).isNull();

    // The alarm clears, the tag still says B: not retried.
    Decision later = next(aborted.next(), B, T0.plusSeconds(5000));
    assertThat(later.change()).isEqualTo(Change.NONE);
    assertThat(later.next().result()).isEqualTo(RolloutMachine.ABORTED);
    assertThat(later.traffic()).isEqualTo(new Traffic(A, null, 0));
  }

  @Test
  void anAbortedDigestIsRetriedWhenTheAnnotationChanges() {
    State s = next(stableOnA(), B, T0).next();
    State aborted = RolloutMachine.next(s, STEPS, B, T0, Set.of("x"), "1").next();
    assertThat(aborted.retryToken()).isEqualTo("1");
    assertThat(RolloutMachine.next(aborted, STEPS, B, T0, Set.of(), "1").change()).isEqualTo(Change.NONE);
    Decision retried = RolloutMachine.next(aborted, STEPS, B, T0.plusSeconds(1), Set.of(), "2");
    assertThat(retried.change()).isEqualTo(Change.STARTED);
    assertThat(retried.traffic()).isEqualTo(new Traffic(A, B, 10));
    assertThat(retried.next().abortedDigest()).isNull();
    // Aborted again with the same annotation: it stays aborted (no loop of retries).
    State again = RolloutMachine.next(retried.next(), STEPS, B, T0.plusSeconds(2), Set.of("x"), "2").next();
    assertThat(RolloutMachine.next(again, STEPS, B, T0.plusSeconds(3), Set.of(), "2").change()).isEqualTo(Change.NONE);
  }

  @Test
  void anAbortedDigestIsLeftBehindWhenTheTagMoves() {
    State aborted = RolloutMachine.next(next(stableOnA(), B, T0).next(), STEPS, B, T0, Set.of("x"), null).next();
    Decision d = next(aborted, C, T0.plusSeconds(1));
    assertThat(d.change()).isEqualTo(Change.STARTED);
    assertThat(d.traffic()).isEqualTo(new Traffic(A, C, 10));
    assertThat(d.next().abortedDigest()).isNull();
  }

  @Test
  void alarmsOutsideARolloutChangeNothing() {
    State s = stableOnA();
    assertThat(RolloutMachine.next(s, STEPS, A, T0, Set.of("x"), null).change()).isEqualTo(Change.NONE);
  }

  @Test
  void aNewerDigestMidRolloutStartsAgainFromStepOneWithTheNewest() {
    State atStep2 = next(next(stableOnA(), B, T0).next().withVersions("1", "2"), B, T0.plusSeconds(300)).next();
    assertThat(atStep2.step()).isEqualTo(2);
    Decision d = next(atStep2, C, T0.plusSeconds(400));
    assertThat(d.change()).isEqualTo(Change.RESTARTED);
    assertThat(d.traffic()).isEqualTo(new Traffic(A, C, 10));
    assertThat(d.next().step()).isEqualTo(1);
    assertThat(d.next().canaryVersion()).as("C's version is not published yet").isNull();
    assertThat(d.next().stableVersion()).isEqualTo("1");
    assertThat(d.next().startedAt()).isEqualTo(T0.plusSeconds(400));
    assertThat(d.wakeAt()).isEqualTo(T0.plusSeconds(700));
  }

  @Test
  void theTagMovingBackToTheStableDigestDropsTheCanary() {
    State s = next(stableOnA(), B, T0).next();
    Decision d = next(s, A, T0.plusSeconds(5));
    assertThat(d.change()).isEqualTo(Change.CANCELLED);
    assertThat(d.traffic()).isEqualTo(new Traffic(A, null, 0));
    assertThat(d.next().result()).isEqualTo(RolloutMachine.SUCCEEDED);
  }

  @Test
  void aRestartResumesFromTheStatusAlone() {
    State s = next(next(stableOnA(), B, T0).next().withVersions("1", "2"), B, T0.plusSeconds(300)).next();
    // What a new operator reads back from the object's status.
    State reread = State.of(s.toStatus());
    assertThat(reread).isEqualTo(s);
    assertThat(next(reread, B, T0.plusSeconds(301))).isEqualTo(next(s, B, T0.plusSeconds(301)));
    assertThat(next(reread, B, T0.plusSeconds(301)).traffic()).isEqualTo(new Traffic(A, B, 50));
  }

  @Test
  void aStepRemovedFromTheSpecMidRolloutPromotesAfterThePauseUnderWay() {
    State atStep2 = next(next(stableOnA(), B, T0).next(), B, T0.plusSeconds(300)).next();
    Decision d = RolloutMachine.next(atStep2, List.of(new RolloutStep(10, 300)), B, T0.plusSeconds(900), Set.of(), null);
    assertThat(d.change()).isEqualTo(Change.PROMOTED);
  }
}
