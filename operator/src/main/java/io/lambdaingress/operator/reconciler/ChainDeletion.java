package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.kinds.EndpointServiceStep;
import io.lambdaingress.operator.kinds.FunctionStep;
import io.lambdaingress.operator.kinds.LoadBalancerStep;
import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.TargetGroupStep;
import io.lambdaingress.operator.model.AlbSlot;
import io.lambdaingress.operator.model.ChainModel;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * The chain of one deleted object taken down, in the reverse of {@link ChainReconciler}'s order, both ALB sides
 * included; each deletion is its kind class's.
 */
final class ChainDeletion {

  private final AwsClients aws;
  private final ElbInventory inventory;
  private final Set<String> formerClusters;

  /** @param formerClusters former names of this cluster: what carries them is ours too ({@link Ownership}) */
  ChainDeletion(AwsClients aws, ElbInventory inventory, Set<String> formerClusters) {
    this.aws = aws;
    this.inventory = inventory;
    this.formerClusters = Set.copyOf(formerClusters);
  }

  /** The reason each write of a deletion logs and reports. */
  private static final String WHY = "object deleted";

  /**
   * Deletes what this object owns, in the reverse of the creation order: NLB, its alb target groups, ALB,
   * the lambda target group, then the function (or, for an existing function, only our permission).
   * Returns why it must be called again (AWS still holds a target group for a load balancer being
   * deleted), or null when nothing of ours is left. Resources without our owner tags are never touched.
   * What an earlier attempt for the object finished is not read again ({@link DeletionProgress}); the function
   * comes last, so only an attempt that waits for nothing reaches it.
   */
  String delete(ChainModel desired, AwsWrites writes, DeletionProgress.Attempt attempt) {
    Ownership ownership = Ownership.byTags(desired.ownerTags(), formerClusters);
    LoadBalancerStep loadBalancers = new LoadBalancerStep(inventory, ownership, writes);
    TargetGroupStep targetGroups = new TargetGroupStep(inventory, ownership, writes);
    String nlb = desired.nlb().name();
    attempt.unlessFinished("NLB " + nlb, () -> {
      deleteNlb(loadBalancers, nlb, WHY, "true".equals(desired.nlb().attributes().get(ChainModel.DELETION_PROTECTION)));
      return null;
    });
    // Both ALB sides: one of them is normally absent (a replacement that was under way leaves both).
    List<ChainModel> sides = Arrays.stream(AlbSlot.values()).map(desired::inSlot).toList();
    for (ChainModel side : sides) {
      for (String albTargets : side.nlb().albTargetGroupNames(side.names())) {
        String waiting = deleteGroup(attempt, targetGroups, "alb target group " + albTargets, albTargets, "the NLB", "NLB ");
        if (waiting != null) {
          return waiting;
        }
      }
    }
    for (ChainModel side : sides) {
      attempt.unlessFinished("ALB " + side.alb().name(), () -> {
        loadBalancers.deleteIfOurs("ALB " + side.alb().name(), side.alb().name(), WHY, "spec.alb.attributes.deletionProtection",
            "true".equals(side.alb().attributes().get(ChainModel.DELETION_PROTECTION)));
        return null;
      });
    }
    for (ChainModel side : sides) {
      for (String group : List.of(side.alb().lambdaTargetGroup().name(), side.names().lambdaAliasTargetGroup())) {
        String waiting = deleteGroup(attempt, targetGroups, "lambda target group " + group, group, "the ALB", "ALB ");
        if (waiting != null) {
          return waiting;
        }
      }
    }
    FunctionStep functions = new FunctionStep(aws.lambda(), ownership, writes);
    if (desired.function().isPresent()) {
      String name = desired.function().get().name();
      functions.deleteIfOurs("function " + name, name, WHY);
    } else {
      sides.forEach(side -> functions.removePermission(desired.existingFunctionArn(), null, side.permissionStatementId(), WHY));
    }
    return null;
  }

  /** One target group, unless an earlier attempt deleted it; why to come back while {@code holder}, being deleted, holds it. */
  private static String deleteGroup(DeletionProgress.Attempt attempt, TargetGroupStep targetGroups, String resource, String name, String holder,
      String holderStages) {
    String waiting = attempt.unlessFinished(resource, () -> targetGroups.deleteIfOurs(resource, name, WHY)
        ? null : resource + " is still in use by " + holder + " being deleted");
    if (waiting != null) {
      // The holder exists, even if the stage that deletes it found nothing (a listing that did not show it yet).
      attempt.readAgain(holderStages);
    }
    return waiting;
  }

  private void deleteNlb(LoadBalancerStep loadBalancers, String name, String why, boolean protectionWanted) {
    try {
      loadBalancers.deleteIfOurs("NLB " + name, name, why, "spec.nlb.attributes.deletionProtection", protectionWanted);
    } catch (AwsFailure f) {
      if (!"ResourceInUse".equals(f.awsErrorCode())) {
        throw f;
      }
      // Ours were deleted before (EndpointServiceStep): what still uses the NLB is someone else's.
      String arn = aws.elbV2().loadBalancer(name).map(LoadBalancer::loadBalancerArn).orElse("");
      // A person's to remove: not the transient ResourceInUse of a deletion under way.
      throw new AwsFailure(Reason.AwsError, "NLB " + name + " is used by endpoint service(s) "
          + EndpointServiceStep.usersOf(aws.endpointServices(), arn) + " without this object's owner tags: AWS deletes the NLB "
          + "only once no endpoint service uses it; delete that service (or take the NLB out of it)", f.awsErrorCode(), f);
    }
  }
}
