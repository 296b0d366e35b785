package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.AlbRetirement;
import io.lambdaingress.operator.model.AlbSlot;
import io.lambdaingress.operator.kinds.FunctionStep;
import io.lambdaingress.operator.kinds.ListenerCertificates;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.kinds.TargetGroupStep;
import io.lambdaingress.operator.kinds.UpdateAttempts;
import io.lambdaingress.operator.kinds.WebAclStep;
import io.lambdaingress.operator.kinds.LoadBalancerStep;
import io.lambdaingress.operator.cache.ImageDigests;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.EcrImageClient.PinnedImage;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.ImageRef;
import io.lambdaingress.operator.model.ListenerShape;
import io.lambdaingress.operator.model.RouteModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;

/**
 * Converges AWS on one object's desired chain, in dependency order, each step observe -> diff -> the
 * minimal write:
 *
 * <ol>
 *   <li>lambda target group, function, invoke permission, function registered in the group;
 *   <li>ALB and its HTTP listener forwarding to the lambda target group (or redirecting to HTTPS), and its HTTPS
 *       listener with its certificates (spec.alb.https), and its WAF web ACL (spec.alb.webAclArn);
 *   <li>the NLB's {@code alb} target group, and the ALB registered in it (AWS refuses that registration
 *       until the ALB has a listener on the port, hence after 2); with HTTPS a second one on the HTTPS port;
 *   <li>NLB and its TCP listener forwarding to the alb target group (one per port; after an ALB replacement, once the new
 *       ALB side serves, its routes included: {@link RouteStep#lackingOn});
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
   * @param forwards the ALB listener of the side the spec is built in forwards where it should, and only AWS
   *     is still finishing, or the NLB waits to move to that side, or an old side is being retired: an old
   *     lambda target group draining ({@link LambdaSwitch}), a load balancer provisioning, the NLB's health
   *     check of the ALB not passed yet ({@link ServingSignals}), the new ALB side's routes not there yet
   * @param slot the ALB side the spec is built in ({@link AlbSlot}): the routes go on its listener, under its names
   */
  public record Outcome(ChainStatus status, String pending, CanaryStep.Result rollout, boolean forwards, AlbSlot slot) {
    public boolean complete() {
      return pending == null;
    }

    /** The ALB listener forwards where it should: the routes' rules may be converged on it (in {@link #slot}). */
    public boolean serves() {
      return complete() || forwards;
    }
  }

  private final AwsClients aws;
  private final ElbInventory inventory;
  private final Set<String> formerClusters;
  private final ImageDigests images;
  private final UpdateAttempts updateAttempts = new UpdateAttempts();
  private final AlbSides albSides;

  /** @param formerClusters former names of this cluster: what carries them is ours too ({@link Ownership}) */
  public ChainReconciler(AwsClients aws, ElbInventory inventory, Set<String> formerClusters) {
    this.aws = aws;
    this.inventory = inventory;
    this.formerClusters = Set.copyOf(formerClusters);
    this.images = new ImageDigests(aws.ecr(), inventory.maxAge(), java.time.Clock.systemUTC());
    this.albSides = new AlbSides(inventory, aws.lambda());
  }

  /**
   * @param recorded what the status last recorded: our resources even without their owner tags, and the
   *     function it last named (when the spec now names another function, the previous one is deregistered
   *     and, if it is ours, deleted once the new one serves)
   */
  public Outcome apply(ChainModel desired, RecordedChain recorded, AwsWrites writes) {
    return apply(desired, List.of(), recorded, writes, null);
  }

  /**
   * @param routes the object's routes ({@link RouteModel#of}, first side): an ALB replacement moves the NLB only once
   *     the new side serves them, and retires the old side's route groups with it; their rules are RouteStep's
   * @param canary the rollout's spec and state, or null: the function itself is the target, as without rollout
   */
  public Outcome apply(ChainModel model, List<RouteModel> routes, RecordedChain recorded, AwsWrites writes, CanaryStep.Input canary) {
    Ownership ownership = new Ownership(model.ownerTags(), formerClusters, recorded.identities());
    String previousFunctionArn = recorded.previousFunctionArn();
    TargetGroupStep targetGroups = new TargetGroupStep(inventory, ownership, writes);
    LoadBalancerStep loadBalancers = new LoadBalancerStep(inventory, ownership, writes);
    ListenerStep listeners = new ListenerStep(inventory, model.ownerTags(), writes);
    FunctionStep functions = new FunctionStep(aws.lambda(), ownership, writes, updateAttempts);
    AlbRetirement retirement = new AlbRetirement(inventory, ownership, writes);
    HttpsListeners https = new HttpsListeners(inventory, ownership, listeners, targetGroups,
        new ListenerCertificates(aws.acm(), aws.elbCertificates(), writes, aws.region()));
    https.requireInRegion(model);
    WebAclStep webAcls = new WebAclStep(aws.webAcls(), writes, aws.region());
    webAcls.requireInRegion(model.alb());

    // 0. Which of the two ALB sides the spec is built in (AlbSlot): the other one, if it exists, is an ALB
    //    being replaced, and serves until the NLB listener moves.
    AlbSides.Choice sides = albSides.choose(model, ownership);
    AlbSlot slot = sides.slot();
    ChainModel desired = model.inSlot(slot);
    ChainModel old = model.inSlot(slot.other());
    List<RouteModel> sideRoutes = routes.stream().map(r -> r.inSlot(slot)).toList();

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
    CreateFunctionRequest functionRequest = null;
    if (desired.function().isPresent()) {
      ChainModel.ManagedFunction fn = desired.function().get();
      PinnedImage image = pin(fn.image());
      digest = image.digest();
      functionRequest = fn.request(image.uri());
      FunctionStep.Result result = functions.ensureManaged(functionRequest, fn.reservedConcurrency());
      functionArn = result.functionArn();
      if (result.busy()) {
        return new Outcome(ChainStatus.partial(null, null, null, null, lambdaTargets, functionArn, digest, desired), "function " + fn.name() + " is being updated by AWS",
            null, false, slot);
      }
    } else {
      functionArn = functions.requireExisting(desired.existingFunctionArn());
    }
    CanaryStep.Result rollout = null;
    CanaryStep canarySide = new CanaryStep(aws.lambdaVersions(), aws.alarms(), writes);
    InvokePermission permission = new InvokePermission(functions, canarySide, desired.permissionStatementId(), "");
    String target = functionArn;
    if (viaAlias) {
      rollout = canarySide.apply(desired.function().get().name(), digest, functionRequest, canary);
      target = rollout.aliasArn();
    }
    boolean justPermitted = permission.grant(functionArn, viaAlias, lambdaTargets.targetGroupArn());
    if (justPermitted && (lambdaSwitch.underWay() || sides.nlbOnTheOtherSide())) {
      // The listener (or, for a new ALB side, the NLB) still forwards to the other group, which serves: register
      // once the permission propagated.
      return new Outcome(ChainStatus.partial(null, null, null, null, lambdaTargets, functionArn, digest, desired),
          "the invoke permission of " + target + " is propagating", rollout, false, slot);
    }
    targetGroups.ensureOnlyTarget("lambda target group", lambdaTargets, target, null);
    if (previousFunctionArn != null && !previousFunctionArn.equals(functionArn)) {
      functions.retire(previousFunctionArn, desired.permissionStatementId());
    }

    // 2. ALB + listener (never replaced here: a creation-only change builds the other side, step 0).
    if (sides.replacing()) {
      LoadBalancer replaced = inventory.loadBalancer(old.alb().name()).orElseThrow();
      writes.announce("Replacing", "ALB " + old.alb().name(), LoadBalancerStep.compareImmutable(desired.alb().loadBalancer(), replaced).why()
          + " (only settable at creation): ALB " + desired.alb().name() + " is built beside it, the NLB moves to it once it serves, "
          + "then the old one is drained and deleted");
    }
    if (sides.rebuilt()) {
      // Both sides exist and neither fits (an out-of-band re-creation): this one serves nothing, rebuilt in place.
      String gone = retirement.albGone(AlbSides.side(desired, sideRoutes), "its creation-only settings differ from the spec and the NLB does not use it");
      if (gone != null) {
        return new Outcome(ChainStatus.partial(null, null, null, null, lambdaTargets, functionArn, digest, desired), gone, rollout, false, slot);
      }
    }
    LoadBalancer albLb = loadBalancers.ensure("ALB", alb.loadBalancer(), alb.attributes()).orElseThrow();
    Listener albListener = listeners.ensure("ALB", albLb.loadBalancerArn(), alb.httpServes()
        ? ListenerShape.forward(ProtocolEnum.HTTP, alb.listenerPort(), lambdaTargets.targetGroupArn())
        : ListenerShape.redirect(alb.listenerPort(), alb.https().get().port(), lambdaTargets.targetGroupArn()));
    // The HTTPS listener forwards to the same group: moved with the HTTP one, before the other group may go.
    Listener albHttps = https.onAlb(alb, albLb, lambdaTargets);
    String webAcl = webAcls.ensure(alb.name(), albLb.loadBalancerArn(), alb.webAclArn(), recorded.webAclArn());
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
    // With HTTPS, a second one on the HTTPS port (an alb target group has one port), the ALB registered on that port.
    Optional<TargetGroup> httpsAlbTargets = nlb.httpsAlbTargetGroup().map(g -> targetGroups.ensure("alb target group", g, Map.of(),
        replaced -> listeners.detach(ownership, "NLB", nlb.name(), replaced)));
    Optional<TargetHealth> httpsHealth = httpsAlbTargets.flatMap(g -> targetGroups.ensureOnlyTarget("alb target group", g,
        albLb.loadBalancerArn(), alb.https().get().port()));

    // 4. NLB + listener. While the old ALB side serves, the listener keeps forwarding to it until the new ALB
    //    is active and passes its health check, and serves the routes too: each route's rule on its listener,
    //    forwarding to the route's group of this side with its function registered (RouteStep puts them there
    //    after the chain, in these same runs; AWS lets a group serve one load balancer, so the old side's
    //    groups cannot). Then one ModifyListener moves it.
    Optional<LoadBalancer> nlbLb = loadBalancers.ensure("NLB", nlb.loadBalancer(), nlb.attributes(), nlb.privateLinkInboundRules());
    if (nlbLb.isEmpty()) {
      return new Outcome(ChainStatus.partial(albLb, albListener, albHttps, webAcl, lambdaTargets, functionArn, digest, desired),
          "NLB " + nlb.name() + " is being replaced", null, false, slot);
    }
    //    The listener of an adopted NLB that forwards to a group not adopted (the stack's own ALB side) does the same: it
    //    moves once the new side serves.
    Optional<String> adoptedFrom = sides.nlbOnTheOtherSide() || desired.adopted().nlb() == null ? Optional.empty()
        : listeners.forwardsElsewhere(nlbLb.get().loadBalancerArn(), desired.adopted().nlbListener() == null ? null
            : desired.adopted().nlbListener().given(), nlb.listenerPort(), albTargets.targetGroupArn());
    Optional<String> oldAlbTargets = sides.nlbOnTheOtherSide()
        ? inventory.targetGroup(old.nlb().albTargetGroup().name()).map(TargetGroup::targetGroupArn) : adoptedFrom;
    String takeOver = oldAlbTargets.isPresent() ? ServingSignals.takeOverWaitsFor(albLb, albHealth) : null;
    if (oldAlbTargets.isPresent() && takeOver == null) {
      takeOver = RouteStep.lackingOn(inventory, ownership, sideRoutes, albListener.listenerArn(), alb.httpServes());
      if (takeOver == null && albHttps != null) {
        takeOver = RouteStep.lackingOn(inventory, ownership, sideRoutes, albHttps.listenerArn(), true);
      }
    }
    String forwardTo = takeOver == null ? albTargets.targetGroupArn() : oldAlbTargets.get();
    Listener nlbListener = listeners.ensure("NLB", nlbLb.get().loadBalancerArn(), ProtocolEnum.TCP, nlb.listenerPort(), forwardTo);
    Listener nlbHttps = null;
    if (httpsAlbTargets.isPresent()) {
      // The same move for the HTTPS port: to the old side's group of that port while the old side serves, if it has one.
      TargetGroup httpsForwardTo = takeOver == null ? httpsAlbTargets.get()
          : inventory.targetGroup(old.names().albHttpsTargetGroup()).orElse(httpsAlbTargets.get());
      nlbHttps = listeners.ensure("NLB", nlbLb.get().loadBalancerArn(), ProtocolEnum.TCP, alb.https().get().port(),
          httpsForwardTo.targetGroupArn());
    }
    if (takeOver != null) {
      // Forwards: the routes converge on the new ALB's listener meanwhile.
      String moving = adoptedFrom.isPresent()
          ? "the adopted NLB listener forwards to target group " + adoptedFrom.get() + " until ALB " + alb.name() + " serves: "
          : "ALB " + alb.name() + " replaces ALB " + old.alb().name() + "; the NLB forwards to the old one until the new one serves: ";
      return new Outcome(ChainStatus.partial(albLb, albListener, albHttps, webAcl, lambdaTargets, functionArn, digest, desired), moving + takeOver, rollout,
          true, slot);
    }

    // spec.alb.https removed: the NLB's listener of that port and its group, then the ALB's HTTPS listener.
    if (alb.https().isEmpty()) {
      https.removed(desired, albLb, lambdaTargets, viaAlias);
    }

    // 5. The old ALB side, if any: deregistered, drained, deleted (its permissions before its lambda and route groups).
    String retiring = albSides.retire(retirement, old, routes.stream().map(r -> r.inSlot(slot.other())).toList(), desired, functionArn,
        functions);

    // 6. Whether AWS serves what it has: checked last, so that both load balancers provision at the same time.
    String waiting = ServingSignals.waitingFor(nlbLb.get(), albLb, albHealth);
    if (httpsAlbTargets.isPresent()) {
      String check = ServingSignals.checkWaitsFor("the NLB's health check of ALB " + alb.name() + " on its HTTPS port", httpsHealth);
      waiting = waiting == null ? check : check == null ? waiting : waiting + "; " + check;
    }
    String pending = java.util.stream.Stream.of(waiting, draining, retiring).filter(java.util.Objects::nonNull)
        .reduce((a, b) -> a + "; " + b).orElse(null);
    // The routes stay converged on this side's listener while an old side retires: each side has its own groups.
    return new Outcome(new ChainStatus(nlbLb.get().loadBalancerArn(), nlbLb.get().dnsName(), nlbListener.listenerArn(),
        albTargets.targetGroupArn(), albLb.loadBalancerArn(), albLb.dnsName(), albListener.listenerArn(),
        lambdaTargets.targetGroupArn(), functionArn, digest, desired.permissionStatementId(),
        nlbHttps == null ? null : nlbHttps.listenerArn(), httpsAlbTargets.map(TargetGroup::targetGroupArn).orElse(null),
        albHttps == null ? null : albHttps.listenerArn(), webAcl), pending, rollout, true, slot);
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
    return images.pin(image, aws.region());
  }

}
