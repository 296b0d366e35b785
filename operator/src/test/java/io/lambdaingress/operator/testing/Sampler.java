package io.lambdaingress.operator.testing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A thread that takes a sample every {@code periodMillis} until stopped; a sample whose read fails is
 * skipped. What the operator shows between two awaited conditions (an alias's weights, a target group's
 * targets) is only seen by looking continuously.
 */
public abstract class Sampler {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  protected Sampler(long periodMillis) {
    thread = new Thread(() -> {
      while (running.get()) {
        sampleOnce();
        OperatorHarness.sleep(periodMillis);
      }
    }, getClass().getSimpleName());
    thread.setDaemon(true);
  }

  protected abstract void sample();

  private void sampleOnce() {
    try {
      sample();
    } catch (RuntimeException e) {
      // a read that fails is simply not a sample
    }
  }

  protected void begin() {
    thread.start();
  }

  /**
   * Stops sampling and takes one last sample: the state at the moment the caller stops looking (say, the one a
   * status it has just read reports) is part of what was seen, even when it came after the last periodic sample.
   */
  public void stop() {
    running.set(false);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sampleOnce();
  }
}
