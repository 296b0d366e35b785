package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.cache.ElbInventory;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * One target group: find by derived name, create when missing, modify its health check and attributes in
 * place, and replace it when its target type, protocol, port or VPC differ (AWS fixes those at creation).
 * Also the group's one registration: exactly the desired target, nothing stale. Every deletion of a target
 * group is here, with AWS's answers to it: ResourceInUse while something still forwards to the group.
 */
public final class TargetGroupStep {

  private final ElbInventory inventory;
  private final ElbV2Client elb;
  private final Ownership ownership;
  private final Announcer writes;

  public TargetGroupStep(ElbInventory inventory, Ownership ownership, Announcer writes) {
    this.inventory = inventory;
    this.elb = inventory.client();
    this.ownership = ownership;
    this.writes = writes;
  }

  /** The group, converged; {@code beforeReplace} gets the ARN of a group about to be replaced (to detach its listeners). */
  public TargetGroup ensure(String kind, CreateTargetGroupRequest desired, Map<String, String> attributes, Consumer<String> beforeReplace) {
    TargetGroup tg = inventory.targetGroup(desired.name()).orElse(null);
    Map<String, String> tags = Map.of();
    if (tg != null) {
      tags = inventory.tags(tg.targetGroupArn());
      ownership.require(kind, desired.name(), tg.targetGroupArn(), tags);
      String immutableChange = immutableChange(desired, tg);
      if (immutableChange != null) {
        beforeReplace.accept(tg.targetGroupArn());
        String arn = tg.targetGroupArn();
        writes.made("Replaced", kind + " " + desired.name(), immutableChange + " (only settable at creation)",
            () -> inventory.writes().deleteTargetGroup(arn, desired.name()));
        tg = null;
      }
    }
    if (tg == null) {
      tg = writes.made("Created", kind + " " + desired.name(), "missing", () -> inventory.writes().createTargetGroup(desired));
      tags = null;
    } else {
      String healthChange = healthCheckChange(desired, tg);
      if (healthChange != null) {
        TargetGroup observed = tg;
        writes.made("Updated", kind + " " + desired.name(), "health check " + healthChange,
            () -> inventory.writes().setHealthCheck(observed, desired));
      }
    }
    if (tags != null) {
      LoadBalancerStep.syncTags(inventory, kind + " " + desired.name(), tg.targetGroupArn(), tags, desired.tags(), writes);
    }
    if (!attributes.isEmpty()) {
      MapDiff diff = MapDiff.attributes(inventory.targetGroupAttributes(tg.targetGroupArn()), attributes);
      if (!diff.isEmpty()) {
        String arn = tg.targetGroupArn();
        writes.made("Updated", kind + " " + desired.name(), "attributes " + diff.set(),
            () -> inventory.writes().setTargetGroupAttributes(arn, diff.set()));
      }
    }
    return tg;
  }

  public static String immutableChange(CreateTargetGroupRequest desired, TargetGroup tg) {
    if (!Objects.equals(desired.targetTypeAsString(), tg.targetTypeAsString())) {
      return "target type " + tg.targetTypeAsString() + " -> " + desired.targetTypeAsString();
    }
    if (desired.protocol() != null && !Objects.equals(desired.protocolAsString(), tg.protocolAsString())) {
      return "protocol " + tg.protocolAsString() + " -> " + desired.protocolAsString();
    }
    if (desired.port() != null && !Objects.equals(desired.port(), tg.port())) {
      return "port " + tg.port() + " -> " + desired.port();
    }
    if (desired.vpcId() != null && !Objects.equals(desired.vpcId(), tg.vpcId())) {
      return "VPC " + tg.vpcId() + " -> " + desired.vpcId();
    }
    return null;
  }

  public static String healthCheckChange(CreateTargetGroupRequest desired, TargetGroup tg) {
    if (desired.healthCheckPath() != null && !desired.healthCheckPath().equals(tg.healthCheckPath())) {
      return "path " + tg.healthCheckPath() + " -> " + desired.healthCheckPath();
    }
    if (desired.healthCheckProtocol() != null && !desired.healthCheckProtocolAsString().equals(tg.healthCheckProtocolAsString())) {
      return "protocol " + tg.healthCheckProtocolAsString() + " -> " + desired.healthCheckProtocolAsString();
    }
    if (desired.healthCheckPort() != null && !desired.healthCheckPort().equals(tg.healthCheckPort())) {
      return "port " + tg.healthCheckPort() + " -> " + desired.healthCheckPort();
    }
    return null;
  }

  /**
   * Makes the group's targets exactly {@code targetId} (on {@code port}, null for lambda targets). Returns
   * the health AWS reported for it in the same read (DescribeTargetHealth is how the registrations are
   * listed, so the health costs no call of its own); empty when it was registered just now.
   */
  public Optional<TargetHealth> ensureOnlyTarget(String kind, TargetGroup tg, String targetId, Integer port) {
    TargetHealth health = null;
    boolean present = false;
    for (TargetHealthDescription d : elb.targetHealth(tg.targetGroupArn())) {
      TargetDescription t = d.target();
      // A draining target is one someone deregistered: AWS lists it for the deregistration delay (300 s by
      // default) but sends it nothing new, and takes a RegisterTargets of it again at once (it goes back to initial,
      // then healthy: the answer recorded in ansible/ansible#58995). Wanted, it is registered again now; not
      // wanted, it is already on its way out.
      boolean draining = d.targetHealth() != null && d.targetHealth().state() == TargetHealthStateEnum.DRAINING;
      if (t.id().equals(targetId) && Objects.equals(port, t.port())) {
        present = !draining;
        health = draining ? null : d.targetHealth();
      } else if (!draining) {
        writes.made("Deregistered", kind + " " + tg.targetGroupName(), "stale target " + t.id() + (t.port() == null ? "" : ":" + t.port()),
            () -> elb.deregisterTarget(tg.targetGroupArn(), t.id(), t.port()));
      }
    }
    if (!present) {
      writes.made("Registered", kind + " " + tg.targetGroupName(), "target " + targetId + (port == null ? "" : ":" + port) + " missing",
          () -> elb.registerTarget(tg.targetGroupArn(), targetId, port));
    }
    return Optional.ofNullable(health);
  }

  /**
   * Deletes our group of this name, read afresh (a deletion must see exactly what is there now): one without
   * our owner tags is never touched. False while AWS reports it in use (see {@link #delete}).
   */
  public boolean deleteIfOurs(String resource, String name, String why) {
    Optional<TargetGroup> tg = inventory.freshTargetGroup(name);
    if (tg.isEmpty() || !ownership.owns(inventory.freshTags(tg.get().targetGroupArn()))) {
      return true;
    }
    return delete(resource, tg.get().targetGroupArn(), name, why);
  }

  /**
   * Deletes the group (the caller made sure it is ours), announced once AWS accepted it. False while AWS
   * answers ResourceInUse: a listener or rule still forwards to it, or a load balancer being deleted still
   * holds it (AWS deletes load balancers asynchronously); the caller comes back. A group already gone is deleted.
   */
  public boolean delete(String resource, String arn, String name, String why) {
    try {
      writes.made("Deleted", resource, why, () -> inventory.writes().deleteTargetGroup(arn, name));
    } catch (AwsFailure f) {
      if ("ResourceInUse".equals(f.awsErrorCode())) {
        return false;
      }
      if (!f.isNotFound()) {
        throw f;
      }
    }
    return true;
  }
}
