package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.model.ChainModel;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** The ARNs and names a run leaves behind: the object's status pieces. */
public record ChainStatus(String nlbArn, String nlbDnsName, String nlbListenerArn, String nlbTargetGroupArn,
    String albArn, String albDnsName, String albListenerArn, String lambdaTargetGroupArn,
    String functionArn, String imageDigest, String permissionStatementId,
    String nlbHttpsListenerArn, String nlbHttpsTargetGroupArn, String albHttpsListenerArn, String albWebAclArn) {

  /** The ALB listeners the routes' rules go on: the HTTP one unless it redirects, and the HTTPS one (spec.alb.https). */
  public List<String> routedListenerArns(ChainModel model) {
    List<String> arns = new java.util.ArrayList<>();
    if (albListenerArn != null && model.alb().httpServes()) {
      arns.add(albListenerArn);
    }
    if (albHttpsListenerArn != null && model.alb().https().isPresent()) {
      arns.add(albHttpsListenerArn);
    }
    return arns;
  }

  /** A run that stopped early: the NLB side is not known yet (the caller keeps the previous status for it). */
  static ChainStatus partial(LoadBalancer alb, Listener albListener, Listener albHttps, String webAcl, TargetGroup lambdaTargets,
      String functionArn, String digest, ChainModel desired) {
    return new ChainStatus(null, null, null, null,
        alb == null ? null : alb.loadBalancerArn(), alb == null ? null : alb.dnsName(),
        albListener == null ? null : albListener.listenerArn(), lambdaTargets.targetGroupArn(), functionArn, digest,
        desired.permissionStatementId(), null, null, albHttps == null ? null : albHttps.listenerArn(), webAcl);
  }
}
