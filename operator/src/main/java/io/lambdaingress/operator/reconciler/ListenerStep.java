package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.ElbV2Client;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * The one listener of our load balancer: the given protocol and port, forwarding to our target group.
 * A port change modifies the listener in place; listeners someone added on other ports are left alone.
 */
final class ListenerStep {

  private final ElbV2Client elb;
  private final AwsWrites writes;

  ListenerStep(ElbV2Client elb, AwsWrites writes) {
    this.elb = elb;
    this.writes = writes;
  }

  Listener ensure(String kind, String loadBalancerArn, ProtocolEnum protocol, int port, String targetGroupArn) {
    List<Listener> listeners = elb.listeners(loadBalancerArn);
    Optional<Listener> onPort = listeners.stream().filter(l -> l.port() == port).findFirst();
    // Ours on another port is the one a port change moved; recognised by where it forwards.
    Optional<Listener> ours = onPort.or(() -> listeners.stream().filter(l -> forwardsTo(l, targetGroupArn)).findFirst());
    if (ours.isEmpty()) {
      writes.announce("Created", kind + " listener " + protocol + ":" + port, "missing");
      return elb.createListener(CreateListenerRequest.builder().loadBalancerArn(loadBalancerArn).protocol(protocol)
          .port(port).defaultActions(ElbV2Client.forwardTo(targetGroupArn)).build());
    }
    Listener l = ours.get();
    if (l.port() != port || !forwardsTo(l, targetGroupArn) || l.protocol() != protocol) {
      writes.announce("Updated", kind + " listener " + l.listenerArn(),
          l.protocolAsString() + ":" + l.port() + " -> " + protocol + ":" + port + " forwarding to " + targetGroupArn);
      elb.modifyListener(l.listenerArn(), protocol, port, targetGroupArn);
      return l.toBuilder().protocol(protocol).port(port).build();
    }
    return l;
  }

  static boolean forwardsTo(Listener l, String targetGroupArn) {
    return l.defaultActions().stream().anyMatch(a -> targetGroupArn.equals(a.targetGroupArn())
        || a.forwardConfig() != null && a.forwardConfig().targetGroups().stream().anyMatch(t -> targetGroupArn.equals(t.targetGroupArn())));
  }

  /**
   * The listeners a target group replacement may delete: on a load balancer carrying our owner tags
   * ({@code loadBalancerTags}), those that forward to the group being replaced. Nothing on anyone else's.
   */
  static List<Listener> detachable(Ownership ownership, Map<String, String> loadBalancerTags, List<Listener> listeners,
      String targetGroupArn) {
    if (!ownership.owns(loadBalancerTags)) {
      return List.of();
    }
    return listeners.stream().filter(l -> forwardsTo(l, targetGroupArn)).toList();
  }
}
