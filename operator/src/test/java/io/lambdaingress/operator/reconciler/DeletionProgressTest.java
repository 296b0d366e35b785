package io.lambdaingress.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeletionProgressTest {

  private final DeletionProgress progress = new DeletionProgress();
  private final Instant first = Instant.parse("2026-12-07T08:00:00Z");
  // An attempt late enough that a stage finding nothing is believed.
  private final Instant later = first.plus(DeletionProgress.ABSENCE_BELIEVED_AFTER);

  @Test
  void inTheFirstSecondsAStageThatFoundNothingRunsAgain() {
    AtomicInteger runs = new AtomicInteger();
    progress.of("uid-1", first).unlessFinished("ALB a", () -> ran(runs, null));
    progress.of("uid-1", first.plusSeconds(3)).unlessFinished("ALB a", () -> ran(runs, null));
    progress.of("uid-1", later).unlessFinished("ALB a", () -> ran(runs, null));
    progress.of("uid-1", later.plusSeconds(3)).unlessFinished("ALB a", () -> ran(runs, null));
    assertEquals(3, runs.get());
  }

  @Test
  void aFinishedStageIsNotRunAgainByLaterAttempts() {
    AtomicInteger runs = new AtomicInteger();
    progress.of("uid-1", first);
    assertNull(progress.of("uid-1", later).unlessFinished("NLB a", () -> ran(runs, null)));
    assertNull(progress.of("uid-1", later.plusSeconds(30)).unlessFinished("NLB a", () -> ran(runs, null)));
    assertEquals(1, runs.get());
  }

  @Test
  void aWaitingStageRunsAgainAndItsReasonIsReturned() {
    AtomicInteger runs = new AtomicInteger();
    assertEquals("in use", progress.of("uid-1", first).unlessFinished("alb target group a", () -> ran(runs, "in use")));
    assertNull(progress.of("uid-1", later).unlessFinished("alb target group a", () -> ran(runs, null)));
    assertEquals(2, runs.get());
  }

  @Test
  void readingAgainForgetsTheStagesOfThatKindOnly() {
    AtomicInteger runs = new AtomicInteger();
    progress.of("uid-1", first);
    DeletionProgress.Attempt a = progress.of("uid-1", later);
    a.unlessFinished("ALB a", () -> ran(runs, null));
    a.unlessFinished("NLB a", () -> ran(runs, null));
    // A group still in use: its ALB exists, though the ALB stage found none (a listing that did not show it yet).
    a.readAgain("ALB ");
    DeletionProgress.Attempt next = progress.of("uid-1", later.plusSeconds(3));
    next.unlessFinished("ALB a", () -> ran(runs, null));
    next.unlessFinished("NLB a", () -> ran(runs, null));
    assertEquals(3, runs.get());
  }

  @Test
  void aStageThatThrowsRunsAgain() {
    AtomicInteger runs = new AtomicInteger();
    try {
      progress.of("uid-1", first).unlessFinished("ALB a", () -> {
        runs.incrementAndGet();
        throw new IllegalStateException("throttled");
      });
    } catch (IllegalStateException expected) {
      // the attempt failed
    }
    assertNull(progress.of("uid-1", later).unlessFinished("ALB a", () -> ran(runs, null)));
    assertEquals(2, runs.get());
  }

  @Test
  void theBeginningIsTheFirstAttemptsAndCompletionForgetsEverything() {
    AtomicInteger runs = new AtomicInteger();
    DeletionProgress.Attempt a = progress.of("uid-1", first);
    a.unlessFinished("NLB a", () -> ran(runs, null));
    assertEquals(first, progress.of("uid-1", first.plusSeconds(60)).began());
    a.complete();
    DeletionProgress.Attempt again = progress.of("uid-1", first.plusSeconds(90));
    assertEquals(first.plusSeconds(90), again.began());
    again.unlessFinished("NLB a", () -> ran(runs, null));
    assertEquals(2, runs.get());
    // Another object's progress is its own.
    progress.of("uid-2", first).unlessFinished("NLB a", () -> ran(runs, null));
    assertEquals(3, runs.get());
  }

  private static String ran(AtomicInteger runs, String result) {
    runs.incrementAndGet();
    return result;
  }
}
