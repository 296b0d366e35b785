package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.model.ListenerShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * The listeners of our load balancers: each the given protocol and port ({@link ListenerShape}), its default action
 * one forward to our target group (or the HTTP listener's redirect to HTTPS), an HTTPS one with its policy and default
 * certificate. A port change modifies the listener in place; listeners someone added on other ports are left alone.
 * A listener is created with our owner tags. Every deletion of a listener is here.
 */
public final class ListenerStep {

  private final ElbInventory inventory;
  private final Map<String, String> ownerTags;
  private final Announcer writes;

  /** @param ownerTags what every listener we create carries from its creation on */
  public ListenerStep(ElbInventory inventory, Map<String, String> ownerTags, Announcer writes) {
    this.inventory = inventory;
    this.ownerTags = Map.copyOf(ownerTags);
    this.writes = writes;
  }

  public Listener ensure(String kind, String loadBalancerArn, ProtocolEnum protocol, int port, String targetGroupArn) {
    return ensure(kind, loadBalancerArn, ListenerShape.forward(protocol, port, targetGroupArn));
  }

  public Listener ensure(String kind, String loadBalancerArn, ListenerShape desired) {
    return ensure(kind, loadBalancerArn, desired, () -> {});
  }

  /** @param beforeWrite runs before the listener is created or changed (an HTTPS listener's certificate checked first) */
  public Listener ensure(String kind, String loadBalancerArn, ListenerShape desired, Runnable beforeWrite) {
    List<Listener> listeners = inventory.listeners(loadBalancerArn);
    Optional<Listener> onPort = listeners.stream().filter(l -> l.port() == desired.port()).findFirst();
    // Ours on another port is the one a port change moved: the listener of that protocol forwarding to our group (the
    // ALB's HTTP and HTTPS listeners forward to the same one), else, for the HTTP one, our redirect to HTTPS -- also
    // when the redirect is no longer wanted, so that a port change turning redirectHttp off moves it in one
    // ModifyListener instead of leaving it beside a new one.
    Optional<Listener> ours = onPort
        .or(() -> listeners.stream().filter(l -> l.protocol() == desired.protocol() && forwardsTo(l, desired.targetGroupArn())).findFirst())
        .or(() -> listeners.stream().filter(l -> isOurRedirect(desired, l)).findFirst());
    if (ours.isEmpty()) {
      beforeWrite.run();
      return writes.made("Created", kind + " listener " + desired.protocol() + ":" + desired.port(), "missing",
          () -> inventory.writes().createListener(desired.create(loadBalancerArn, ownerTags)));
    }
    Listener l = ours.get();
    if (differs(desired, l)) {
      beforeWrite.run();
      Optional<Listener> modified = writes.made("Updated", kind + " listener " + l.listenerArn(),
          l.protocolAsString() + ":" + l.port() + " -> " + desired.describe(),
          () -> inventory.writes().modifyListener(loadBalancerArn, desired.modify(l.listenerArn())));
      return modified.orElseGet(() -> {
        Listener.Builder b = l.toBuilder().protocol(desired.protocol()).port(desired.port()).defaultActions(desired.defaultAction());
        if (desired.defaultCertificate() != null) {
          b.sslPolicy(desired.sslPolicy()).certificates(c -> c.certificateArn(desired.defaultCertificate()));
        }
        return b.build();
      });
    }
    return l;
  }

  /**
   * Whether the listener is not as {@code desired}: port, protocol, default action, and for HTTPS the security
   * policy and the default certificate (the first certificate AWS reports: DescribeListeners names the default
   * only; the test world names the whole list, the default first).
   */
  public static boolean differs(ListenerShape desired, Listener l) {
    if (l.port() != desired.port() || l.protocol() != desired.protocol()) {
      return true;
    }
    boolean action = desired.redirects() ? !redirectsOnlyTo(l, desired.redirectPort()) : !forwardsOnlyTo(l, desired.targetGroupArn());
    if (action || desired.defaultCertificate() == null) {
      return action;
    }
    String certificate = l.hasCertificates() && !l.certificates().isEmpty() ? l.certificates().get(0).certificateArn() : null;
    return !desired.sslPolicy().equals(l.sslPolicy()) || !desired.defaultCertificate().equals(certificate);
  }

  private boolean isOurRedirect(ListenerShape desired, Listener l) {
    if (desired.protocol() != ProtocolEnum.HTTP || l.protocol() != ProtocolEnum.HTTP || !redirectsToHttps(l)) {
      return false;
    }
    // A redirect no longer wanted: only our own (its owner tags, given at its creation), never someone's redirect
    // listener on an adopted ALB.
    return desired.redirects() || inventory.tags(l.listenerArn()).entrySet().containsAll(ownerTags.entrySet());
  }

  /** The default action as we set it for redirectHttp: one redirect, 301, to HTTPS on that port. */
  static boolean redirectsOnlyTo(Listener l, int httpsPort) {
    return l.defaultActions().size() == 1 && redirectsToHttps(l) && l.defaultActions().get(0).redirectConfig().statusCode()
        == RedirectActionStatusCodeEnum.HTTP_301 && Integer.toString(httpsPort).equals(l.defaultActions().get(0).redirectConfig().port());
  }

  private static boolean redirectsToHttps(Listener l) {
    return !l.defaultActions().isEmpty() && l.defaultActions().get(0).type() == ActionTypeEnum.REDIRECT
        && l.defaultActions().get(0).redirectConfig() != null && "HTTPS".equals(l.defaultActions().get(0).redirectConfig().protocol());
  }

  /**
   * Deletes our listeners of this protocol that forward to one of {@code targetGroupArns} (what a removed
   * spec.alb.https leaves: the ALB's HTTPS listener); none on another protocol, none forwarding elsewhere. Each
   * deletion announced once AWS accepted it.
   */
  public void deleteForwarding(String kind, String loadBalancerArn, ProtocolEnum protocol, Set<String> targetGroupArns, String why) {
    for (Listener l : inventory.listeners(loadBalancerArn)) {
      if (l.protocol() == protocol && targetGroupArns.stream().anyMatch(tg -> forwardsTo(l, tg))) {
        writes.made("Deleted", kind + " listener " + l.protocolAsString() + ":" + l.port(), why,
            () -> inventory.writes().deleteListener(loadBalancerArn, l.listenerArn()));
      }
    }
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

  /**
   * The one group a load balancer's listener forwards to, when it is not {@code expectedGroupArn}: an adopted NLB's
   * listener still on the adopted stack's path, which serves until the chain's does. The listener by ARN, or
   * (null) the one on {@code port}.
   */
  public Optional<String> forwardsElsewhere(String loadBalancerArn, String listenerArn, int port, String expectedGroupArn) {
    return inventory.listeners(loadBalancerArn).stream()
        .filter(l -> listenerArn != null ? l.listenerArn().equals(listenerArn) : l.port() == port)
        .filter(l -> l.defaultActions().size() == 1)
        .map(l -> forwardedTo(l.defaultActions().get(0)))
        .filter(groups -> groups.size() == 1 && !groups.contains(expectedGroupArn))
        .map(groups -> groups.iterator().next()).findFirst();
  }

  /** The groups a forward sends to: its weighted list when it has one (AWS reports both forms), else its one ARN. */
  public static Set<String> forwardedTo(Action a) {
    if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
      return a.forwardConfig().targetGroups().stream().map(TargetGroupTuple::targetGroupArn).collect(Collectors.toSet());
    }
    return a.targetGroupArn() == null ? Set.of() : Set.of(a.targetGroupArn());
  }
}
