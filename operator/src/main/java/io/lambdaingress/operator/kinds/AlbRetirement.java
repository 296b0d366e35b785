package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.cache.ElbInventory;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * Takes an ALB side out of service the way AWS allows it (NLB user guide, "Application Load Balancers as
 * targets": an ALB registered in an alb target group cannot be deleted): the ALB is deregistered from its
 * alb target group, stays {@code draining} there for the group's deregistration delay (300 s by default on
 * AWS; the NLB finishes the connections it had), and only then is deleted; then its groups. Each call does
 * the next write and says what it waits for; nothing of it is a failure (a replacement heals by itself).
 * Only what carries our owner tags is touched. Reads the shared listing only, so a side that is gone costs
 * no call.
 */
public final class AlbRetirement {

  /**
   * The names of one ALB side (see {@link io.lambdaingress.operator.model.AlbSlot}).
   *
   * @param albTargetGroups the NLB's alb target groups of this side: the HTTP port's, then the HTTPS port's
   * @param lambdaTargetGroups its lambda target groups: the chain's and its routes' (whose rules go with the ALB)
   */
  public record Side(String alb, List<String> albTargetGroups, List<String> lambdaTargetGroups) {}

  private final ElbInventory inventory;
  private final Ownership ownership;
  private final Announcer writes;

  public AlbRetirement(ElbInventory inventory, Ownership ownership, Announcer writes) {
    this.inventory = inventory;
    this.ownership = ownership;
    this.writes = writes;
  }

  /**
   * The side's ALB deregistered, drained and deleted. Returns what it waits for, or null once no ALB of
   * ours is left under that name.
   *
   * @param why why it goes, for the Events
   */
  public String albGone(Side side, String why) {
    Optional<LoadBalancer> alb = inventory.listedLoadBalancer(side.alb());
    if (alb.isEmpty() || !ownership.owns(inventory.tags(alb.get().loadBalancerArn()))) {
      return null;
    }
    String arn = alb.get().loadBalancerArn();
    String waits = null;
    for (String name : side.albTargetGroups()) {
      Optional<TargetGroup> group = inventory.listedTargetGroup(name);
      if (group.isEmpty()) {
        continue;
      }
      for (TargetHealthDescription d : inventory.client().targetHealth(group.get().targetGroupArn())) {
        if (!d.target().id().equals(arn)) {
          continue;
        }
        if (d.targetHealth() != null && d.targetHealth().state() == TargetHealthStateEnum.DRAINING) {
          waits = "ALB " + side.alb() + " is draining from alb target group " + name
              + " (its deregistration delay); it is deleted once AWS has let it go";
          continue;
        }
        writes.made("Deregistered", "alb target group " + name, "ALB " + side.alb() + ": " + why,
            () -> inventory.client().deregisterTarget(group.get().targetGroupArn(), arn, d.target().port()));
        waits = "ALB " + side.alb() + " was deregistered from alb target group " + name + "; it is deleted once it has drained";
      }
    }
    if (waits != null) {
      return waits;
    }
    try {
      new LoadBalancerStep(inventory, ownership, writes).delete("ALB " + side.alb(), arn, side.alb(), why);
    } catch (AwsFailure f) {
      if (!"ResourceInUse".equals(f.awsErrorCode())) {
        throw f;
      }
      // Deregistered but not let go yet (the drain just ended): the next run deletes it.
      return "ALB " + side.alb() + " is still held by alb target group " + side.albTargetGroups() + "; it is deleted once AWS lets it go";
    }
    return null;
  }

  /** Whether any of the side's target groups is listed. */
  public boolean groupsLeft(Side side) {
    return java.util.stream.Stream.concat(side.albTargetGroups().stream(), side.lambdaTargetGroups().stream())
        .anyMatch(g -> inventory.listedTargetGroup(g).isPresent());
  }

  /**
   * The side's groups deleted, once its ALB is gone: the alb target groups, then the lambda target groups
   * (AWS answers ResourceInUse while the ALB being deleted still holds them). Returns what it waits for, or
   * null once none is left.
   */
  public String groupsGone(Side side, String why) {
    TargetGroupStep groups = new TargetGroupStep(inventory, ownership, writes);
    for (String name : java.util.stream.Stream.concat(side.albTargetGroups().stream(), side.lambdaTargetGroups().stream()).toList()) {
      Optional<TargetGroup> tg = inventory.listedTargetGroup(name);
      if (tg.isEmpty() || !ownership.owns(inventory.tags(tg.get().targetGroupArn()))) {
        continue;
      }
      if (!groups.delete("target group " + name, tg.get().targetGroupArn(), name, why)) {
        return "target group " + name + " is still held by the ALB being deleted; it is deleted once AWS lets it go";
      }
    }
    return null;
  }
}
