package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.LoadBalancerStep;
import io.lambdaingress.operator.cache.NetworkFacts;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.cache.SharedReadAge;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.lambdaingress.operator.EventQueueSettings;
import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.api.AdoptedStatus;
import io.lambdaingress.operator.api.DeletionPolicy;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.EndpointServicePlan;
import io.lambdaingress.operator.model.RouteModel;
import io.lambdaingress.operator.model.CloudTrailEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOSDK's entry point for LambdaIngress: checks the spec ({@link SpecChecks}), derives the model, lets
 * {@link ChainReconciler} then {@link RouteReconciler} converge AWS (again at once after a stale shared read:
 * {@link StaleReadRetry}), and reports through the status ({@link ObjectStatus}, Ready with reason and
 * message) and Events ({@link FailureReport} for failures). The finalizer
 * comes with {@link Cleaner}; retries with backoff and the periodic resync (drift repair) are configured
 * where the reconciler is registered ({@code OperatorMain}).
 */
@ControllerConfiguration(name = "lambdaingress")
public class LambdaIngressReconciler implements Reconciler<LambdaIngress>, Cleaner<LambdaIngress> {

  private static final Logger log = LoggerFactory.getLogger(LambdaIngressReconciler.class);
  // How soon to look again while AWS finishes something we started.
  private static final Duration PROGRESS_POLL = Duration.ofSeconds(3);
  // Right after adoption tagged what spec.adopt names: the chain's run follows at once.
  private static final Duration ADOPTED_NEXT = Duration.ofMillis(100);
  private final OperatorSettings settings;
  private final ElbInventory inventory;
  private final SpecChecks checks;
  private final StaleReadRetry staleReads;
  private final FailureReport failures;
  private final ChainReconciler chain;
  private final ObjectDeletion deletion;
  private final Adoption adoption;
  private final RouteReconciler routes;
  private final KubernetesEvents events;
  private final OwnerTagCleanup ownerTags;
  private final io.lambdaingress.operator.aws.Ec2EndpointServiceClient endpointServices;
  private final RolloutReport rollouts;
  private final ChangeIndex changeIndex = new ChangeIndex();
  private final AwsChangeEvents changeEvents;
  private final FinalizerRelease finalizer;
  // The controller's cache of the objects, once JOSDK has registered the controller.
  private volatile IndexerResourceCache<LambdaIngress> primaries;

  public LambdaIngressReconciler(OperatorSettings settings, AwsClients aws, KubernetesClient kubernetes) {
    this(settings, EventQueueSettings.NONE, aws, kubernetes);
  }

  /** With the event queue (when {@code queue} names one): AWS change events reconcile the objects they concern. */
  public LambdaIngressReconciler(OperatorSettings settings, EventQueueSettings queue, AwsClients aws, KubernetesClient kubernetes) {
    this.settings = settings;
    Clock clock = Clock.systemUTC();
    // Drift is repaired within one resync period (plus the shared reads' short age): see SharedReadAge.
    this.events = new KubernetesEvents(kubernetes);
    this.inventory = new ElbInventory(aws.elbV2(), queue.enabled()
        ? SharedReadAge.withEvents(queue.verificationInterval(settings.resyncPeriod()))
        : SharedReadAge.forResync(settings.resyncPeriod()), clock);
    this.checks = new SpecChecks(settings, new NetworkFacts(aws.ec2(), settings.resyncPeriod(), clock));
    this.staleReads = new StaleReadRetry(inventory);
    this.chain = new ChainReconciler(aws, inventory, settings.formerClusterNames());
    this.adoption = new Adoption(inventory, aws.lambda(), settings.formerClusterNames(), events);
    this.routes = new RouteReconciler(aws, inventory, chain, settings.formerClusterNames());
    this.failures = new FailureReport(events, kubernetes);
    this.ownerTags = new OwnerTagCleanup(settings, inventory, aws.lambda(), clock);
    this.deletion = new ObjectDeletion(routes, this::privateLink, new ChainDeletion(aws, inventory, settings.formerClusterNames()),
        ownerTags, aws.counter());
    this.endpointServices = aws.endpointServices();
    this.rollouts = new RolloutReport(events);
    this.finalizer = new FinalizerRelease(kubernetes);
    this.changeEvents = queue.enabled()
        ? new AwsChangeEvents(aws.sqs(), queue.queueUrl(), changeIndex, aws::accessKeyId, e -> chain.changedOutOfBand(e.keys()))
        : null;
  }

  /** Rollout metrics (lambdaingress_rollout_weight, lambdaingress_rollouts_total) go to {@code registry}. */
  public void rolloutMetricsIn(io.micrometer.core.instrument.MeterRegistry registry) {
    rollouts.metricsIn(registry);
  }

  /** The event queue's source, when the queue is on. */
  public Optional<AwsChangeEvents> changeEvents() {
    return Optional.ofNullable(changeEvents);
  }

  @Override
  public List<EventSource<?, LambdaIngress>> prepareEventSources(EventSourceContext<LambdaIngress> context) {
    primaries = context.getPrimaryCache();
    return changeEvents == null ? List.of() : List.of(changeEvents);
  }

  /** The objects in the controller's cache now (for {@link ReadinessMetrics}); none before the controller is registered. */
  public List<LambdaIngress> cachedObjects() {
    var cache = primaries;
    return cache == null ? List.of() : cache.list().toList();
  }

  /** Discovery and clean-up by owner tags, shared with the periodic {@link OrphanSweep}. */
  public OwnerTagCleanup ownerTagCleanup() {
    return ownerTags;
  }

  @Override
  public UpdateControl<LambdaIngress> reconcile(LambdaIngress li, Context<LambdaIngress> context) {
    long generation = li.getMetadata().getGeneration();
    List<String> problems = checks.problems(li.getSpec());
    if (!problems.isEmpty()) {
      return UpdateControl.patchStatus(failures.notReady(li, Reason.InvalidSpec, String.join("; ", problems), generation));
    }
    String vpcId = checks.vpcOf(li);
    ChainModel model = ChainModel.of(li, settings.clusterName(), vpcId);
    changeIndex.put(ResourceID.fromResource(li), CloudTrailEvent.keysOf(model));
    AwsWrites writes = new AwsWrites(events, li);
    // Before any other write: a resource spec.adopt names that cannot be adopted as it is stops the run here.
    Adoption.Result adoptedNow = adopt(li, model, vpcId, writes);
    if (adoptedNow != null && adoptedNow.tookNow()) {
      return adoptedFirst(li, adoptedNow.adopted(), generation);
    }
    ownerTags.releaseStaticIps(model, writes);
    PrivateLinkStep endpoints = privateLink(model, writes);
    Optional<EndpointServicePlan> endpointPlan = beforeNlb(li, model, endpoints);
    Instant now = Instant.now();
    CanaryStep.Input canary = RolloutReport.input(li, now);
    List<RouteModel> routeModels = RouteModel.of(li, settings.clusterName());
    ChainReconciler.Outcome outcome = staleReads.run(li, () -> chain.apply(model, routeModels, RecordedChain.of(li.getStatus()), writes, canary));
    LambdaIngressStatus status = ObjectStatus.of(outcome.status(), li.getStatus(), generation);
    status.setAdopted(adoptedNow == null ? null : adoptedNow.adopted());
    endpointPlan.ifPresent(plan -> status.setEndpointService(outcome.status().nlbArn() == null ? previousEndpointService(li)
        : endpoints.ensure(model, plan, outcome.status().nlbArn(), previousEndpointService(li), events, li)));
    RouteStep.Outcome routed = outcome.serves()
        ? routes(li, model, routeModels.stream().map(r -> r.inSlot(outcome.slot())).toList(), outcome.status(), status, writes, now)
        : null;
    // Recorded before a pending route returns early: a rollout's state is never dropped from the status.
    Optional<RolloutReport.Verdict> rollout = rollouts.recordAll(li, outcome.rollout(), routed == null ? null : routed.rollouts(), status, now);
    if (routed != null && routed.pending() != null) {
      return progressing(li, status, routed.pending(), generation);
    }
    if (outcome.complete() && rollout.isPresent()) {
      return rolloutVerdict(li, status, rollout.get(), generation);
    }
    return outcome.complete() ? converged(li, model, outcome.status(), routed, status, writes)
        : progressing(li, status, outcome.pending(), generation);
  }

  /** Before the NLB is converged: an endpoint service that must go first (the NLB replaced, or PrivateLink off). */
  private Optional<EndpointServicePlan> beforeNlb(LambdaIngress li, ChainModel model, PrivateLinkStep endpoints) {
    Optional<EndpointServicePlan> endpointPlan = EndpointServicePlan.of(li.getSpec());
    if (endpointPlan.isPresent() || previousEndpointService(li) != null) {
      var verdict = inventory.loadBalancer(model.nlb().name()).map(lb -> LoadBalancerStep.compareImmutable(model.nlb().loadBalancer(), lb));
      endpoints.beforeNlb(model, endpointPlan, verdict.map(LoadBalancerStep.Verdict::replace).orElse(false),
          verdict.map(LoadBalancerStep.Verdict::why).orElse(""));
    }
    return endpointPlan;
  }

  private static io.lambdaingress.operator.api.EndpointServiceStatus previousEndpointService(LambdaIngress li) {
    return li.getStatus() == null ? null : li.getStatus().getEndpointService();
  }

  /**
   * The routes' rules go on the chain's ALB listener, once the chain serves (their status kept till then); during
   * an ALB replacement on the new ALB's, before the NLB moves to it.
   * Null when there are no routes, now or before.
   *
   * @param routeModels the routes on the ALB side the chain is built in ({@link RouteModel#inSlot})
   */
  private RouteStep.Outcome routes(LambdaIngress li, ChainModel model, List<RouteModel> routeModels, ChainStatus chainStatus,
      LambdaIngressStatus status, AwsWrites writes, Instant now) {
    if (routeModels.isEmpty() && status.getRoutes() == null) {
      return null;
    }
    Map<String, CanaryStep.Input> routeCanaries = RolloutReport.routeInputs(li, now);
    List<String> unrouted = model.alb().httpServes() || chainStatus.albListenerArn() == null ? List.of()
        : List.of(chainStatus.albListenerArn());
    RouteStep.Outcome routed = staleReads.run(li, () -> routes.apply(model, routeModels, chainStatus.routedListenerArns(model), unrouted,
        li.getStatus(), writes, routeCanaries));
    status.setRoutes(routed.routes().isEmpty() ? null : routed.routes());
    status.setRoutesReady(routed.routes().isEmpty() ? null
        : routed.routes().stream().filter(r -> Boolean.TRUE.equals(r.getReady())).count() + "/" + routed.routes().size());
    return routed;
  }

  /** The chain serves: only now may what carries our tags but is no longer part of it go. */
  private Adoption.Result adopt(LambdaIngress li, ChainModel model, String vpcId, AwsWrites writes) {
    String pinnedImage = model.adopted().function() == null ? null : chain.pin(model.function().orElseThrow().image()).uri();
    return adoption.apply(li, model, vpcId, pinnedImage, li.getStatus() == null ? null : li.getStatus().getAdopted(), writes);
  }

  /** What adoption found different is recorded before the chain changes it: a later run sees it changed already. */
  private UpdateControl<LambdaIngress> adoptedFirst(LambdaIngress li, List<AdoptedStatus> adopted, long generation) {
    LambdaIngressStatus status = ObjectStatus.copyOf(li.getStatus());
    status.setObservedGeneration(generation);
    status.setAdopted(adopted);
    ReadyCondition.set(li.getStatus(), status, false, Reason.Progressing.name(), "adopted " + adopted.size()
        + " resource(s) named in spec.adopt; the chain is reconciled next", generation);
    return UpdateControl.patchStatus(ObjectStatus.patch(li, status)).rescheduleAfter(ADOPTED_NEXT);
  }

  /** A converged chain whose rollout is under way or ended badly: Ready says so, and when to look again. */
  private UpdateControl<LambdaIngress> rolloutVerdict(LambdaIngress li, LambdaIngressStatus status, RolloutReport.Verdict v, long generation) {
    ReadyCondition.set(li.getStatus(), status, false, v.reason().name(), v.message(), generation);
    UpdateControl<LambdaIngress> patch = UpdateControl.patchStatus(ObjectStatus.patch(li, status));
    return v.requeue() == null ? patch : patch.rescheduleAfter(v.requeue());
  }

  private UpdateControl<LambdaIngress> converged(LambdaIngress li, ChainModel model, ChainStatus chainStatus,
      RouteStep.Outcome routed, LambdaIngressStatus status, AwsWrites writes) {
    String cleaning = ownerTags.leftovers(model, chainStatus, routed == null ? java.util.Set.of() : routed.wantedArns(),
        writes.count() > 0, writes);
    ReadyCondition.set(li.getStatus(), status, true, ReadyCondition.RECONCILED,
        writes.count() == 0 ? "the chain matches the spec" : "the chain matches the spec after " + writes.count() + " AWS write(s)",
        status.getObservedGeneration());
    UpdateControl<LambdaIngress> ready = UpdateControl.patchStatus(ObjectStatus.patch(li, status));
    return cleaning == null ? ready : ready.rescheduleAfter(PROGRESS_POLL);
  }

  private static UpdateControl<LambdaIngress> progressing(LambdaIngress li, LambdaIngressStatus status, String pending, long generation) {
    ReadyCondition.set(li.getStatus(), status, false, Reason.Progressing.name(), pending, generation);
    return UpdateControl.patchStatus(ObjectStatus.patch(li, status)).rescheduleAfter(PROGRESS_POLL);
  }

  private PrivateLinkStep privateLink(ChainModel model, AwsWrites writes) {
    return new PrivateLinkStep(endpointServices, Ownership.byTags(model.ownerTags(), settings.formerClusterNames()), writes);
  }

  @Override
  public ErrorStatusUpdateControl<LambdaIngress> updateErrorStatus(LambdaIngress li, Context<LambdaIngress> context, Exception thrown) {
    return FailureReport.of(li, context, thrown, false)
        .map(f -> ErrorStatusUpdateControl.patchStatus(failures.notReady(li, f.reason(), f.message(), li.getMetadata().getGeneration())))
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  @Override
  public DeleteControl cleanup(LambdaIngress li, Context<LambdaIngress> context) {
    ChainModel model = ChainModel.of(li, settings.clusterName(), null);
    if (model.deletionPolicy() == DeletionPolicy.Retain) {
      AwsWrites writes = new AwsWrites(events, li);
      // First: what was adopted goes back to whoever had it, untagged; then markRetained finds only what the object created.
      adoption.letGo(model, writes);
      ownerTags.markRetained(model, writes);
      events.normal(li, "Retained", "deletionPolicy Retain: the AWS resources stay (those it created tagged with this object's "
          + "owner tags, adopted ones without)");
      return finalizer.release(li, context.getControllerConfiguration().getFinalizerName());
    }
    String waiting;
    try {
      waiting = deletion.attempt(li, model, RouteModel.of(li, settings.clusterName()), new AwsWrites(events, li));
    } catch (RuntimeException e) {
      // JOSDK retries a failed cleanup with backoff but shows nothing: say it on the object, then let it retry.
      FailureReport.of(li, context, e, true).ifPresent(f -> failures.deletionFailed(li, f, context.getControllerConfiguration().fieldManager()));
      throw e;
    }
    if (waiting != null) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(PROGRESS_POLL.toMillis());
    }
    changeIndex.remove(ResourceID.fromResource(li));
    // Not JOSDK's defaultDelete: see FinalizerRelease (an object re-created under the same name at once).
    return finalizer.release(li, context.getControllerConfiguration().getFinalizerName());
  }
}
