package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.cache.ElbInventory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * The one listener of our load balancer: the given protocol and port, its default action one forward to our
 * target group. A port change modifies the listener in place; listeners someone added on other ports are
 * left alone. Every deletion of a listener is here.
 */
public final class ListenerStep {

  private final ElbInventory inventory;
  private final Announcer writes;

  public ListenerStep(ElbInventory inventory, Announcer writes) {
    this.inventory = inventory;
    this.writes = writes;
  }

  public Listener ensure(String kind, String loadBalancerArn, ProtocolEnum protocol, int port, String targetGroupArn) {
    List<Listener> listeners = inventory.listeners(loadBalancerArn);
    Optional<Listener> onPort = listeners.stream().filter(l -> l.port() == port).findFirst();
    // Ours on another port is the one a port change moved; recognised by where it forwards.
    Optional<Listener> ours = onPort.or(() -> listeners.stream().filter(l -> forwardsTo(l, targetGroupArn)).findFirst());
    if (ours.isEmpty()) {
      return writes.made("Created", kind + " listener " + protocol + ":" + port, "missing", () -> inventory.writes().createListener(
          CreateListenerRequest.builder().loadBalancerArn(loadBalancerArn).protocol(protocol).port(port)
              .defaultActions(ElbV2Client.forwardTo(targetGroupArn)).build()));
    }
    Listener l = ours.get();
    if (l.port() != port || !forwardsOnlyTo(l, targetGroupArn) || l.protocol() != protocol) {
      Optional<Listener> modified = writes.made("Updated", kind + " listener " + l.listenerArn(),
          l.protocolAsString() + ":" + l.port() + " -> " + protocol + ":" + port + " forwarding to " + targetGroupArn,
          () -> inventory.writes().modifyListener(loadBalancerArn, l.listenerArn(), protocol, port, targetGroupArn));
      return modified.orElseGet(() -> l.toBuilder().protocol(protocol).port(port).defaultActions(ElbV2Client.forwardTo(targetGroupArn)).build());
    }
    return l;
  }

  /**
   * Before a target group is replaced: deletes the listeners that forward to it on our load balancer, and no
   * other (a listener someone added on another port, or a load balancer of that name without our owner
   * tags, is left alone; AWS then refuses the group's deletion with ResourceInUse, which the user sees).
   * Read afresh; each deletion announced once AWS accepted it.
   */
  public void detach(Ownership ownership, String kind, String loadBalancerName, String targetGroupArn) {
    Optional<LoadBalancer> lb = inventory.freshLoadBalancer(loadBalancerName);
    if (lb.isEmpty()) {
      return;
    }
    String arn = lb.get().loadBalancerArn();
    for (Listener l : detachable(ownership, inventory.freshTags(arn), inventory.client().listeners(arn), targetGroupArn)) {
      writes.made("Deleted", kind + " listener " + l.protocolAsString() + ":" + l.port(), "it forwards to the target group being replaced",
          () -> inventory.writes().deleteListener(arn, l.listenerArn()));
    }
  }

  /** Whether any default action sends traffic to the target group: how ours is recognised after a port change. */
  public static boolean forwardsTo(Listener l, String targetGroupArn) {
    return l.defaultActions().stream().anyMatch(a -> forwardedTo(a).contains(targetGroupArn));
  }

  /**
   * The listeners a target group replacement may delete: on a load balancer carrying our owner tags
   * ({@code loadBalancerTags}), those that forward to the group being replaced. Nothing on anyone else's.
   */
  public static List<Listener> detachable(Ownership ownership, Map<String, String> loadBalancerTags, List<Listener> listeners,
      String targetGroupArn) {
    if (!ownership.owns(loadBalancerTags)) {
      return List.of();
    }
    return listeners.stream().filter(l -> forwardsTo(l, targetGroupArn)).toList();
  }

  /**
   * The default action as we set it: one forward, to our target group alone. A fixed response, a redirect,
   * or a weighted forward that also sends some traffic to another group is drift.
   */
  public static boolean forwardsOnlyTo(Listener l, String targetGroupArn) {
    return l.defaultActions().size() == 1 && l.defaultActions().get(0).type() == ActionTypeEnum.FORWARD
        && forwardedTo(l.defaultActions().get(0)).equals(Set.of(targetGroupArn));
  }

  /** The groups a forward sends to: its weighted list when it has one (AWS reports both forms), else its one ARN. */
  public static Set<String> forwardedTo(Action a) {
    if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
      return a.forwardConfig().targetGroups().stream().map(TargetGroupTuple::targetGroupArn).collect(Collectors.toSet());
    }
    return a.targetGroupArn() == null ? Set.of() : Set.of(a.targetGroupArn());
  }
}
