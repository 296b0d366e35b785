package io.lambdaingress.operator.cache;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The writes to what {@link ElbInventory} keeps, made through it: each calls the adapter, then puts AWS's
 * answer (or what the write changed) into the inventory, so no caller keeps the shared reads in step by
 * hand. A write AWS refused changes nothing here; a not-found drops what was kept of the resource.
 */
public final class ElbInventoryWrites {

  private final ElbV2Client elb;
  private final ElbInventory inventory;

  ElbInventoryWrites(ElbV2Client elb, ElbInventory inventory) {
    this.elb = elb;
    this.inventory = inventory;
  }

  public LoadBalancer createLoadBalancer(CreateLoadBalancerRequest desired) {
    LoadBalancer created = elb.createLoadBalancer(desired);
    inventory.remember(created);
    inventory.rememberTags(created.loadBalancerArn(), tagMap(desired.tags()));
    return created;
  }

  /** Its listeners go with it (AWS deletes them); a not-found is thrown after the inventory dropped it. */
  public void deleteLoadBalancer(String arn, String name) {
    try {
      elb.deleteLoadBalancer(arn);
    } finally {
      inventory.forgetLoadBalancer(name);
    }
  }

  /** @param enforcePrivateLink an NLB's on/off, or null: not sent, AWS keeps what it has */
  public void setSecurityGroups(LoadBalancer lb, List<String> groups, String enforcePrivateLink) {
    elb.setSecurityGroups(lb.loadBalancerArn(), groups, enforcePrivateLink);
    inventory.remember(lb.toBuilder().securityGroups(groups).enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(
        enforcePrivateLink == null ? lb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic() : enforcePrivateLink).build());
  }

  /** The zones the load balancer reports change with its subnets: it is read afresh next time. */
  public void setSubnets(LoadBalancer lb, List<String> subnets) {
    elb.setSubnets(lb.loadBalancerArn(), subnets);
    inventory.forgetLoadBalancer(lb.loadBalancerName());
  }

  public void setLoadBalancerAttributes(String arn, Map<String, String> changes) {
    elb.setLoadBalancerAttributes(arn, changes);
    inventory.rememberAttributes(arn, changes);
  }

  public TargetGroup createTargetGroup(CreateTargetGroupRequest desired) {
    TargetGroup created = elb.createTargetGroup(desired);
    inventory.remember(created);
    inventory.rememberTags(created.targetGroupArn(), tagMap(desired.tags()));
    return created;
  }

  /** The health check of {@code desired} on the group, in place. */
  public void setHealthCheck(TargetGroup tg, CreateTargetGroupRequest desired) {
    elb.modifyTargetGroup(ModifyTargetGroupRequest.builder().targetGroupArn(tg.targetGroupArn())
        .healthCheckProtocol(desired.healthCheckProtocol()).healthCheckPath(desired.healthCheckPath())
        .healthCheckPort(desired.healthCheckPort()).build());
    inventory.remember(tg.toBuilder().healthCheckProtocol(desired.healthCheckProtocol())
        .healthCheckPath(desired.healthCheckPath()).healthCheckPort(desired.healthCheckPort()).build());
  }

  public void setTargetGroupAttributes(String arn, Map<String, String> changes) {
    elb.setTargetGroupAttributes(arn, changes);
    inventory.rememberAttributes(arn, changes);
  }

  /** AWS refuses while something forwards to the group (ResourceInUse): then the inventory keeps it. */
  public void deleteTargetGroup(String arn, String name) {
    try {
      elb.deleteTargetGroup(arn);
    } catch (AwsFailure f) {
      if (f.isNotFound()) {
        inventory.forgetTargetGroup(name);
      }
      throw f;
    }
    inventory.forgetTargetGroup(name);
  }

  /** Sets {@code set} and removes {@code removed} on a resource whose tags are {@code observed}. */
  public void retag(String arn, Map<String, String> observed, Map<String, String> set, Collection<String> removed) {
    elb.addTags(arn, set);
    elb.removeTags(arn, removed);
    Map<String, String> now = new HashMap<>(observed);
    now.putAll(set);
    removed.forEach(now::remove);
    inventory.rememberTags(arn, now);
  }

  public Listener createListener(CreateListenerRequest request) {
    Listener created;
    try {
      created = elb.createListener(request);
    } catch (RuntimeException e) {
      inventory.forgetListeners(request.loadBalancerArn()); // it may exist after all: read the load balancer afresh
      throw e;
    }
    inventory.rememberListener(request.loadBalancerArn(), created);
    return created;
  }

  /** The listener as AWS reports it after the change; empty when the answer names none (then read afresh next time). */
  public Optional<Listener> modifyListener(String loadBalancerArn, String listenerArn, ProtocolEnum protocol, int port, String targetGroupArn) {
    Optional<Listener> modified = elb.modifyListener(listenerArn, protocol, port, targetGroupArn);
    modified.ifPresentOrElse(m -> inventory.rememberListener(loadBalancerArn, m), () -> inventory.forgetListeners(loadBalancerArn));
    return modified;
  }

  /** The same for any change of a listener (its certificate, policy or default action). */
  public Optional<Listener> modifyListener(String loadBalancerArn, ModifyListenerRequest request) {
    Optional<Listener> modified = elb.modifyListener(request);
    modified.ifPresentOrElse(m -> inventory.rememberListener(loadBalancerArn, m), () -> inventory.forgetListeners(loadBalancerArn));
    return modified;
  }

  public void deleteListener(String loadBalancerArn, String listenerArn) {
    try {
      elb.deleteListener(listenerArn);
    } finally {
      inventory.forgetListeners(loadBalancerArn);
    }
  }

  public static Map<String, String> tagMap(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }
}
