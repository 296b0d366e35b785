package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.cache.NetworkFacts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import io.lambdaingress.operator.EventQueueSettings;
import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.api.DeletionPolicy;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.api.LambdaStatus;
import io.lambdaingress.operator.api.LoadBalancerStatus;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Ec2NetworkClient;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.EndpointServicePlan;
import io.lambdaingress.operator.model.RouteModel;
import io.lambdaingress.operator.model.RouteValidation;
import io.lambdaingress.operator.model.CloudTrailEvent;
import io.lambdaingress.operator.model.SpecValidation;
import io.lambdaingress.operator.model.SpecValidation.SubnetFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOSDK's entry point for LambdaIngress: validates, derives the model, lets {@link ChainReconciler}
 * converge AWS, and reports through the status (Ready with reason and message) and Events. The finalizer
 * comes with {@link Cleaner}; retries with backoff and the periodic resync (drift repair) are configured
 * where the reconciler is registered ({@code OperatorMain}).
 */
@ControllerConfiguration(name = "lambdaingress")
public class LambdaIngressReconciler implements Reconciler<LambdaIngress>, Cleaner<LambdaIngress> {

  private static final Logger log = LoggerFactory.getLogger(LambdaIngressReconciler.class);
  // How soon to look again while AWS finishes something we started.
  private static final Duration PROGRESS_POLL = Duration.ofSeconds(3);
  // Throttling and AWS's own errors (5xx) are retried quietly; only when they persist past this many attempts
  // does Ready say so. A chain that serves is not made Ready=False by one failed read.
  private static final int QUIET_ATTEMPTS = 3;
  // "Not yet" errors (Propagating) past this many attempts (2+4+8+16 s of backoff) are taken at their word.
  private static final int PROPAGATION_ATTEMPTS = 5;

  // AWS error codes that mean "the shared listing was out of date", not "the spec is wrong".
  private static final java.util.Set<String> STALE = java.util.Set.of("LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound");

  private final OperatorSettings settings;
  private final ElbInventory inventory;
  private final NetworkFacts network;
  private final ChainReconciler chain;
  private final RouteReconciler routes;
  private final KubernetesEvents events;
  private final KubernetesClient kubernetes;
  private final OwnerTagCleanup ownerTags;
  private final io.lambdaingress.operator.aws.Ec2EndpointServiceClient endpointServices;
  private final RolloutReport rollouts;
  private final ChangeIndex changeIndex = new ChangeIndex();
  private final AwsChangeEvents changeEvents;

  public LambdaIngressReconciler(OperatorSettings settings, AwsClients aws, KubernetesClient kubernetes) {
    this(settings, EventQueueSettings.NONE, aws, kubernetes);
  }

  /** With the event queue (when {@code queue} names one): AWS change events reconcile the objects they concern. */
  public LambdaIngressReconciler(OperatorSettings settings, EventQueueSettings queue, AwsClients aws, KubernetesClient kubernetes) {
    this.settings = settings;
    this.kubernetes = kubernetes;
    Clock clock = Clock.systemUTC();
    // Drift is repaired within one resync period (plus the shared reads' short age): see ElbInventory.
    this.inventory = new ElbInventory(aws.elbV2(), queue.enabled()
        ? ElbInventory.maxAgeWithEvents(queue.verificationInterval(settings.resyncPeriod()))
        : ElbInventory.maxAgeFor(settings.resyncPeriod()), clock);
    this.network = new NetworkFacts(aws.ec2(), settings.resyncPeriod(), clock);
    this.chain = new ChainReconciler(aws, inventory, settings.formerClusterNames());
    this.routes = new RouteReconciler(aws, inventory, chain, settings.formerClusterNames());
    this.events = new KubernetesEvents(kubernetes);
    this.ownerTags = new OwnerTagCleanup(settings, inventory, aws.lambda(), clock);
    this.endpointServices = aws.endpointServices();
    this.rollouts = new RolloutReport(events);
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
    return changeEvents == null ? List.of() : List.of(changeEvents);
  }

  /** Discovery and clean-up by owner tags, shared with the periodic {@link OrphanSweep}. */
  public OwnerTagCleanup ownerTagCleanup() {
    return ownerTags;
  }

  @Override
  public UpdateControl<LambdaIngress> reconcile(LambdaIngress li, Context<LambdaIngress> context) {
    long generation = li.getMetadata().getGeneration();
    List<String> problems = new ArrayList<>(SpecValidation.ofSpec(li.getSpec()));
    // Before any AWS call: IAM would refuse these, with a message that names neither the field nor the setting.
    problems.addAll(SpecValidation.ofAllowLists(li.getSpec(), settings.allowedRoleArns(), settings.allowedFunctionArns()));
    problems.addAll(RouteValidation.ofSpec(li.getSpec()));
    problems.addAll(RouteValidation.ofAllowLists(li.getSpec(), settings.allowedRoleArns(), settings.allowedFunctionArns()));
    if (!problems.isEmpty()) {
      return failed(li, Reason.InvalidSpec, String.join("; ", problems), generation);
    }
    String vpc = resolveNetwork(li);
    ChainModel model = ChainModel.of(li, settings.clusterName(), vpc);
    changeIndex.put(ResourceID.fromResource(li), CloudTrailEvent.keysOf(model));
    AwsWrites writes = new AwsWrites(events, li);
    RecordedChain recorded = RecordedChain.of(li.getStatus());
    ownerTags.releaseStaticIps(model, writes);
    Optional<EndpointServicePlan> endpointPlan = EndpointServicePlan.of(li.getSpec());
    EndpointServiceStep endpoints = endpointServiceStep(model, writes);
    var previousEndpointService = li.getStatus() == null ? null : li.getStatus().getEndpointService();
    if (endpointPlan.isPresent() || previousEndpointService != null) {
      var verdict = inventory.loadBalancer(model.nlb().name()).map(lb -> LoadBalancerStep.compareImmutable(model.nlb().loadBalancer(), lb));
      endpoints.beforeNlb(model, endpointPlan, verdict.map(LoadBalancerStep.Verdict::replace).orElse(false),
          verdict.map(LoadBalancerStep.Verdict::why).orElse(""));
    }
    ChainReconciler.Outcome outcome;
    java.time.Instant now = java.time.Instant.now();
    CanaryStep.Input canary = RolloutReport.input(li, now);
    try {
      outcome = chain.apply(model, recorded, writes, canary);
    } catch (AwsFailure f) {
      // Our own failures (NameConflict, ...) carry no AWS code; Set.of().contains(null) would throw.
      if (f.awsErrorCode() == null || !STALE.contains(f.awsErrorCode())) {
        throw f;
      }
      // Something listed is gone (deleted out of band): list afresh and converge in this same run.
      log.atInfo().addKeyValue("object", key(li)).log("shared listing out of date ({}); listing again", f.awsErrorCode());
      inventory.listAfresh();
      outcome = chain.apply(model, recorded, writes, canary);
    }

    LambdaIngressStatus status = toStatus(outcome.status(), li.getStatus(), generation);
    if (endpointPlan.isPresent()) {
      status.setEndpointService(outcome.status().nlbArn() == null ? previousEndpointService
          : endpoints.ensure(model, endpointPlan.get(), outcome.status().nlbArn(), previousEndpointService, events, li));
    }
    // The routes' rules go on the chain's ALB listener: once the chain serves (their status kept till then).
    status.setRoutes(li.getStatus() == null ? null : li.getStatus().getRoutes());
    status.setRoutesReady(li.getStatus() == null ? null : li.getStatus().getRoutesReady());
    List<RouteModel> routeModels = RouteModel.of(li, settings.clusterName());
    RouteStep.Outcome routed = null;
    Optional<RolloutReport.Verdict> routeRollouts = Optional.empty();
    if (outcome.serves() && (!routeModels.isEmpty() || status.getRoutes() != null)) {
      Map<String, CanaryStep.Input> routeCanaries = RolloutReport.routeInputs(li, now);
      try {
        routed = routes.apply(model, routeModels, outcome.status().albListenerArn(), li.getStatus(), writes, routeCanaries);
      } catch (AwsFailure f) {
        if (f.awsErrorCode() == null || !STALE.contains(f.awsErrorCode())) {
          throw f;
        }
        // A route's target group deleted out of band, still in the shared listing: list afresh, converge now.
        inventory.listAfresh();
        routed = routes.apply(model, routeModels, outcome.status().albListenerArn(), li.getStatus(), writes, routeCanaries);
      }
      status.setRoutes(routed.routes().isEmpty() ? null : routed.routes());
      status.setRoutesReady(routed.routes().isEmpty() ? null
          : routed.routes().stream().filter(r -> Boolean.TRUE.equals(r.getReady())).count() + "/" + routed.routes().size());
      routeRollouts = rollouts.recordRoutes(li, routed.rollouts(), status.getRoutes(), now);
    }
    // Recorded before a pending route returns early: a rollout's state is never dropped from the status.
    Optional<RolloutReport.Verdict> rollout = RolloutReport.moreUrgent(rollouts.record(li, outcome.rollout(), status, now), routeRollouts);
    if (routed != null && routed.pending() != null) {
      ReadyCondition.set(li.getStatus(), status, false, Reason.Progressing.name(), routed.pending(), generation);
      return UpdateControl.patchStatus(withStatus(li, status)).rescheduleAfter(PROGRESS_POLL);
    }
    if (outcome.complete() && rollout.isPresent()) {
      RolloutReport.Verdict v = rollout.get();
      ReadyCondition.set(li.getStatus(), status, false, v.reason().name(), v.message(), generation);
      UpdateControl<LambdaIngress> patch = UpdateControl.patchStatus(withStatus(li, status));
      return v.requeue() == null ? patch : patch.rescheduleAfter(v.requeue());
    }
    if (outcome.complete()) {
      // The chain serves: only now may what carries our tags but is no longer part of it go.
      String cleaning = ownerTags.leftovers(model, outcome.status(), routed == null ? java.util.Set.of() : routed.wantedArns(),
          writes.count() > 0, writes);
      ReadyCondition.set(li.getStatus(), status, true, ReadyCondition.RECONCILED,
          writes.count() == 0 ? "the chain matches the spec" : "the chain matches the spec after " + writes.count() + " AWS write(s)",
          generation);
      UpdateControl<LambdaIngress> ready = UpdateControl.patchStatus(withStatus(li, status));
      return cleaning == null ? ready : ready.rescheduleAfter(PROGRESS_POLL);
    }
    ReadyCondition.set(li.getStatus(), status, false, Reason.Progressing.name(), outcome.pending(), generation);
    return UpdateControl.patchStatus(withStatus(li, status)).rescheduleAfter(PROGRESS_POLL);
  }

  private EndpointServiceStep endpointServiceStep(ChainModel model, AwsWrites writes) {
    return new EndpointServiceStep(endpointServices, Ownership.byTags(model.ownerTags(), settings.formerClusterNames()), writes);
  }

  /** Reads the spec's subnets and security groups, checks the network rules, returns the VPC. */
  private String resolveNetwork(LambdaIngress li) {
    Map<String, String> fields = SpecValidation.subnetFields(li.getSpec());
    Map<String, Ec2NetworkClient.Subnet> found;
    try {
      found = network.subnets(List.copyOf(fields.keySet()));
    } catch (AwsFailure f) {
      throw withField(f, fields);
    }
    Map<String, SubnetFacts> facts = new LinkedHashMap<>();
    found.forEach((id, s) -> facts.put(id, new SubnetFacts(s.vpcId(), s.cidrBlock(), s.availabilityZone())));
    Map<String, String> groups = network.securityGroupVpcs(List.copyOf(SpecValidation.securityGroups(li.getSpec())));
    List<String> problems = SpecValidation.ofNetwork(li.getSpec(), facts, groups);
    if (!problems.isEmpty()) {
      throw new AwsFailure(Reason.InvalidSpec, String.join("; ", problems));
    }
    return facts.values().iterator().next().vpcId();
  }

  /** "subnet X does not exist" becomes "spec.alb.subnets[1]: subnet X does not exist". */
  private static AwsFailure withField(AwsFailure f, Map<String, String> fields) {
    return fields.entrySet().stream().filter(e -> f.getMessage().contains(e.getKey())).findFirst()
        .map(e -> new AwsFailure(f.reason(), e.getValue() + ": " + f.getMessage(), f.awsErrorCode(), f))
        .orElse(f);
  }

  private UpdateControl<LambdaIngress> failed(LambdaIngress li, Reason reason, String message, long generation) {
    return UpdateControl.patchStatus(notReady(li, reason, message, generation));
  }

  /**
   * The status patch for Ready=False: the last known pieces kept, and the Event of the failure (Normal or
   * Warning by the Reason table), which repeats aggregate into one with a count (see {@link KubernetesEvents}).
   */
  private LambdaIngress notReady(LambdaIngress li, Reason reason, String message, long generation) {
    LambdaIngressStatus status = li.getStatus() == null ? new LambdaIngressStatus() : copy(li.getStatus());
    status.setObservedGeneration(generation);
    report(li, reason, message);
    ReadyCondition.set(li.getStatus(), status, false, reason.name(), message, generation);
    return withStatus(li, status);
  }

  @Override
  public ErrorStatusUpdateControl<LambdaIngress> updateErrorStatus(LambdaIngress li, Context<LambdaIngress> context, Exception thrown) {
    return failure(li, context, thrown, "")
        .map(f -> ErrorStatusUpdateControl.patchStatus(notReady(li, f.reason(), f.message(), li.getMetadata().getGeneration())))
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  /** A failed attempt as the user sees it: reason and one-line message. */
  private record Failure(Reason reason, String message) {}

  /**
   * Logs a failed attempt and says what to report, or nothing while throttling is still being retried
   * quietly. {@code prefix} says what was being done ("" for a reconcile).
   */
  private static Optional<Failure> failure(LambdaIngress li, Context<LambdaIngress> context, Throwable thrown, String prefix) {
    // JOSDK hands us its own OperatorException wrapping what reconcile threw: report the cause.
    Throwable e = rootAwsFailure(thrown);
    Reason reason = e instanceof AwsFailure f ? f.reason() : Reason.AwsError;
    int attempt = context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(1);
    if (reason == Reason.AwsThrottled && attempt < QUIET_ATTEMPTS) {
      log.atInfo().addKeyValue("object", key(li)).addKeyValue("attempt", attempt).log("throttled by AWS; retrying with backoff");
      return Optional.empty();
    }
    if (e instanceof AwsFailure f && f.isServerError() && attempt < QUIET_ATTEMPTS) {
      log.atInfo().addKeyValue("object", key(li)).addKeyValue("attempt", attempt).log("AWS answered {}; retrying with backoff",
          f.awsErrorCode());
      return Optional.empty();
    }
    String message = prefix + (e instanceof AwsFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage());
    if (e instanceof AwsFailure f && f.reasonIfItPersists() != null && attempt >= PROPAGATION_ATTEMPTS) {
      reason = f.reasonIfItPersists();
      message = message + " (still refused after " + attempt + " attempts: not a propagation delay)";
    }
    // Reason's table decides the log level here and the Event type in report: waiting needs nobody.
    var line = (reason.healsByItself() ? log.atInfo() : log.atWarn())
        .addKeyValue("object", key(li)).addKeyValue("reason", reason).addKeyValue("attempt", attempt);
    // An AWS failure is fully said by its message; anything else is a bug of ours: keep its stack.
    (e instanceof AwsFailure ? line : line.setCause(e)).log("{}", message);
    return Optional.of(new Failure(reason, message));
  }

  private static Throwable rootAwsFailure(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof AwsFailure) {
        return t;
      }
    }
    return thrown;
  }

  @Override
  public DeleteControl cleanup(LambdaIngress li, Context<LambdaIngress> context) {
    ChainModel model = ChainModel.of(li, settings.clusterName(), null);
    if (model.deletionPolicy() == DeletionPolicy.Retain) {
      ownerTags.markRetained(model, new AwsWrites(events, li));
      events.normal(li, "Retained", "deletionPolicy Retain: the AWS resources stay (tagged with this object's owner tags)");
      return DeleteControl.defaultDelete();
    }
    String waiting;
    try {
      AwsWrites writes = new AwsWrites(events, li);
      // Rules first (they forward to the routes' groups), then the routes' groups and functions, then the chain.
      waiting = routes.delete(model, RouteModel.of(li, settings.clusterName()), writes);
      if (waiting == null) {
        // AWS deletes an NLB only once no endpoint service uses it, and a service only once its connections are rejected.
        waiting = endpointServiceStep(model, writes).deleteAll("object deleted");
      }
      if (waiting == null) {
        waiting = chain.delete(model, writes);
      }
      if (waiting == null) {
        waiting = ownerTags.remainder(model, writes);
      }
    } catch (RuntimeException e) {
      // JOSDK retries a failed cleanup with backoff but shows nothing: say it on the object, then let it retry.
      failure(li, context, e, "deletion failed: ").ifPresent(f -> reportDeletionFailure(li, f, context.getControllerConfiguration().fieldManager()));
      throw e;
    }
    if (waiting != null) {
      log.atInfo().addKeyValue("object", key(li)).log("deletion waits: {}", waiting);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(PROGRESS_POLL.toMillis());
    }
    changeIndex.remove(ResourceID.fromResource(li));
    return DeleteControl.defaultDelete();
  }

  /**
   * Ready=False with the failure's reason and what to do, and the Warning Event. Written here because a
   * cleanup cannot return a status patch; same field manager as JOSDK's own status patches.
   */
  private void reportDeletionFailure(LambdaIngress li, Failure f, String fieldManager) {
    String message = f.message() + ". The object stays until the deletion succeeds (retried with backoff): fix the cause"
        + " (docs/troubleshooting.md#" + f.reason().name().toLowerCase(java.util.Locale.ROOT) + "), or set"
        + " spec.deletionPolicy: Retain to let the object go and keep its AWS resources";
    LambdaIngress patch = notReady(li, f.reason(), message, li.getMetadata().getGeneration());
    try {
      kubernetes.resource(patch).subresource("status").patch(new PatchContext.Builder()
          .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(fieldManager).withForce(true).build());
    } catch (KubernetesClientException e) {
      log.atWarn().addKeyValue("object", key(li)).log("could not set the deletion failure on the status: {}", e.getMessage());
    }
  }

  /**
   * The Event of a failed attempt: Warning when a person must act, Normal when it heals by itself (the
   * Reason table says which). Repeats aggregate into one Event with a count ({@link KubernetesEvents}).
   */
  private void report(LambdaIngress li, Reason reason, String message) {
    if (reason.healsByItself()) {
      events.normal(li, reason.name(), message);
    } else {
      events.warning(li, reason.name(), message);
    }
  }

  /**
   * The status of a run. A run that stopped early (AWS still busy) knows only part of the chain: the
   * pieces it did not reach keep what the previous status said rather than going blank.
   */
  private static LambdaIngressStatus toStatus(ChainReconciler.ChainStatus s, LambdaIngressStatus previous, long generation) {
    LambdaIngressStatus status = new LambdaIngressStatus();
    status.setObservedGeneration(generation);
    status.setNlb(s.nlbArn() != null ? piece(s.nlbArn(), s.nlbDnsName(), s.nlbListenerArn(), s.nlbTargetGroupArn())
        : previous == null ? null : previous.getNlb());
    status.setAlb(s.albArn() != null ? piece(s.albArn(), s.albDnsName(), s.albListenerArn(), s.lambdaTargetGroupArn())
        : previous == null ? null : previous.getAlb());
    status.setEndpoint(status.getNlb() == null ? null : status.getNlb().getDnsName());
    LambdaStatus lambda = new LambdaStatus();
    lambda.setFunctionArn(s.functionArn());
    lambda.setImageDigest(s.imageDigest());
    lambda.setPermissionStatementId(s.permissionStatementId());
    status.setLambda(lambda);
    return status;
  }

  private static LoadBalancerStatus piece(String arn, String dns, String listener, String targetGroup) {
    LoadBalancerStatus p = new LoadBalancerStatus();
    p.setArn(arn);
    p.setDnsName(dns);
    p.setListenerArn(listener);
    p.setTargetGroupArn(targetGroup);
    return p;
  }

  private static LambdaIngressStatus copy(LambdaIngressStatus s) {
    LambdaIngressStatus c = new LambdaIngressStatus();
    c.setObservedGeneration(s.getObservedGeneration());
    c.setEndpoint(s.getEndpoint());
    c.setNlb(s.getNlb());
    c.setAlb(s.getAlb());
    c.setLambda(s.getLambda());
    c.setEndpointService(s.getEndpointService());
    c.setRoutes(s.getRoutes());
    c.setRoutesReady(s.getRoutesReady());
    c.setConditions(s.getConditions());
    return c;
  }

  /**
   * A fresh object carrying only the status: JOSDK applies it to the status subresource with server-side
   * apply, where a resourceVersion would turn the patch into an optimistic lock and fail on any concurrent write.
   */
  private static LambdaIngress withStatus(LambdaIngress li, LambdaIngressStatus status) {
    LambdaIngress patch = new LambdaIngress();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(li.getMetadata().getName())
        .withNamespace(li.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return patch;
  }

  private static String key(LambdaIngress li) {
    return li.getMetadata().getNamespace() + "/" + li.getMetadata().getName();
  }
}
