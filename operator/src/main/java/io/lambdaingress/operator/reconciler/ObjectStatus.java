package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.api.LambdaStatus;
import io.lambdaingress.operator.api.LoadBalancerStatus;

/** How a run's results map onto the object's status, and the status patch JOSDK applies. */
final class ObjectStatus {

  private ObjectStatus() {}

  /**
   * The status of a run. A run that stopped early (AWS still busy) knows only part of the chain: the
   * pieces it did not reach keep what the previous status said rather than going blank.
   */
  static LambdaIngressStatus of(ChainStatus s, LambdaIngressStatus previous, long generation) {
    LambdaIngressStatus status = new LambdaIngressStatus();
    status.setObservedGeneration(generation);
    status.setNlb(s.nlbArn() != null ? piece(s.nlbArn(), s.nlbDnsName(), s.nlbListenerArn(), s.nlbTargetGroupArn(),
        s.nlbHttpsListenerArn(), s.nlbHttpsTargetGroupArn()) : previous == null ? null : previous.getNlb());
    status.setAlb(s.albArn() != null ? piece(s.albArn(), s.albDnsName(), s.albListenerArn(), s.lambdaTargetGroupArn(),
        s.albHttpsListenerArn(), null) : previous == null ? null : previous.getAlb());
    if (s.albArn() != null) {
      status.getAlb().setWebAclArn(s.albWebAclArn());
    }
    status.setEndpoint(status.getNlb() == null ? null : status.getNlb().getDnsName());
    LambdaStatus lambda = new LambdaStatus();
    lambda.setFunctionArn(s.functionArn());
    lambda.setImageDigest(s.imageDigest());
    lambda.setPermissionStatementId(s.permissionStatementId());
    status.setLambda(lambda);
    status.setRoutes(previous == null ? null : previous.getRoutes());
    status.setAdopted(previous == null ? null : previous.getAdopted());
    status.setRoutesReady(previous == null ? null : previous.getRoutesReady());
    return status;
  }

  private static LoadBalancerStatus piece(String arn, String dns, String listener, String targetGroup, String httpsListener,
      String httpsTargetGroup) {
    LoadBalancerStatus p = new LoadBalancerStatus();
    p.setHttpsListenerArn(httpsListener);
    p.setHttpsTargetGroupArn(httpsTargetGroup);
    p.setArn(arn);
    p.setDnsName(dns);
    p.setListenerArn(listener);
    p.setTargetGroupArn(targetGroup);
    return p;
  }

  /** The previous status as it was (a failed run keeps every piece it knew), or an empty one. */
  static LambdaIngressStatus copyOf(LambdaIngressStatus s) {
    LambdaIngressStatus c = new LambdaIngressStatus();
    if (s == null) {
      return c;
    }
    c.setObservedGeneration(s.getObservedGeneration());
    c.setEndpoint(s.getEndpoint());
    c.setNlb(s.getNlb());
    c.setAlb(s.getAlb());
    c.setLambda(s.getLambda());
    c.setEndpointService(s.getEndpointService());
    c.setRoutes(s.getRoutes());
    c.setAdopted(s.getAdopted());
    c.setRoutesReady(s.getRoutesReady());
    c.setConditions(s.getConditions());
    return c;
  }

  /**
   * A fresh object carrying only the status: JOSDK applies it to the status subresource with server-side
   * apply, where a resourceVersion would turn the patch into an optimistic lock and fail on any concurrent write.
   */
  static LambdaIngress patch(LambdaIngress li, LambdaIngressStatus status) {
    LambdaIngress patch = new LambdaIngress();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(li.getMetadata().getName())
        .withNamespace(li.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return patch;
  }
}
