package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
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
import io.lambdaingress.operator.model.SpecValidation;
import io.lambdaingress.operator.model.SpecValidation.SubnetFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  // Throttling is retried quietly; only when it persists past this many attempts does Ready say so.
  private static final int QUIET_THROTTLE_ATTEMPTS = 3;

  // AWS error codes that mean "the shared listing was out of date", not "the spec is wrong".
  private static final java.util.Set<String> STALE = java.util.Set.of("LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound");

  private final OperatorSettings settings;
  private final ElbInventory inventory;
  private final NetworkFacts network;
  private final ChainReconciler chain;
  private final KubernetesEvents events;

  public LambdaIngressReconciler(OperatorSettings settings, AwsClients aws, KubernetesClient kubernetes) {
    this.settings = settings;
    Clock clock = Clock.systemUTC();
    // Drift is repaired within one resync period (plus the shared reads' short age): see ElbInventory.
    this.inventory = new ElbInventory(aws.elbV2(), ElbInventory.maxAgeFor(settings.resyncPeriod()), clock);
    this.network = new NetworkFacts(aws.ec2(), settings.resyncPeriod(), clock);
    this.chain = new ChainReconciler(aws, inventory);
    this.events = new KubernetesEvents(kubernetes);
  }

  @Override
  public UpdateControl<LambdaIngress> reconcile(LambdaIngress li, Context<LambdaIngress> context) {
    long generation = li.getMetadata().getGeneration();
    List<String> problems = SpecValidation.ofSpec(li.getSpec());
    if (!problems.isEmpty()) {
      return failed(li, Reason.InvalidSpec, String.join("; ", problems), generation);
    }
    String vpc = resolveNetwork(li);
    ChainModel model = ChainModel.of(li, settings.clusterName(), vpc);
    AwsWrites writes = new AwsWrites(events, li);
    RecordedChain recorded = RecordedChain.of(li.getStatus());
    ChainReconciler.Outcome outcome;
    try {
      outcome = chain.apply(model, recorded, writes);
    } catch (AwsFailure f) {
      // Our own failures (NameConflict, ...) carry no AWS code; Set.of().contains(null) would throw.
      if (f.awsErrorCode() == null || !STALE.contains(f.awsErrorCode())) {
        throw f;
      }
      // Something listed is gone (deleted out of band): list afresh and converge in this same run.
      log.atInfo().addKeyValue("object", key(li)).log("shared listing out of date ({}); listing again", f.awsErrorCode());
      inventory.forgetListing();
      outcome = chain.apply(model, recorded, writes);
    }

    LambdaIngressStatus status = toStatus(outcome.status(), li.getStatus(), generation);
    if (outcome.complete()) {
      ReadyCondition.set(li.getStatus(), status, true, ReadyCondition.RECONCILED,
          writes.count() == 0 ? "the chain matches the spec" : "the chain matches the spec after " + writes.count() + " AWS write(s)",
          generation);
      return UpdateControl.patchStatus(withStatus(li, status));
    }
    ReadyCondition.set(li.getStatus(), status, false, ReadyCondition.PROGRESSING, outcome.pending(), generation);
    return UpdateControl.patchStatus(withStatus(li, status)).rescheduleAfter(PROGRESS_POLL);
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

  /** The status patch for Ready=False: the last known pieces kept, one Warning Event per distinct failure. */
  private LambdaIngress notReady(LambdaIngress li, Reason reason, String message, long generation) {
    LambdaIngressStatus status = li.getStatus() == null ? new LambdaIngressStatus() : copy(li.getStatus());
    status.setObservedGeneration(generation);
    warnIfNew(li, reason.name(), message);
    ReadyCondition.set(li.getStatus(), status, false, reason.name(), message, generation);
    return withStatus(li, status);
  }

  @Override
  public ErrorStatusUpdateControl<LambdaIngress> updateErrorStatus(LambdaIngress li, Context<LambdaIngress> context, Exception thrown) {
    // JOSDK hands us its own OperatorException wrapping what reconcile threw: report the cause.
    Throwable e = rootAwsFailure(thrown);
    Reason reason = e instanceof AwsFailure f ? f.reason() : Reason.AwsError;
    int attempt = context.getRetryInfo().map(r -> r.getAttemptCount()).orElse(1);
    if (reason == Reason.AwsThrottled && attempt < QUIET_THROTTLE_ATTEMPTS) {
      log.atInfo().addKeyValue("object", key(li)).addKeyValue("attempt", attempt).log("throttled by AWS; retrying with backoff");
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String message = e instanceof AwsFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    var warning = log.atWarn().addKeyValue("object", key(li)).addKeyValue("reason", reason).addKeyValue("attempt", attempt);
    // An AWS failure is fully said by its message; anything else is a bug of ours: keep its stack.
    (e instanceof AwsFailure ? warning : warning.setCause(e)).log("{}", message);
    return ErrorStatusUpdateControl.patchStatus(notReady(li, reason, message, li.getMetadata().getGeneration()));
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
      events.normal(li, "Retained", "deletionPolicy Retain: the AWS resources stay (tagged with this object's owner tags)");
      return DeleteControl.defaultDelete();
    }
    String waiting = chain.delete(model, new AwsWrites(events, li));
    if (waiting != null) {
      log.atInfo().addKeyValue("object", key(li)).log("deletion waits: {}", waiting);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(PROGRESS_POLL.toMillis());
    }
    return DeleteControl.defaultDelete();
  }

  /** One Warning Event per distinct failure, not one per retry. */
  private void warnIfNew(LambdaIngress li, String reason, String message) {
    boolean same = ReadyCondition.of(li.getStatus())
        .filter(c -> reason.equals(c.getReason()) && Objects.equals(message, c.getMessage())).isPresent();
    if (!same) {
      events.warning(li, reason, message);
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
