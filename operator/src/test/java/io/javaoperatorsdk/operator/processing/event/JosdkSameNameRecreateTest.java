package io.javaoperatorsdk.operator.processing.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.FixedReconcileExecutor;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceDeleteEvent;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.javaoperatorsdk.operator.processing.event.source.timer.TimerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * JOSDK's own EventProcessor (the version the pom pins) driven through the interleaving behind CrashTableIT's stuck
 * create row, step by step with latches: the old object's clean-up has had its finalizer removed (the API server
 * deleted the object) but its thread has not reported back yet; meanwhile the DELETE event drops JOSDK's state for
 * that namespace/name, an object of the same name and a new uid is ADDED, JOSDK adds its finalizer and that update's
 * event arrives. Only then does the old clean-up report.
 *
 * <p>How the clean-up reports decides the successor's fate: "finalizer removed" (what JOSDK's defaultDelete()
 * produces) marks the successor's state as cleaned up, which then ignores its timer events and its deletion for
 * good; a plain report (what noFinalizerRemoval() produces, ReconciliationDispatcher#handleCleanup) leaves it
 * reconciled and deletable. {@code FinalizerRelease} makes LambdaIngressReconciler's clean-up report plainly.
 *
 * <p>JOSDK's classes are made without their constructors (they want a running controller); the dispatcher
 * stands in for the finalizer patches and the reconciler. Waits are on latches and on the pool going idle.
 */
class JosdkSameNameRecreateTest {

  private static final String FINALIZER = "lambdaingresses.lambdaingress.io/finalizer";
  private static final ResourceID ID = new ResourceID("stack", "ns");

  private static final AtomicReference<ConfigMap> cache = new AtomicReference<>();
  private static final List<String> calls = new CopyOnWriteArrayList<>();
  private static volatile Fixture current;

  private final Fixture f = new Fixture();
  private TimerEventSource<ConfigMap> timer;

  @AfterEach
  void stop() {
    if (timer != null) {
      timer.stop();
    }
    f.pool.shutdownNow();
  }

  @Test
  void aFinalizerRemovedReportLandingOnTheSuccessorLeavesItNeverReconciledNorDeleted() throws Exception {
    EventProcessor<ConfigMap> processor = raceWith(true);

    assertThat(calls).as("the successor got its finalizer and nothing else").containsExactly("cleanup old", "finalizer-add new");
    int submitted = f.submitted();
    processor.handleEvent(new Event(ID)); // what a reschedule or the max reconciliation interval delivers
    assertThat(f.submitted()).as("a timer event is ignored").isEqualTo(submitted);
    ConfigMap deleting = object("new", true, true);
    cache.set(deleting);
    processor.handleEvent(new ResourceEvent(ResourceAction.UPDATED, ID, deleting)); // kubectl delete
    f.awaitIdle();
    assertThat(calls).as("its deletion is ignored: JOSDK still wedges, FinalizerRelease is still needed")
        .doesNotContain("reconcile new", "cleanup new");
  }

  @Test
  void aPlainReportLeavesTheSuccessorReconciledAndDeletable() throws Exception {
    EventProcessor<ConfigMap> processor = raceWith(false);

    assertThat(calls).as("reconciled right after its finalizer").containsSubsequence("finalizer-add new", "reconcile new");
    ConfigMap deleting = object("new", true, true);
    cache.set(deleting);
    processor.handleEvent(new ResourceEvent(ResourceAction.UPDATED, ID, deleting));
    f.awaitIdle();
    assertThat(calls).as("and cleaned up when deleted").endsWith("cleanup new");
  }

  /** The interleaving; {@code finalizerRemoved}: how the old object's clean-up reports. Returns once all is idle. */
  private EventProcessor<ConfigMap> raceWith(boolean finalizerRemoved) throws Exception {
    f.finalizerRemoved = finalizerRemoved;
    current = f;
    calls.clear();
    EventProcessor<ConfigMap> processor = processor();
    ConfigMap old = object("old", true, true);
    cache.set(old);
    processor.handleEvent(new ResourceEvent(ResourceAction.UPDATED, ID, old)); // marked for deletion: clean-up runs
    f.cleanupEntered.await();
    cache.set(null);
    processor.handleEvent(new ResourceDeleteEvent(ResourceAction.DELETED, ID, old, false));
    ConfigMap successor = object("new", false, false);
    cache.set(successor);
    processor.handleEvent(new ResourceEvent(ResourceAction.ADDED, ID, successor));
    f.finalizerAddEntered.await();
    ConfigMap withFinalizer = object("new", true, false);
    cache.set(withFinalizer);
    processor.handleEvent(new ResourceEvent(ResourceAction.UPDATED, ID, withFinalizer)); // the finalizer add's event
    f.oldCleanupMayReport.countDown();
    f.awaitFinished(1);
    f.finalizerAddMayReport.countDown();
    f.awaitIdle();
    return processor;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private EventProcessor<ConfigMap> processor() throws Exception {
    FixedReconcileExecutor executors = bare(FixedReconcileExecutor.class).use(f.pool);
    ClassLoader loader = getClass().getClassLoader();
    ConfigurationService service = (ConfigurationService) Proxy.newProxyInstance(loader, new Class<?>[] {ConfigurationService.class},
        (p, m, a) -> m.getName().equals("getExecutorServiceManager") ? executors : null);
    // As OperatorMain registers the reconciler: retries with backoff, no rate limit.
    GenericRetry retry = new GenericRetry().setInitialInterval(2000).setIntervalMultiplier(2).setMaxInterval(120_000)
        .setMaxAttempts(Integer.MAX_VALUE);
    ControllerConfiguration<?> configuration = (ControllerConfiguration<?>) Proxy.newProxyInstance(loader,
        new Class<?>[] {ControllerConfiguration.class}, (p, m, a) -> switch (m.getName()) {
          case "getRetry" -> retry;
          case "getRateLimiter" -> LinearRateLimiter.deactivatedRateLimiter();
          case "getConfigurationService" -> service;
          case "triggerReconcilerOnAllEvents" -> false;
          case "maxReconciliationInterval" -> Optional.empty();
          case "getName" -> "lambdaingress";
          case "hashCode" -> System.identityHashCode(p);
          case "equals" -> p == a[0];
          default -> null;
        });
    timer = new TimerEventSource<>();
    Sources sources = bare(Sources.class);
    sources.timer = timer;
    sources.cache = bare(Cache.class);
    EventProcessor<ConfigMap> processor = new EventProcessor(configuration, bare(Dispatcher.class), sources, null);
    timer.setEventHandler(processor);
    timer.start();
    processor.start();
    return processor;
  }

  private static ConfigMap object(String uid, boolean finalizer, boolean deleting) {
    ConfigMap c = new ConfigMapBuilder().withNewMetadata().withName(ID.getName()).withNamespace(ID.getNamespace().orElseThrow())
        .withUid(uid).withGeneration(1L).endMetadata().build();
    if (finalizer) {
      c.getMetadata().setFinalizers(List.of(FINALIZER));
    }
    if (deleting) {
      c.getMetadata().setDeletionTimestamp("2026-12-07T17:00:00Z");
    }
    return c;
  }

  @SuppressWarnings("unchecked")
  private static <T> T bare(Class<T> type) throws Exception {
    java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    return (T) ((sun.misc.Unsafe) f.get(null)).allocateInstance(type);
  }

  /** The latches of one run and a pool that counts its tasks. */
  private static final class Fixture {
    final CountDownLatch cleanupEntered = new CountDownLatch(1);
    final CountDownLatch finalizerAddEntered = new CountDownLatch(1);
    final CountDownLatch oldCleanupMayReport = new CountDownLatch(1);
    final CountDownLatch finalizerAddMayReport = new CountDownLatch(1);
    volatile boolean finalizerRemoved;
    private final Object lock = new Object();
    private int submitted;
    private int finished;
    final ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>()) {
      @Override
      public void execute(Runnable r) {
        synchronized (lock) {
          submitted++;
        }
        super.execute(r);
      }

      @Override
      protected void afterExecute(Runnable r, Throwable t) {
        synchronized (lock) {
          finished++;
          lock.notifyAll();
        }
      }
    };

    int submitted() {
      synchronized (lock) {
        return submitted;
      }
    }

    void awaitFinished(int n) throws InterruptedException {
      await(() -> finished >= n);
    }

    void awaitIdle() throws InterruptedException {
      await(() -> finished >= submitted);
    }

    // A hang guard, not a timing: a run that never goes idle fails instead of blocking the build.
    private void await(java.util.function.BooleanSupplier done) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      synchronized (lock) {
        while (!done.getAsBoolean()) {
          if (System.nanoTime() > end) {
            throw new AssertionError("JOSDK's executions did not end; calls: " + calls);
          }
          lock.wait(1000);
        }
      }
    }
  }

  /** Stands in for JOSDK's finalizer patches and the reconciler; the old clean-up waits before it reports. */
  static class Dispatcher extends ReconciliationDispatcher<ConfigMap> {
    Dispatcher() {
      super(null, null);
    }

    @Override
    public PostExecutionControl<ConfigMap> handleExecution(ExecutionScope<ConfigMap> scope) {
      Fixture f = current;
      ConfigMap r = scope.getResource();
      String uid = r.getMetadata().getUid();
      try {
        if (r.isMarkedForDeletion()) {
          calls.add("cleanup " + uid);
          if (uid.equals("old")) {
            f.cleanupEntered.countDown();
            f.oldCleanupMayReport.await();
          }
          return f.finalizerRemoved ? PostExecutionControl.customResourceFinalizerRemoved(r) : PostExecutionControl.defaultDispatch();
        }
        if (!r.hasFinalizer(FINALIZER)) {
          calls.add("finalizer-add " + uid);
          f.finalizerAddEntered.countDown();
          f.finalizerAddMayReport.await();
          return PostExecutionControl.onlyFinalizerAdded(r);
        }
        calls.add("reconcile " + uid);
        return PostExecutionControl.defaultDispatch();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return PostExecutionControl.exceptionDuringExecution(e);
      }
    }
  }

  /** The controller's informer cache, as the test sets it. */
  static class Cache extends ControllerEventSource<ConfigMap> {
    Cache() {
      super(null);
    }

    @Override
    public Optional<ConfigMap> get(ResourceID id) {
      return Optional.ofNullable(cache.get());
    }
  }

  static class Sources extends EventSourceManager<ConfigMap> {
    TimerEventSource<ConfigMap> timer;
    Cache cache;

    Sources() {
      super(null);
    }

    @Override
    public ControllerEventSource<ConfigMap> getControllerEventSource() {
      return cache;
    }

    @Override
    TimerEventSource<ConfigMap> retryEventSource() {
      return timer;
    }

    @Override
    public Controller<ConfigMap> getController() {
      return null;
    }
  }
}
