package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.Announcer;
import io.lambdaingress.operator.kinds.TargetGroupStep;
import java.time.Duration;
import io.lambdaingress.operator.cache.ElbInventory;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Switching a live object's rollout on or off as a target-group swap: the function and its alias each have
 * a lambda target group of their own ({@link io.lambdaingress.operator.model.LoadBalancerNames}), because
 * AWS holds one function per lambda group and the two could only trade places in one group with a moment
 * where it holds neither. The new group gets its target (permission first) while the listener still
 * forwards to the old one; one ModifyListener (a route: ModifyRule) moves the forward; the old group keeps
 * serving for {@link #DRAIN} (ELB applies the move after a short while), then it is deleted (AWS refuses
 * with ResourceInUse while any action forwards to it) and, after it, the old target's permission.
 */
final class LambdaSwitch {

  /**
   * How long the old group keeps serving after the listener or rule moved: ELB's "rule updates do not take
   * effect immediately, so requests could be routed using the previous rule configuration for a short time"
   * (ALB user guide, "Edit a listener rule"), a time AWS does not state.
   */
  static final Duration DRAIN = Duration.ofSeconds(10);
  /** On the old group: when the listener or rule stopped forwarding to it (ISO-8601). */
  static final String UNUSED_SINCE = "lambdaingress.io/unused-since";

  private final ElbInventory inventory;
  private final Ownership ownership;
  private final Announcer writes;
  private final String otherGroup;
  private final String forwarder;

  /**
   * @param otherGroup the name of the lambda target group the object does not want now
   * @param forwarder what forwards to the groups ("the ALB listener", "route orders's listener rule"), for the log
   */
  LambdaSwitch(ElbInventory inventory, Ownership ownership, Announcer writes, String otherGroup, String forwarder) {
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
   * After the listener was moved to the wanted group: the other group, if it is ours, is marked with the
   * moment it stopped being forwarded to ({@link #UNUSED_SINCE}), and deleted once {@link #DRAIN} has passed
   * since (ELB applies a listener or rule update after a short while, routing requests by the previous
   * configuration meanwhile). The mark is a tag, so a restarted or newly elected operator keeps the same
   * deadline; a group wanted again loses it with the next tag sync. Returns why it must wait, or null when
   * the group is gone.
   */
  String retireOtherGroup(Instant now) {
    Optional<TargetGroup> tg = other();
    if (tg.isEmpty()) {
      return null;
    }
    String arn = tg.get().targetGroupArn();
    Map<String, String> tags = inventory.tags(arn);
    if (!ownership.owns(tags)) {
      return null;
    }
    Instant since = unusedSince(tags.get(UNUSED_SINCE));
    if (since == null) {
      writes.made("Updated", "lambda target group " + otherGroup, forwarder + " forwards to the other lambda target group now; "
          + "kept " + DRAIN.toSeconds() + " s for the requests ELB still routes by the previous configuration",
          () -> inventory.writes().retag(arn, tags, Map.of(UNUSED_SINCE, now.toString()), java.util.List.of()));
      since = now;
    }
    Instant due = since.plus(DRAIN);
    if (now.isBefore(due)) {
      return "lambda target group " + otherGroup + " is kept until " + due + ": ELB may still route requests by the configuration "
          + "from before " + forwarder + " moved";
    }
    boolean deleted = new TargetGroupStep(inventory, ownership, writes).delete("lambda target group " + otherGroup, arn, otherGroup,
        forwarder + " has forwarded to the other lambda target group since " + since);
    return deleted ? null
        : "lambda target group " + otherGroup + " is still forwarded to by a listener or rule; it is deleted once nothing forwards to it";
  }

  /** The mark's instant; null when absent, or unreadable (edited out of band: marked again, the drain restarts). */
  private static Instant unusedSince(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private Optional<TargetGroup> other() {
    return inventory.listedTargetGroup(otherGroup);
  }
}
