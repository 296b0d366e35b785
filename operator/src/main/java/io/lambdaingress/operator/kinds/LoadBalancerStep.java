package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.AccessLogBucketPolicy;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.cache.ElbInventoryWrites;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetMapping;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * One load balancer (the NLB or the ALB): find it by its derived name, create it when missing, change
 * in place what AWS lets us change (security groups, ALB subnets, attributes, tags), and replace it when
 * what differs can only be set at creation (type, scheme, NLB subnet mappings and their static IPs). Every
 * deletion of a load balancer is here.
 */
public final class LoadBalancerStep {

  /** What to do with an existing load balancer, and why (for the Event). */
  public record Verdict(boolean replace, String why) {}

  private final ElbInventory inventory;
  private final Ownership ownership;
  private final Announcer writes;

  public LoadBalancerStep(ElbInventory inventory, Ownership ownership, Announcer writes) {
    this.inventory = inventory;
    this.ownership = ownership;
    this.writes = writes;
  }

  /**
   * Converges the load balancer; returns it, or empty when a replacement has deleted it and the new one
   * must wait (AWS holds the name and the static IPs until the old one is gone): the caller requeues.
   */
  public Optional<LoadBalancer> ensure(String kind, CreateLoadBalancerRequest desired, Map<String, String> attributes) {
    return ensure(kind, desired, attributes, Optional.empty());
  }

  /**
   * The same, for an NLB with its EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ({@code privateLinkInboundRules},
   * on/off; empty: what AWS has is kept). CreateLoadBalancer takes no such parameter: SetSecurityGroups sets it, also
   * right after the creation.
   */
  public Optional<LoadBalancer> ensure(String kind, CreateLoadBalancerRequest desired, Map<String, String> attributes,
      Optional<String> privateLinkInboundRules) {
    Optional<LoadBalancer> found = inventory.loadBalancer(desired.name());
    if (found.isPresent() && provisioning(found.get())) {
      // AWS moves it to active by itself, with no event: the shared listing (kept up to a minute with the
      // event queue) would hold Ready back that long. One read by name, only while it provisions.
      found = Optional.of(inventory.reread(found.get()));
    }
    if (found.isEmpty()) {
      LoadBalancer created = writes.made("Created", kind + " " + desired.name(), "missing", () -> inventory.writes().createLoadBalancer(desired));
      applySecurityGroups(kind, desired, created, privateLinkInboundRules);
      applyAttributes(kind, created, attributes);
      return Optional.of(created);
    }
    LoadBalancer lb = found.get();
    Map<String, String> tags = inventory.tags(lb.loadBalancerArn());
    ownership.require(kind, desired.name(), lb.loadBalancerArn(), tags);

    Verdict verdict = compareImmutable(desired, lb);
    if (verdict.replace()) {
      writes.made("Replaced", kind + " " + desired.name(), verdict.why() + " (only settable at creation; "
          + "the old one is deleted first, so its DNS name changes and its listeners go with it)",
          () -> inventory.writes().deleteLoadBalancer(lb.loadBalancerArn(), desired.name()));
      return Optional.empty();
    }
    applySecurityGroups(kind, desired, lb, privateLinkInboundRules);
    if (!desired.subnets().isEmpty() && !Set.copyOf(desired.subnets()).equals(observedSubnets(lb))) {
      writes.made("Updated", kind + " " + desired.name(), "subnets " + observedSubnets(lb) + " -> " + desired.subnets(),
          () -> inventory.writes().setSubnets(lb, desired.subnets()));
    }
    applyAttributes(kind, lb, attributes);
    syncTags(inventory, kind + " " + desired.name(), lb.loadBalancerArn(), tags, desired.tags(), writes);
    return Optional.of(lb);
  }

  /** Deletes our load balancer of this name, read afresh; one without our owner tags is never touched. */
  public void deleteIfOurs(String resource, String name, String why) {
    Optional<LoadBalancer> found = inventory.freshLoadBalancer(name);
    if (found.isPresent() && ownership.owns(inventory.freshTags(found.get().loadBalancerArn()))) {
      delete(resource, found.get().loadBalancerArn(), name, why);
    }
  }

  /**
   * The same for the object's own deletion, with AWS's deletion protection (which refuses DeleteLoadBalancer while on):
   * when the spec asks for it ({@code protectionWanted}) the deletion is refused here with what to do, naming the field;
   * when it does not (set false since, or never set and turned on out of band), it is turned off first. Read afresh.
   *
   * @param protectionField the spec field that asks for it, for the message
   */
  public void deleteIfOurs(String resource, String name, String why, String protectionField, boolean protectionWanted) {
    Optional<LoadBalancer> found = inventory.freshLoadBalancer(name);
    if (found.isEmpty() || !ownership.owns(inventory.freshTags(found.get().loadBalancerArn()))) {
      return;
    }
    String arn = found.get().loadBalancerArn();
    if ("true".equals(inventory.client().loadBalancerAttributes(arn).get(ChainModel.DELETION_PROTECTION))) {
      if (protectionWanted) {
        throw new AwsFailure(Reason.InvalidSpec, resource + " has deletion protection on (" + protectionField + ": true), so AWS "
            + "refuses to delete it and the object stays: set " + protectionField + " to false to let the operator delete it, "
            + "or deletionPolicy: Retain to keep the AWS resources");
      }
      writes.made("Updated", resource, "deletion protection turned off to delete it (" + protectionField + " is not true)",
          () -> inventory.writes().setLoadBalancerAttributes(arn, Map.of(ChainModel.DELETION_PROTECTION, "false")));
    }
    delete(resource, arn, name, why);
  }

  /**
   * Deletes the load balancer (the caller made sure it is ours), announced once AWS accepted it; its
   * listeners go with it. AWS refuses (ResourceInUse) while an endpoint service uses it: the failure goes to
   * the caller. One already gone is deleted.
   */
  public void delete(String resource, String arn, String name, String why) {
    try {
      writes.made("Deleted", resource, why, () -> inventory.writes().deleteLoadBalancer(arn, name));
    } catch (AwsFailure f) {
      if (!f.isNotFound()) {
        throw f;
      }
    }
  }

  /**
   * Security groups in place (SetSecurityGroups), with an NLB's PrivateLink setting. None wanted: not managed (an ALB keeps
   * the VPC's default group AWS gave it; for an NLB, none where it has some is a replacement, {@link #compareImmutable}).
   */
  private void applySecurityGroups(String kind, CreateLoadBalancerRequest desired, LoadBalancer lb, Optional<String> privateLinkInboundRules) {
    if (desired.securityGroups().isEmpty()) {
      return;
    }
    List<String> changes = new java.util.ArrayList<>();
    if (!Set.copyOf(desired.securityGroups()).equals(Set.copyOf(lb.securityGroups()))) {
      changes.add("security groups " + lb.securityGroups() + " -> " + desired.securityGroups());
    }
    String observedRules = lb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic();
    privateLinkInboundRules.filter(wanted -> !wanted.equals(observedRules))
        .ifPresent(wanted -> changes.add("security group inbound rules on PrivateLink traffic " + observedRules + " -> " + wanted));
    if (!changes.isEmpty()) {
      writes.made("Updated", kind + " " + desired.name(), String.join(", ", changes),
          () -> inventory.writes().setSecurityGroups(lb, desired.securityGroups(), privateLinkInboundRules.orElse(null)));
    }
  }

  private static boolean provisioning(LoadBalancer lb) {
    return lb.state() != null && lb.state().code() == LoadBalancerStateEnum.PROVISIONING;
  }

  public static Verdict compareImmutable(CreateLoadBalancerRequest desired, LoadBalancer lb) {
    if (!desired.typeAsString().equals(lb.typeAsString())) {
      return new Verdict(true, "type " + lb.typeAsString() + " -> " + desired.typeAsString());
    }
    if (!desired.schemeAsString().equals(lb.schemeAsString())) {
      return new Verdict(true, "scheme " + lb.schemeAsString() + " -> " + desired.schemeAsString());
    }
    // AWS gives an NLB its first security groups only at creation, and refuses to take them all away (SetSecurityGroups:
    // InvalidConfigurationRequest); groups changed while it has some are changed in place.
    if (LoadBalancerTypeEnum.NETWORK.toString().equals(desired.typeAsString())
        && desired.securityGroups().isEmpty() != lb.securityGroups().isEmpty()) {
      return new Verdict(true, "security groups " + lb.securityGroups() + " -> " + desired.securityGroups());
    }
    if (!desired.subnetMappings().isEmpty()) {
      Set<String> wanted = desired.subnetMappings().stream().map(SubnetMapping::subnetId).collect(Collectors.toSet());
      if (!wanted.equals(observedSubnets(lb))) {
        return new Verdict(true, "subnet mappings " + observedSubnets(lb) + " -> " + wanted);
      }
      // AWS reports each zone's private address; moto reports none, and then there is nothing to compare.
      for (SubnetMapping m : desired.subnetMappings()) {
        var reported = lb.availabilityZones().stream().filter(az -> az.subnetId().equals(m.subnetId()))
            .flatMap(az -> az.loadBalancerAddresses().stream()).map(a -> a.privateIPv4Address()).filter(a -> a != null).toList();
        if (!reported.isEmpty() && m.privateIPv4Address() != null && !reported.contains(m.privateIPv4Address())) {
          return new Verdict(true, "static IP in " + m.subnetId() + " " + reported + " -> " + m.privateIPv4Address());
        }
      }
    }
    return new Verdict(false, "");
  }

  private static Set<String> observedSubnets(LoadBalancer lb) {
    return lb.availabilityZones().stream().map(az -> az.subnetId()).collect(Collectors.toSet());
  }

  private void applyAttributes(String kind, LoadBalancer lb, Map<String, String> wanted) {
    if (wanted.isEmpty()) {
      return;
    }
    MapDiff diff = MapDiff.attributes(inventory.loadBalancerAttributes(lb.loadBalancerArn()), wanted);
    Map<String, String> others = diff.set().entrySet().stream().filter(e -> !AccessLogBucketPolicy.isAccessLogKey(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    if (!others.isEmpty()) {
      writes.made("Updated", kind + " " + lb.loadBalancerName(), "attributes " + others,
          () -> inventory.writes().setLoadBalancerAttributes(lb.loadBalancerArn(), others));
    }
    // The access logs on their own: AWS refuses the whole call when the bucket's policy does not let ELB write there, and
    // the other attributes need not wait for that. All three keys go together (AWS checks the bucket when they change).
    if (diff.set().keySet().stream().anyMatch(AccessLogBucketPolicy::isAccessLogKey)) {
      Map<String, String> accessLogs = wanted.entrySet().stream().filter(e -> AccessLogBucketPolicy.isAccessLogKey(e.getKey()))
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      try {
        writes.made("Updated", kind + " " + lb.loadBalancerName(), "access logs " + accessLogs,
            () -> inventory.writes().setLoadBalancerAttributes(lb.loadBalancerArn(), accessLogs));
      } catch (AwsFailure e) {
        throw accessLogsRefused(e, AccessLogBucketPolicy.of(accessLogs, lb.loadBalancerArn()));
      }
    }
  }

  /** A refusal of the access logs, naming the field and, when AWS could not write to the bucket, the statement its policy lacks. */
  static AwsFailure accessLogsRefused(AwsFailure e, Optional<AccessLogBucketPolicy> policy) {
    if (e.reason() != Reason.InvalidSpec) {
      return e;
    }
    String aws = e.getCause() instanceof AwsServiceException ase && ase.awsErrorDetails() != null
        ? ase.awsErrorDetails().errorCode() + ": " + ase.awsErrorDetails().errorMessage() : e.getMessage();
    String message = policy.isPresent() && aws.contains("Access Denied for bucket") ? policy.get().refusal(aws)
        : "spec.alb.attributes.accessLogs: " + e.getMessage();
    return new AwsFailure(Reason.InvalidSpec, message, e.awsErrorCode(), e);
  }

  /** Makes the resource's tags the desired ones (see {@link MapDiff#tags}). */
  public static void syncTags(ElbInventory inventory, String resource, String arn, Map<String, String> observed, List<Tag> desired, Announcer writes) {
    MapDiff diff = MapDiff.tags(observed, ElbInventoryWrites.tagMap(desired));
    if (!diff.isEmpty()) {
      writes.made("Updated", resource, "tags: " + diff.describe(), () -> inventory.writes().retag(arn, observed, diff.set(), diff.removed()));
    }
  }
}
