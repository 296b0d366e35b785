package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.AlbRetirement;
import io.lambdaingress.operator.model.AlbSlot;
import io.lambdaingress.operator.kinds.EndpointServiceStep;
import io.lambdaingress.operator.kinds.FunctionStep;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.kinds.TargetGroupStep;
import io.lambdaingress.operator.kinds.UpdateAttempts;
import io.lambdaingress.operator.kinds.LoadBalancerStep;
import io.lambdaingress.operator.cache.ImageDigests;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.AwsFailure;
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
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;

/**
 * Converges AWS on one object's desired chain, in dependency order, each step observe -> diff -> the
 * minimal write:
 *
 * <ol>
 *   <li>lambda target group, function, invoke permission, function registered in the group;
 *   <li>ALB and its HTTP listener forwarding to the lambda target group;
 *   <li>the NLB's {@code alb} target group, and the ALB registered in it (AWS refuses that registration
 *       until the ALB has a listener on the port, hence after 2);
 *   <li>NLB and its TCP listener forwarding to the alb target group;
 *   <li>then whether AWS serves it: Ready only once both load balancers are active and the NLB's health
 *       check of the ALB passes ({@link ServingSignals}).
 * </ol>
 *
 * Every step finds its resource by the name the model derives before it creates anything, and tags go in
 * the create call itself, so a crash between any two writes converges on the next run with no duplicate
 * and no untagged resource.
 */
public final class ChainReconciler {

  /**
   * What the chain looks like after a run; {@code pending} says why it is not complete yet (requeue soon).
   *
   * @param forwards every resource of the chain is converged, the ALB listener forwards where it should, and
   *     only AWS is still finishing: an old lambda target group draining ({@link LambdaSwitch}), a load
   *     balancer provisioning, the NLB's health check of the ALB not passed yet ({@link ServingSignals})
   */
  public record Outcome(ChainStatus status, String pending, CanaryStep.Result rollout, boolean forwards) {
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
      return complete() || forwards;
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
  private final UpdateAttempts updateAttempts = new UpdateAttempts();

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
  public Outcome apply(ChainModel model, RecordedChain recorded, AwsWrites writes, CanaryStep.Input canary) {
    Ownership ownership = new Ownership(model.ownerTags(), formerClusters, recorded.identities());
    String previousFunctionArn = recorded.previousFunctionArn();
    TargetGroupStep targetGroups = new TargetGroupStep(inventory, ownership, writes);
    LoadBalancerStep loadBalancers = new LoadBalancerStep(inventory, ownership, writes);
    ListenerStep listeners = new ListenerStep(inventory, writes);
    FunctionStep functions = new FunctionStep(aws.lambda(), ownership, writes, updateAttempts);
    AlbRetirement retirement = new AlbRetirement(inventory, ownership, writes);

    // 0. Which of the two ALB sides the spec is built in (AlbSlot): the other one, if it exists, is an ALB
    //    being replaced, and serves until the NLB listener moves.
    AlbSlot forwarded = forwardedSlot(model);
    AlbSlot.Fit[] fits = {fit(model, AlbSlot.FIRST, ownership), fit(model, AlbSlot.SECOND, ownership)};
    AlbSlot slot = AlbSlot.wanted(fits[0], fits[1], forwarded);
    ChainModel desired = model.inSlot(slot);
    ChainModel old = model.inSlot(slot.other());

    // 1. The Lambda side. Replacing the lambda target group would need its listener detached first; it has
    //    no immutable setting the spec can change, so a replacement only happens after out-of-band edits.
    //    With a rollout ELB invokes the alias through its own group, without it the function through the
    //    other (LambdaSwitch: a switch moves the listener between them, never empties a group in use).
    ChainModel.AlbSide alb = desired.alb();
    boolean viaAlias = canary != null && desired.function().isPresent();
    LambdaSwitch lambdaSwitch = new LambdaSwitch(inventory, ownership, writes, desired.lambdaTargetGroup(!viaAlias).name(),
        "the ALB listener");
    TargetGroup lambdaTargets = targetGroups.ensure("lambda target group", desired.lambdaTargetGroup(viaAlias),
        alb.lambdaTargetGroupAttributes(), replaced -> listeners.detach(ownership, "ALB", alb.name(), replaced));
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
    if (justPermitted && (lambdaSwitch.underWay() || forwarded == slot.other())) {
      // The listener (or, for a new ALB side, the NLB) still forwards to the other group, which serves: register
      // once the permission propagated.
      return new Outcome(partial(null, null, lambdaTargets, functionArn, digest, desired),
          "the invoke permission of " + target + " is propagating", rollout);
    }
    targetGroups.ensureOnlyTarget("lambda target group", lambdaTargets, target, null);
    if (previousFunctionArn != null && !previousFunctionArn.equals(functionArn)) {
      functions.retire(previousFunctionArn, desired.permissionStatementId());
    }

    // 2. ALB + listener (never replaced here: a creation-only change builds the other side, step 0).
    if (fits[slot.ordinal()] == AlbSlot.Fit.ABSENT && fits[slot.other().ordinal()] == AlbSlot.Fit.DIFFERS) {
      LoadBalancer replaced = inventory.loadBalancer(old.alb().name()).orElseThrow();
      writes.announce("Replacing", "ALB " + old.alb().name(), LoadBalancerStep.compareImmutable(desired.alb().loadBalancer(), replaced).why()
          + " (only settable at creation): ALB " + desired.alb().name() + " is built beside it, the NLB moves to it once it serves, "
          + "then the old one is drained and deleted");
    }
    if (fits[slot.ordinal()] == AlbSlot.Fit.DIFFERS) {
      // Both sides exist and neither fits (an out-of-band re-creation): this one serves nothing, rebuilt in place.
      String gone = retirement.albGone(side(desired), "its creation-only settings differ from the spec and the NLB does not use it");
      if (gone != null) {
        return new Outcome(partial(null, null, lambdaTargets, functionArn, digest, desired), gone, rollout);
      }
    }
    LoadBalancer albLb = loadBalancers.ensure("ALB", alb.loadBalancer(), alb.attributes()).orElseThrow();
    Listener albListener = listeners.ensure("ALB", albLb.loadBalancerArn(), ProtocolEnum.HTTP, alb.listenerPort(),
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
        replaced -> listeners.detach(ownership, "NLB", nlb.name(), replaced));
    Optional<TargetHealth> albHealth = targetGroups.ensureOnlyTarget("alb target group", albTargets,
        albLb.loadBalancerArn(), alb.listenerPort());

    // 4. NLB + listener. While the old ALB side serves, the listener keeps forwarding to it until the new ALB
    //    is active and passes its health check; then one ModifyListener moves it.
    Optional<LoadBalancer> nlbLb = loadBalancers.ensure("NLB", nlb.loadBalancer(), nlb.attributes());
    if (nlbLb.isEmpty()) {
      return new Outcome(partial(albLb, albListener, lambdaTargets, functionArn, digest, desired),
          "NLB " + nlb.name() + " is being replaced");
    }
    Optional<TargetGroup> oldAlbTargets = forwarded == slot.other() ? inventory.targetGroup(old.nlb().albTargetGroup().name()) : Optional.empty();
    String takeOver = oldAlbTargets.isPresent() ? ServingSignals.takeOverWaitsFor(albLb, albHealth) : null;
    TargetGroup forwardTo = takeOver == null ? albTargets : oldAlbTargets.get();
    Listener nlbListener = listeners.ensure("NLB", nlbLb.get().loadBalancerArn(), ProtocolEnum.TCP, nlb.listenerPort(),
        forwardTo.targetGroupArn());
    if (takeOver != null) {
      return new Outcome(partial(albLb, albListener, lambdaTargets, functionArn, digest, desired), "ALB " + alb.name()
          + " replaces ALB " + old.alb().name() + "; the NLB forwards to the old one until the new one serves: " + takeOver, rollout);
    }

    // 5. The old ALB side, if any: deregistered, drained, deleted (its permission before its lambda groups).
    String retiring = retire(retirement, old, desired, functionArn, functions);

    // 6. Whether AWS serves what it has: checked last, so that both load balancers provision at the same time.
    String waiting = ServingSignals.waitingFor(nlbLb.get(), albLb, albHealth);
    String pending = java.util.stream.Stream.of(waiting, draining, retiring).filter(java.util.Objects::nonNull)
        .reduce((a, b) -> a + "; " + b).orElse(null);
    // Routes' rules move to the new ALB's listener once the old ALB is gone: AWS lets a target group serve one
    // load balancer, and theirs serve the old one until then.
    return new Outcome(new ChainStatus(nlbLb.get().loadBalancerArn(), nlbLb.get().dnsName(), nlbListener.listenerArn(),
        albTargets.targetGroupArn(), albLb.loadBalancerArn(), albLb.dnsName(), albListener.listenerArn(),
        lambdaTargets.targetGroupArn(), functionArn, digest, desired.permissionStatementId()), pending, rollout, retiring == null);
  }

  /** The old ALB side taken out of service: what it waits for, or null when nothing of it is left. */
  private static String retire(AlbRetirement retirement, ChainModel old, ChainModel desired, String functionArn, FunctionStep functions) {
    AlbRetirement.Side side = side(old);
    String why = "replaced by ALB " + desired.alb().name();
    String albGone = retirement.albGone(side, why);
    if (albGone != null) {
      return albGone;
    }
    if (!retirement.groupsLeft(side)) {
      return null;
    }
    // Before its groups, so that a crash in between leaves groups to find again, never a statement.
    functions.removePermission(functionArn, null, old.permissionStatementId(), why);
    try {
      functions.removePermission(functionArn, CanaryStep.ALIAS, old.permissionStatementId() + "-" + CanaryStep.ALIAS, why);
    } catch (AwsFailure f) {
      if (!f.isNotFound()) {
        throw f;
      }
    }
    return retirement.groupsGone(side, why);
  }

  private static AlbRetirement.Side side(ChainModel m) {
    return new AlbRetirement.Side(m.alb().name(), m.nlb().albTargetGroup().name(),
        List.of(m.alb().lambdaTargetGroup().name(), m.names().lambdaAliasTargetGroup()));
  }

  /** How the ALB of this slot compares with the spec; one not ours "fits", so that the ownership check refuses it. */
  private AlbSlot.Fit fit(ChainModel model, AlbSlot slot, Ownership ownership) {
    ChainModel side = model.inSlot(slot);
    Optional<LoadBalancer> lb = slot == AlbSlot.FIRST ? inventory.loadBalancer(side.alb().name())
        : inventory.listedLoadBalancer(side.alb().name());
    if (lb.isEmpty()) {
      return AlbSlot.Fit.ABSENT;
    }
    if (!ownership.owns(inventory.tags(lb.get().loadBalancerArn()))) {
      return AlbSlot.Fit.FITS;
    }
    return LoadBalancerStep.compareImmutable(side.alb().loadBalancer(), lb.get()).replace() ? AlbSlot.Fit.DIFFERS : AlbSlot.Fit.FITS;
  }

  /** The slot whose alb target group the NLB's listener forwards to; null when there is no such listener. */
  private AlbSlot forwardedSlot(ChainModel model) {
    Optional<LoadBalancer> nlb = inventory.listedLoadBalancer(model.nlb().name());
    if (nlb.isEmpty()) {
      return null;
    }
    for (AlbSlot slot : AlbSlot.values()) {
      Optional<TargetGroup> group = inventory.listedTargetGroup(model.inSlot(slot).nlb().albTargetGroup().name());
      if (group.isPresent() && inventory.listeners(nlb.get().loadBalancerArn()).stream()
          .anyMatch(l -> ListenerStep.forwardsTo(l, group.get().targetGroupArn()))) {
        return slot;
      }
    }
    return null;
  }

  /**
   * After a change event naming these resources ({@link io.lambdaingress.operator.model.CloudTrailEvent#keys}):
   * the shared reads of them are dropped, so the reconcile it triggers sees AWS as it is now.
   */
  void changedOutOfBand(Set<String> keys) {
    inventory.changedOutOfBand(keys);
    keys.stream().filter(k -> k.startsWith("image:")).map(k -> k.substring("image:".length(), k.lastIndexOf(':')))
        .forEach(images::pushedTo);
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
   * Deletes what this object owns, in the reverse of the creation order: NLB, its alb target group, ALB,
   * the lambda target group, then the function (or, for an existing function, only our permission).
   * Returns why it must be called again (AWS still holds a target group for a load balancer being
   * deleted), or null when nothing of ours is left. Resources without our owner tags are never touched.
   */
  public String delete(ChainModel desired, AwsWrites writes) {
    Ownership ownership = Ownership.byTags(desired.ownerTags(), formerClusters);
    LoadBalancerStep loadBalancers = new LoadBalancerStep(inventory, ownership, writes);
    TargetGroupStep targetGroups = new TargetGroupStep(inventory, ownership, writes);
    String why = "object deleted";
    try {
      loadBalancers.deleteIfOurs("NLB " + desired.nlb().name(), desired.nlb().name(), why);
    } catch (AwsFailure f) {
      if (!"ResourceInUse".equals(f.awsErrorCode())) {
        throw f;
      }
      // Ours were deleted before (EndpointServiceStep): what still uses the NLB is someone else's.
      String arn = aws.elbV2().loadBalancer(desired.nlb().name()).map(LoadBalancer::loadBalancerArn).orElse("");
      throw new AwsFailure(f.reason(), "NLB " + desired.nlb().name() + " is used by endpoint service(s) "
          + EndpointServiceStep.usersOf(aws.endpointServices(), arn) + " without this object's owner tags: AWS deletes the NLB "
          + "only once no endpoint service uses it; delete that service (or take the NLB out of it)", f.awsErrorCode(), f);
    }
    // Both ALB sides: one of them is normally absent (a replacement that was under way leaves both).
    for (AlbSlot slot : AlbSlot.values()) {
      ChainModel side = desired.inSlot(slot);
      String albTargets = side.nlb().albTargetGroup().name();
      if (!targetGroups.deleteIfOurs("alb target group " + albTargets, albTargets, why)) {
        return "alb target group " + albTargets + " is still in use by the NLB being deleted";
      }
    }
    for (AlbSlot slot : AlbSlot.values()) {
      ChainModel side = desired.inSlot(slot);
      loadBalancers.deleteIfOurs("ALB " + side.alb().name(), side.alb().name(), why);
    }
    for (AlbSlot slot : AlbSlot.values()) {
      ChainModel side = desired.inSlot(slot);
      for (String group : List.of(side.alb().lambdaTargetGroup().name(), side.names().lambdaAliasTargetGroup())) {
        if (!targetGroups.deleteIfOurs("lambda target group " + group, group, why)) {
          return "lambda target group " + group + " is still in use by the ALB being deleted";
        }
      }
    }
    FunctionStep functions = new FunctionStep(aws.lambda(), ownership, writes);
    if (desired.function().isPresent()) {
      String name = desired.function().get().name();
      functions.deleteIfOurs("function " + name, name, why);
    } else {
      for (AlbSlot slot : AlbSlot.values()) {
        functions.removePermission(desired.existingFunctionArn(), null, desired.inSlot(slot).permissionStatementId(), why);
      }
    }
    return null;
  }
}
