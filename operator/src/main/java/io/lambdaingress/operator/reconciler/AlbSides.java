package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.kinds.AlbRetirement;
import io.lambdaingress.operator.kinds.FunctionStep;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.kinds.LoadBalancerStep;
import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.model.AlbSlot;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.RouteModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The two ALB sides of one object ({@link AlbSlot}): which one the spec is built in, read from what AWS holds
 * (so that a crash in the middle of a replacement resumes it), and the retirement of the other one once the NLB
 * has moved away from it. {@link ChainReconciler} converges the side it is given; this class decides which.
 */
final class AlbSides {

  /**
   * Where one run stands.
   *
   * @param slot the side the spec is built in
   * @param forwarded the side the NLB's listener forwards to; null while there is no such listener
   * @param built how this side's ALB compares with the spec
   * @param other how the other side's ALB compares with it
   */
  record Choice(AlbSlot slot, AlbSlot forwarded, AlbSlot.Fit built, AlbSlot.Fit other) {
    /** The NLB still forwards to the other side, which serves until this one does. */
    boolean nlbOnTheOtherSide() {
      return forwarded == slot.other();
    }

    /** A creation-only change: this side's ALB is to be built beside the other one, which no longer fits. */
    boolean replacing() {
      return built == AlbSlot.Fit.ABSENT && other == AlbSlot.Fit.DIFFERS;
    }

    /** Both sides exist and neither fits (an out-of-band re-creation): this one serves nothing and is rebuilt. */
    boolean rebuilt() {
      return built == AlbSlot.Fit.DIFFERS;
    }
  }

  private final ElbInventory inventory;
  private final LambdaFunctionClient lambda;

  AlbSides(ElbInventory inventory, LambdaFunctionClient lambda) {
    this.inventory = inventory;
    this.lambda = lambda;
  }

  Choice choose(ChainModel model, Ownership ownership) {
    AlbSlot forwarded = forwardedSlot(model);
    AlbSlot.Fit first = fit(model, AlbSlot.FIRST, ownership);
    AlbSlot.Fit second = fit(model, AlbSlot.SECOND, ownership);
    AlbSlot slot = AlbSlot.wanted(first, second, forwarded);
    return slot == AlbSlot.FIRST ? new Choice(slot, forwarded, first, second) : new Choice(slot, forwarded, second, first);
  }

  /**
   * The old ALB side taken out of service: what it waits for, or null when nothing of it is left. Its routes'
   * rules go with its ALB (AWS deletes a load balancer's listeners, and their rules, with it); their groups go
   * with the side's other groups.
   *
   * @param oldRoutes the routes on the old side ({@link RouteModel#inSlot})
   */
  String retire(AlbRetirement retirement, ChainModel old, List<RouteModel> oldRoutes, ChainModel desired, String functionArn,
      FunctionStep functions) {
    AlbRetirement.Side side = side(old, oldRoutes);
    String why = "replaced by ALB " + desired.alb().name();
    String albGone = retirement.albGone(side, why);
    if (albGone != null) {
      return albGone;
    }
    if (!retirement.groupsLeft(side)) {
      return null;
    }
    // Before its groups, so that a crash in between leaves groups to find again, never a statement.
    removeStatements(functions, functionArn, old.permissionStatementId(), why);
    for (RouteModel route : oldRoutes) {
      Optional<String> fn = route.function().isEmpty() ? Optional.of(route.existingFunctionArn())
          : lambda.function(route.function().get().name()).map(f -> f.configuration().functionArn());
      fn.ifPresent(arn -> removeStatements(functions, arn, route.names().permissionStatementId(), "route " + route.name() + ": " + why));
    }
    return retirement.groupsGone(side, why);
  }

  /** Our statement on the function's policy and on its alias's (a rollout's), where there. */
  private static void removeStatements(FunctionStep functions, String functionArn, String statementId, String why) {
    functions.removePermission(functionArn, null, statementId, why);
    try {
      functions.removePermission(functionArn, CanaryStep.ALIAS, statementId + "-" + CanaryStep.ALIAS, why);
    } catch (AwsFailure f) {
      if (!f.isNotFound()) {
        throw f;
      }
    }
  }

  /** The names of one ALB side: its ALB, alb target groups (HTTP, HTTPS), and lambda target groups, the chain's and its routes'. */
  static AlbRetirement.Side side(ChainModel m, List<RouteModel> routes) {
    List<String> lambdaGroups = new ArrayList<>(List.of(m.alb().lambdaTargetGroup().name(), m.names().lambdaAliasTargetGroup()));
    routes.forEach(r -> lambdaGroups.addAll(List.of(r.targetGroup(false).name(), r.targetGroup(true).name())));
    return new AlbRetirement.Side(m.alb().name(), m.nlb().albTargetGroupNames(m.names()), List.copyOf(lambdaGroups));
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
}
