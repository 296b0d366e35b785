package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.aws.EcrImageClient.PinnedImage;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.ImageRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Converges AWS on one object's desired chain, in dependency order, each step observe -> diff -> the
 * minimal write:
 *
 * <ol>
 *   <li>lambda target group, function, invoke permission, function registered in the group;
 *   <li>ALB and its HTTP listener forwarding to the lambda target group;
 *   <li>the NLB's {@code alb} target group, and the ALB registered in it (AWS refuses that registration
 *       until the ALB has a listener on the port, hence after 2);
 *   <li>NLB and its TCP listener forwarding to the alb target group.
 * </ol>
 *
 * Every step finds its resource by the name the model derives before it creates anything, and tags go in
 * the create call itself, so a crash between any two writes converges on the next run with no duplicate
 * and no untagged resource.
 */
public final class ChainReconciler {

  /** What the chain looks like after a run; {@code pending} says why it is not complete yet (requeue soon). */
  /** @param draining the chain serves; only an old lambda target group is left, kept for a while ({@link LambdaSwitch}) */
  public record Outcome(ChainStatus status, String pending, CanaryStep.Result rollout, boolean draining) {
    public Outcome(ChainStatus status, String pending) {
      this(status, pending, null);
    }

    public Outcome(ChainStatus status, String pending, CanaryStep.Result rollout) {
      this(status, pending, rollout, false);
    }

    public boolean complete() {
      return pending == null;
    }

    /** The ALB listener forwards where it should: the routes' rules may be converged on it. */
    public boolean serves() {
      return complete() || draining;
    }
  }

  /** The ARNs and names a run leaves behind: the object's status pieces. */
  public record ChainStatus(String nlbArn, String nlbDnsName, String nlbListenerArn, String nlbTargetGroupArn,
      String albArn, String albDnsName, String albListenerArn, String lambdaTargetGroupArn,
      String functionArn, String imageDigest, String permissionStatementId) {}

  private final AwsClients aws;
  private final ElbInventory inventory;
  private final Set<String> formerClusters;
  private final ImageDigests images;

  /** @param formerClusters former names of this cluster: what carries them is ours too ({@link Ownership}) */
  public ChainReconciler(AwsClients aws, ElbInventory inventory, Set<String> formerClusters) {
    this.aws = aws;
    this.inventory = inventory;
    this.formerClusters = Set.copyOf(formerClusters);
    this.images = new ImageDigests(aws.ecr(), inventory.maxAge(), java.time.Clock.systemUTC());
  }

  /**
   * @param recorded what the status last recorded: our resources even without their owner tags, and the
   *     function it last named (when the spec now names another function, the previous one is deregistered
   *     and, if it is ours, deleted once the new one serves)
   */
  public Outcome apply(ChainModel desired, RecordedChain recorded, AwsWrites writes) {
    return apply(desired, recorded, writes, null);
  }

  /** @param canary the rollout's spec and state, or null: the function itself is the target, as without rollout */
  public Outcome apply(ChainModel desired, RecordedChain recorded, AwsWrites writes, CanaryStep.Input canary) {
    Ownership ownership = new Ownership(desired.ownerTags(), formerClusters, recorded.identities());
    String previousFunctionArn = recorded.previousFunctionArn();
    ElbV2Client elb = aws.elbV2();
    TargetGroupStep targetGroups = new TargetGroupStep(inventory, ownership, writes);
    LoadBalancerStep loadBalancers = new LoadBalancerStep(inventory, ownership, writes);
    ListenerStep listeners = new ListenerStep(inventory, writes);
    FunctionStep functions = new FunctionStep(aws.lambda(), ownership, writes);

    // 1. The Lambda side. Replacing the lambda target group would need its listener detached first; it has
    //    no immutable setting the spec can change, so a replacement only happens after out-of-band edits.
    //    With a rollout ELB invokes the alias through its own group, without it the function through the
    //    other (LambdaSwitch: a switch moves the listener between them, never empties a group in use).
    ChainModel.AlbSide alb = desired.alb();
    boolean viaAlias = canary != null && desired.function().isPresent();
    LambdaSwitch lambdaSwitch = new LambdaSwitch(inventory, ownership, writes, desired.lambdaTargetGroup(!viaAlias).name(),
        "the ALB listener");
    TargetGroup lambdaTargets = targetGroups.ensure("lambda target group", desired.lambdaTargetGroup(viaAlias),
        alb.lambdaTargetGroupAttributes(), replaced -> detachListenersForwardingTo(ownership, writes, "ALB", alb.name(), replaced));
    String functionArn;
    String digest = null;
    if (desired.function().isPresent()) {
      ChainModel.ManagedFunction fn = desired.function().get();
      PinnedImage image = pin(fn.image());
      digest = image.digest();
      FunctionStep.Result result = functions.ensureManaged(fn.request(image.uri()));
      functionArn = result.functionArn();
      if (result.busy()) {
        return new Outcome(partial(null, null, lambdaTargets, functionArn, digest, desired), "function " + fn.name() + " is being updated by AWS");
      }
    } else {
      functionArn = functions.requireExisting(desired.existingFunctionArn());
    }
    CanaryStep.Result rollout = null;
    CanaryStep canarySide = new CanaryStep(aws.lambdaVersions(), aws.alarms(), writes);
    InvokePermission permission = new InvokePermission(functions, canarySide, desired.permissionStatementId(), "");
    String target = functionArn;
    if (viaAlias) {
      rollout = canarySide.apply(desired.function().get().name(), digest, canary);
      target = rollout.aliasArn();
    }
    boolean justPermitted = permission.grant(functionArn, viaAlias, lambdaTargets.targetGroupArn());
    if (justPermitted && lambdaSwitch.underWay()) {
      // The listener still forwards to the other group, which serves: register once the permission propagated.
      return new Outcome(partial(null, null, lambdaTargets, functionArn, digest, desired),
          "the invoke permission of " + target + " is propagating", rollout);
    }
    targetGroups.ensureOnlyTarget("lambda target group", lambdaTargets, target, null);
    if (previousFunctionArn != null && !previousFunctionArn.equals(functionArn)) {
      functions.retire(previousFunctionArn, desired.permissionStatementId());
    }

    // 2. ALB + listener.
    Optional<LoadBalancer> albLb = loadBalancers.ensure("ALB", alb.loadBalancer(), alb.attributes());
    if (albLb.isEmpty()) {
      return new Outcome(partial(null, null, lambdaTargets, functionArn, digest, desired), "ALB " + alb.name() + " is being replaced");
    }
    Listener albListener = listeners.ensure("ALB", albLb.get().loadBalancerArn(), ProtocolEnum.HTTP, alb.listenerPort(),
        lambdaTargets.targetGroupArn());
    // The listener forwards to the new group now: the other group goes once drained, then the old target's
    // permission; the NLB side is converged meanwhile.
    String draining = lambdaSwitch.retireOtherGroup(java.time.Instant.now());
    if (draining == null && desired.function().isPresent()) {
      CanaryStep.Result removed = permission.retireOther(functionArn, desired.function().get().name(), viaAlias, recorded.rolloutWasOn());
      rollout = removed != null ? removed : rollout;
    }

    // 3. The NLB's target group (type alb) and the ALB registered in it, on the ALB listener's port.
    ChainModel.NlbSide nlb = desired.nlb();
    TargetGroup albTargets = targetGroups.ensure("alb target group", nlb.albTargetGroup(), Map.of(),
        replaced -> detachListenersForwardingTo(ownership, writes, "NLB", nlb.name(), replaced));
    targetGroups.ensureOnlyTarget("alb target group", albTargets, albLb.get().loadBalancerArn(), alb.listenerPort());

    // 4. NLB + listener.
    Optional<LoadBalancer> nlbLb = loadBalancers.ensure("NLB", nlb.loadBalancer(), nlb.attributes());
    if (nlbLb.isEmpty()) {
      return new Outcome(partial(albLb.get(), albListener, lambdaTargets, functionArn, digest, desired),
          "NLB " + nlb.name() + " is being replaced");
    }
    Listener nlbListener = listeners.ensure("NLB", nlbLb.get().loadBalancerArn(), ProtocolEnum.TCP, nlb.listenerPort(),
        albTargets.targetGroupArn());

    return new Outcome(new ChainStatus(nlbLb.get().loadBalancerArn(), nlbLb.get().dnsName(), nlbListener.listenerArn(),
        albTargets.targetGroupArn(), albLb.get().loadBalancerArn(), albLb.get().dnsName(), albListener.listenerArn(),
        lambdaTargets.targetGroupArn(), functionArn, digest, desired.permissionStatementId()), draining, rollout, draining != null);
  }

  /**
   * After a change event naming these resources ({@link io.lambdaingress.operator.model.CloudTrailEvent#keys}):
   * the shared reads of them are dropped, so the reconcile it triggers sees AWS as it is now.
   */
  void forgetReadsOf(Set<String> keys) {
    for (String key : keys) {
      String[] kind = key.split(":", 2);
      switch (kind[0]) {
        case "lb" -> inventory.forgetLoadBalancer(kind[1]);
        case "tg" -> inventory.forgetTargetGroup(kind[1]);
        case "image" -> images.forget(kind[1].substring(0, kind[1].lastIndexOf(':')));
        default -> { } // functions: read afresh by every reconcile (GetFunction)
      }
    }
  }

  /** The image by digest: as given, or the tag's current digest in its registry (Lambda needs our region). */
  PinnedImage pin(ImageRef image) {
    String[] pinned = image.pinnedParts();
    if (pinned != null) {
      return new PinnedImage(pinned[0], pinned[1]);
    }
    if (image.region() != null && !image.region().equals(aws.region())) {
      throw new AwsFailure(io.lambdaingress.operator.aws.Reason.InvalidSpec, "spec.lambda.function.image.uri: the image is in "
          + image.region() + " but the function is in " + aws.region() + "; Lambda runs images from its own region only");
    }
    return images.resolve(image.registryId(), image.repository(), image.tag());
  }

  /** A run that stopped early: the NLB side is not known yet (the caller keeps the previous status for it). */
  private static ChainStatus partial(LoadBalancer alb, Listener albListener, TargetGroup lambdaTargets,
      String functionArn, String digest, ChainModel desired) {
    return new ChainStatus(null, null, null, null,
        alb == null ? null : alb.loadBalancerArn(), alb == null ? null : alb.dnsName(),
        albListener == null ? null : albListener.listenerArn(), lambdaTargets.targetGroupArn(), functionArn, digest,
        desired.permissionStatementId());
  }


  /**
   * Before a target group is replaced: delete the listeners that forward to it on our load balancer, and no
   * other (a listener someone added on another port, or a load balancer of that name without our owner
   * tags, is left alone; AWS then refuses the group's deletion with ResourceInUse, which the user sees).
   */
  private void detachListenersForwardingTo(Ownership ownership, AwsWrites writes, String kind,
      String loadBalancerName, String targetGroupArn) {
    ElbV2Client elb = aws.elbV2();
    Optional<LoadBalancer> lb = elb.loadBalancer(loadBalancerName);
    if (lb.isEmpty()) {
      return;
    }
    Map<String, String> tags = tagsOf(elb, lb.get().loadBalancerArn());
    for (Listener l : ListenerStep.detachable(ownership, tags, elb.listeners(lb.get().loadBalancerArn()), targetGroupArn)) {
      elb.deleteListener(l.listenerArn());
      inventory.forgetListeners(lb.get().loadBalancerArn());
      writes.announce("Deleted", kind + " listener " + l.protocolAsString() + ":" + l.port(), "it forwards to the target group being replaced");
    }
  }

  /**
   * Deletes what this object owns, in the reverse of the creation order: NLB, its alb target group, ALB,
   * the lambda target group, then the function (or, for an existing function, only our permission).
   * Returns why it must be called again (AWS still holds a target group for a load balancer being
   * deleted), or null when nothing of ours is left. Resources without our owner tags are never touched.
   */
  public String delete(ChainModel desired, AwsWrites writes) {
    Ownership ownership = Ownership.byTags(desired.ownerTags(), formerClusters);
    ElbV2Client elb = aws.elbV2();
    // Deletion reads AWS afresh (no shared listing): it must see exactly what is there now.
    inventory.forgetLoadBalancer(desired.nlb().name());
    inventory.forgetLoadBalancer(desired.alb().name());
    inventory.forgetTargetGroup(desired.nlb().albTargetGroup().name());
    inventory.forgetTargetGroup(desired.alb().lambdaTargetGroup().name());
    inventory.forgetTargetGroup(desired.names().lambdaAliasTargetGroup());
    try {
      deleteLoadBalancer(elb, ownership, writes, "NLB", desired.nlb().name());
    } catch (AwsFailure f) {
      if (!"ResourceInUse".equals(f.awsErrorCode())) {
        throw f;
      }
      // Ours were deleted before (EndpointServiceStep): what still uses the NLB is someone else's.
      String arn = elb.loadBalancer(desired.nlb().name()).map(LoadBalancer::loadBalancerArn).orElse("");
      throw new AwsFailure(f.reason(), "NLB " + desired.nlb().name() + " is used by endpoint service(s) "
          + EndpointServiceStep.usersOf(aws.endpointServices(), arn) + " without this object's owner tags: AWS deletes the NLB "
          + "only once no endpoint service uses it; delete that service (or take the NLB out of it)", f.awsErrorCode(), f);
    }
    if (!deleteTargetGroup(elb, ownership, writes, "alb target group", desired.nlb().albTargetGroup().name())) {
      return "alb target group " + desired.nlb().albTargetGroup().name() + " is still in use by the NLB being deleted";
    }
    deleteLoadBalancer(elb, ownership, writes, "ALB", desired.alb().name());
    for (String group : List.of(desired.alb().lambdaTargetGroup().name(), desired.names().lambdaAliasTargetGroup())) {
      if (!deleteTargetGroup(elb, ownership, writes, "lambda target group", group)) {
        return "lambda target group " + group + " is still in use by the ALB being deleted";
      }
    }
    if (desired.function().isPresent()) {
      String name = desired.function().get().name();
      var fn = aws.lambda().function(name);
      if (fn.isPresent() && ownership.owns(fn.get().tags() == null ? Map.of() : fn.get().tags())) {
        aws.lambda().delete(name);
        writes.announce("Deleted", "function " + name, "object deleted");
      }
    } else {
      String arn = desired.existingFunctionArn();
      boolean ours = aws.lambda().function(arn).isPresent()
          && aws.lambda().policy(arn).stream().anyMatch(s -> desired.permissionStatementId().equals(s.sid()));
      if (ours) {
        aws.lambda().removePermission(arn, desired.permissionStatementId());
        writes.announce("Deleted", "permission " + desired.permissionStatementId() + " on " + arn, "object deleted");
      }
    }
    return null;
  }

  private static void deleteLoadBalancer(ElbV2Client elb, Ownership ownership, AwsWrites writes, String kind, String name) {
    Optional<LoadBalancer> found = elb.loadBalancer(name);
    if (found.isPresent() && ownership.owns(tagsOf(elb, found.get().loadBalancerArn()))) {
      elb.deleteLoadBalancer(found.get().loadBalancerArn());
      writes.announce("Deleted", kind + " " + name, "object deleted");
    }
  }

  /** False while AWS still reports the group in use (its load balancer's deletion has not gone through). */
  private static boolean deleteTargetGroup(ElbV2Client elb, Ownership ownership, AwsWrites writes, String kind, String name) {
    Optional<TargetGroup> tg = elb.targetGroup(name);
    if (tg.isEmpty() || !ownership.owns(tagsOf(elb, tg.get().targetGroupArn()))) {
      return true;
    }
    try {
      elb.deleteTargetGroup(tg.get().targetGroupArn());
      writes.announce("Deleted", kind + " " + name, "object deleted");
      return true;
    } catch (AwsFailure f) {
      if ("ResourceInUse".equals(f.awsErrorCode())) {
        return false;
      }
      throw f;
    }
  }

  private static Map<String, String> tagsOf(ElbV2Client elb, String arn) {
    return elb.tags(List.of(arn)).getOrDefault(arn, Map.of());
  }
}
