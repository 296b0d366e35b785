package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.AwsFailure;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Switching a live object's rollout on or off as a target-group swap: the function and its alias each have
 * a lambda target group of their own ({@link io.lambdaingress.operator.model.LoadBalancerNames}), because
 * AWS holds one function per lambda group and the two could only trade places in one group with a moment
 * where it holds neither. The new group gets its target (permission first) while the listener still
 * forwards to the old one; one ModifyListener (a route: ModifyRule) moves the forward; only then is the old group deleted (AWS
 * refuses with ResourceInUse while any action forwards to it) and, after it, the old target's permission.
 */
final class LambdaSwitch {

  private final ElbInventory inventory;
  private final Ownership ownership;
  private final AwsWrites writes;
  private final String otherGroup;
  private final String forwarder;

  /**
   * @param otherGroup the name of the lambda target group the object does not want now
   * @param forwarder what forwards to the groups ("the ALB listener", "route orders's listener rule"), for the log
   */
  LambdaSwitch(ElbInventory inventory, Ownership ownership, AwsWrites writes, String otherGroup, String forwarder) {
    this.inventory = inventory;
    this.ownership = ownership;
    this.writes = writes;
    this.otherGroup = otherGroup;
    this.forwarder = forwarder;
  }

  /** Whether the other group is still there (from the shared listing: no read of its own). */
  boolean underWay() {
    return other().isPresent();
  }

  /**
   * After the listener was moved to the wanted group: deletes the other group if it is ours. Returns why it
   * must wait (something still forwards to it), or null when it is gone.
   */
  String retireOtherGroup() {
    Optional<TargetGroup> tg = other();
    if (tg.isEmpty() || !ownership.owns(inventory.tags(tg.get().targetGroupArn()))) {
      return null;
    }
    writes.announce("Deleted", "lambda target group " + otherGroup, forwarder + " forwards to the other lambda target group now");
    try {
      inventory.client().deleteTargetGroup(tg.get().targetGroupArn());
    } catch (AwsFailure f) {
      if ("ResourceInUse".equals(f.awsErrorCode())) {
        return "lambda target group " + otherGroup + " is still forwarded to by a listener or rule; it is deleted once nothing forwards to it";
      }
      if (!f.isNotFound()) {
        throw f;
      }
    }
    inventory.forgetTargetGroup(otherGroup);
    return null;
  }

  private Optional<TargetGroup> other() {
    return inventory.listedTargetGroup(otherGroup);
  }
}
