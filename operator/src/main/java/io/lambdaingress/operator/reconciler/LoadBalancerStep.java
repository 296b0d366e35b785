package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.ElbV2Client;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetMapping;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * One load balancer (the NLB or the ALB): find it by its derived name, create it when missing, change
 * in place what AWS lets us change (security groups, ALB subnets, attributes, tags), and replace it when
 * what differs can only be set at creation (type, scheme, NLB subnet mappings and their static IPs).
 */
final class LoadBalancerStep {

  /** What to do with an existing load balancer, and why (for the Event). */
  record Verdict(boolean replace, String why) {}

  private final ElbInventory inventory;
  private final ElbV2Client elb;
  private final Ownership ownership;
  private final AwsWrites writes;

  LoadBalancerStep(ElbInventory inventory, Ownership ownership, AwsWrites writes) {
    this.inventory = inventory;
    this.elb = inventory.client();
    this.ownership = ownership;
    this.writes = writes;
  }

  /**
   * Converges the load balancer; returns it, or empty when a replacement has deleted it and the new one
   * must wait (AWS holds the name and the static IPs until the old one is gone): the caller requeues.
   */
  Optional<LoadBalancer> ensure(String kind, CreateLoadBalancerRequest desired, Map<String, String> attributes) {
    Optional<LoadBalancer> found = inventory.loadBalancer(desired.name());
    if (found.isEmpty()) {
      writes.announce("Created", kind + " " + desired.name(), "missing");
      LoadBalancer created = elb.createLoadBalancer(desired);
      inventory.remember(created);
      inventory.rememberTags(created.loadBalancerArn(), tagMap(desired.tags()));
      applyAttributes(kind, created, attributes);
      return Optional.of(created);
    }
    LoadBalancer lb = found.get();
    Map<String, String> tags = inventory.tags(lb.loadBalancerArn());
    ownership.require(kind, desired.name(), lb.loadBalancerArn(), tags);

    Verdict verdict = compareImmutable(desired, lb);
    if (verdict.replace()) {
      writes.announce("Replaced", kind + " " + desired.name(), verdict.why() + " (only settable at creation; "
          + "the old one is deleted first, so its DNS name changes and its listeners go with it)");
      elb.deleteLoadBalancer(lb.loadBalancerArn());
      inventory.forgetLoadBalancer(desired.name());
      return Optional.empty();
    }
    if (!desired.securityGroups().isEmpty() && !Set.copyOf(desired.securityGroups()).equals(Set.copyOf(lb.securityGroups()))) {
      writes.announce("Updated", kind + " " + desired.name(), "security groups " + lb.securityGroups() + " -> " + desired.securityGroups());
      elb.setSecurityGroups(lb.loadBalancerArn(), desired.securityGroups());
      inventory.remember(lb.toBuilder().securityGroups(desired.securityGroups()).build());
    }
    if (!desired.subnets().isEmpty() && !Set.copyOf(desired.subnets()).equals(observedSubnets(lb))) {
      writes.announce("Updated", kind + " " + desired.name(), "subnets " + observedSubnets(lb) + " -> " + desired.subnets());
      elb.setSubnets(lb.loadBalancerArn(), desired.subnets());
      inventory.forgetLoadBalancer(desired.name()); // the zones it reports change: read it afresh next time
    }
    applyAttributes(kind, lb, attributes);
    syncTags(inventory, kind + " " + desired.name(), lb.loadBalancerArn(), tags, desired.tags(), writes);
    return Optional.of(lb);
  }

  static Verdict compareImmutable(CreateLoadBalancerRequest desired, LoadBalancer lb) {
    if (!desired.typeAsString().equals(lb.typeAsString())) {
      return new Verdict(true, "type " + lb.typeAsString() + " -> " + desired.typeAsString());
    }
    if (!desired.schemeAsString().equals(lb.schemeAsString())) {
      return new Verdict(true, "scheme " + lb.schemeAsString() + " -> " + desired.schemeAsString());
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
    if (!diff.isEmpty()) {
      writes.announce("Updated", kind + " " + lb.loadBalancerName(), "attributes " + diff.set());
      elb.setLoadBalancerAttributes(lb.loadBalancerArn(), diff.set());
      inventory.rememberAttributes(lb.loadBalancerArn(), diff.set());
    }
  }

  /** Makes the resource's tags the desired ones (see {@link MapDiff#tags}). */
  static void syncTags(ElbInventory inventory, String resource, String arn, Map<String, String> observed, List<Tag> desired, AwsWrites writes) {
    MapDiff diff = MapDiff.tags(observed, tagMap(desired));
    if (!diff.isEmpty()) {
      writes.announce("Updated", resource, "tags: " + diff.describe());
      inventory.client().addTags(arn, diff.set());
      inventory.client().removeTags(arn, diff.removed());
      inventory.rememberTags(arn, diff.applyTo(observed));
    }
  }

  static Map<String, String> tagMap(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }
}
