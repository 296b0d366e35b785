package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.model.CleanupPlan;
import io.lambdaingress.operator.model.OwnedResource;
import io.lambdaingress.operator.model.OwnedResource.Owner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per resync period (not per object): AWS resources tagged as owned by a LambdaIngress of this cluster
 * (or of a former name of it) that no longer exists, in a namespace this operator watches. Such orphans
 * appear when an object is deleted while the operator is down and its finalizer is removed by hand.
 *
 * <p>Each is reported by the gauge {@code lambdaingress_orphans} and one warning log line per object. There
 * is no Event: the object an Event would hang on is gone. They are deleted only when
 * {@code LAMBDA_INGRESS_DELETE_ORPHANS=true}, each after a fresh GET shows the object still absent and a
 * fresh read shows the resource still carrying all the owner tags.
 */
public final class OrphanSweep implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OrphanSweep.class);

  private final OwnerTagCleanup cleanup;
  private final OperatorSettings settings;
  private final KubernetesClient kubernetes;
  private final AtomicInteger orphans = new AtomicInteger();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "orphan-sweep");
    t.setDaemon(true);
    return t;
  });

  public OrphanSweep(OwnerTagCleanup cleanup, KubernetesClient kubernetes, MeterRegistry registry) {
    this.cleanup = cleanup;
    this.settings = cleanup.settings();
    this.kubernetes = kubernetes;
    if (registry != null) {
      Gauge.builder("lambdaingress.orphans", orphans, AtomicInteger::get)
          .description("AWS resources tagged as owned by a LambdaIngress of this cluster that no longer exists, left after the last sweep")
          .register(registry);
    }
  }

  /** Sweeps every resync period, the first after half of one, until {@code stopped} says so. */
  public void start(BooleanSupplier stopped) {
    start(stopped, settings.resyncPeriod());
  }

  /** Sweeps every {@code every} (with the event queue: with the full verification, every k-th period). */
  public void start(BooleanSupplier stopped, java.time.Duration every) {
    long period = every.toMillis();
    timer.scheduleWithFixedDelay(() -> {
      if (stopped.getAsBoolean()) {
        timer.shutdown();
        return;
      }
      try {
        sweep();
      } catch (AwsFailure f) {
        // As for a reconcile's failed attempt (FailureReport): what heals by itself (the reasons table), throttling
        // and AWS's own 5xx are INFO, the next sweep coming anyway; a WARN means a person should look.
        boolean passing = f.reason().healsByItself() || f.isServerError();
        (passing ? log.atInfo() : log.atWarn()).addKeyValue("reason", f.reason())
            .log("orphan sweep failed, next in one resync period: {}", f.getMessage());
      } catch (RuntimeException e) {
        log.atWarn().setCause(e).log("orphan sweep failed, next in one resync period");
      }
    }, period / 2, period, TimeUnit.MILLISECONDS);
  }

  /** The orphans the last sweep left (all of them when deleting is off). */
  public int orphans() {
    return orphans.get();
  }

  /** One sweep; returns how many orphaned resources it left in AWS. */
  public int sweep() {
    // AWS first, then the objects: a resource created in between belongs to an object the list shows.
    List<OwnedResource> found = cleanup.everything();
    Set<String> existing = existingObjects();
    Map<Owner, List<OwnedResource>> byOwner = CleanupPlan.orphans(found, settings.ownedClusterNames(),
        ns -> settings.namespaces().isEmpty() || settings.namespaces().contains(ns), existing);
    int left = 0;
    for (var e : byOwner.entrySet()) {
      Owner owner = e.getKey();
      List<OwnedResource> resources = e.getValue();
      log.atWarn().addKeyValue("owner", owner.toString()).addKeyValue("resources", resources.stream().map(OwnedResource::arn).toList())
          .log("orphaned AWS resources: LambdaIngress {} no longer exists but {} carry its owner tags ({}); {}", owner.objectKey(),
              resources.size(), resources.stream().map(OwnedResource::describe).toList(),
              settings.deleteOrphans() ? "deleting them" : "set " + OperatorSettings.DELETE_ORPHANS + "=true to delete them, or delete them by hand");
      if (settings.deleteOrphans() && stillAbsent(owner)) {
        String waiting = cleanup.deleteOrphan(owner, resources, (action, resource, why) -> log.atInfo()
            .addKeyValue("action", action).addKeyValue("resource", resource).addKeyValue("reason", why)
            .addKeyValue("object", owner.objectKey()).log("aws write"));
        if (waiting != null) {
          log.atInfo().addKeyValue("owner", owner.toString()).log("orphan deletion continues next sweep: {}", waiting);
          left += resources.size();
        }
      } else {
        left += resources.size();
      }
    }
    orphans.set(left);
    return left;
  }

  private Set<String> existingObjects() {
    Set<String> keys = new HashSet<>();
    var all = kubernetes.resources(LambdaIngress.class);
    List<LambdaIngress> items = settings.namespaces().isEmpty() ? all.inAnyNamespace().list().getItems()
        : settings.namespaces().stream().flatMap(ns -> all.inNamespace(ns).list().getItems().stream()).toList();
    items.forEach(li -> keys.add(li.getMetadata().getNamespace() + "/" + li.getMetadata().getName()));
    return keys;
  }

  private boolean stillAbsent(Owner owner) {
    return kubernetes.resources(LambdaIngress.class).inNamespace(owner.namespace()).withName(owner.name()).get() == null;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
