package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.kinds.ListenerCertificates;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.TargetGroupStep;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.ListenerShape;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * spec.alb.https on the ALB side of one run ({@link ChainReconciler} converges the NLB's listener and group of the
 * HTTPS port with the other port's): the ALB's HTTPS listener with its certificates, and, once spec.alb.https is
 * removed, what it left, in the order AWS lets it go.
 */
final class HttpsListeners {

  private final ElbInventory inventory;
  private final Ownership ownership;
  private final ListenerStep listeners;
  private final TargetGroupStep targetGroups;
  private final ListenerCertificates certificates;

  HttpsListeners(ElbInventory inventory, Ownership ownership, ListenerStep listeners, TargetGroupStep targetGroups,
      ListenerCertificates certificates) {
    this.inventory = inventory;
    this.ownership = ownership;
    this.listeners = listeners;
    this.targetGroups = targetGroups;
    this.certificates = certificates;
  }

  /** A certificate of another region can never serve: refused before anything is created (no call). */
  void requireInRegion(ChainModel model) {
    model.alb().https().ifPresent(certificates::requireInRegion);
  }

  /**
   * The ALB's HTTPS listener forwarding to {@code lambdaTargets}, with its policy, default certificate and certificate
   * list; a certificate ACM has not issued is refused before a write would use it. Null without spec.alb.https.
   */
  Listener onAlb(ChainModel.AlbSide alb, LoadBalancer albLb, TargetGroup lambdaTargets) {
    if (alb.https().isEmpty()) {
      return null;
    }
    ChainModel.Https https = alb.https().get();
    Listener listener = listeners.ensure("ALB", albLb.loadBalancerArn(), ListenerShape.https(https.port(), lambdaTargets.targetGroupArn(), https),
        () -> certificates.requireIssued(https, List.of(https.defaultCertificate())));
    certificates.ensureSni(listener.listenerArn(), https);
    return listener;
  }

  /**
   * What spec.alb.https left once removed: the NLB's listener of the HTTPS port and its alb target group (ours only),
   * then the ALB's HTTPS listener forwarding to one of our lambda target groups (the function's or its alias's).
   */
  void removed(ChainModel desired, LoadBalancer albLb, TargetGroup lambdaTargets, boolean viaAlias) {
    String why = "spec.alb.https removed";
    String name = desired.names().albHttpsTargetGroup();
    Optional<TargetGroup> left = inventory.listedTargetGroup(name);
    if (left.isPresent() && ownership.owns(inventory.tags(left.get().targetGroupArn()))) {
      listeners.detach(ownership, "NLB", desired.nlb().name(), left.get().targetGroupArn());
      targetGroups.deleteIfOurs("alb target group " + name, name, why);
    }
    Set<String> lambdaGroups = new HashSet<>(Set.of(lambdaTargets.targetGroupArn()));
    inventory.listedTargetGroup(desired.lambdaTargetGroup(!viaAlias).name()).ifPresent(g -> lambdaGroups.add(g.targetGroupArn()));
    listeners.deleteForwarding("ALB", albLb.loadBalancerArn(), ProtocolEnum.HTTPS, lambdaGroups, why);
  }
}
