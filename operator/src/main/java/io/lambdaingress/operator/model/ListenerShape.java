package io.lambdaingress.operator.model;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * One listener of ours as the spec wants it: protocol and port, its default action (a forward to our target
 * group, or the HTTP listener's 301 to HTTPS), and for HTTPS its security policy and default certificate (its
 * other certificates are its certificate list, converged apart: AWS keeps that list with its own calls).
 *
 * @param targetGroupArn the group it forwards to; for a redirect, the group it forwarded to before (how ours is
 *     recognised after a port change)
 * @param redirectPort the HTTPS port a redirect sends to; null for a forward
 */
public record ListenerShape(ProtocolEnum protocol, int port, String targetGroupArn, Integer redirectPort, String sslPolicy,
    String defaultCertificate) {

  public static ListenerShape forward(ProtocolEnum protocol, int port, String targetGroupArn) {
    return new ListenerShape(protocol, port, targetGroupArn, null, null, null);
  }

  public static ListenerShape https(int port, String targetGroupArn, ChainModel.Https https) {
    return new ListenerShape(ProtocolEnum.HTTPS, port, targetGroupArn, null, https.sslPolicy(), https.defaultCertificate());
  }

  /** The HTTP listener answering 301 to https:// on {@code httpsPort}, same host, path and query (AWS's defaults). */
  public static ListenerShape redirect(int port, int httpsPort, String formerTargetGroupArn) {
    return new ListenerShape(ProtocolEnum.HTTP, port, formerTargetGroupArn, httpsPort, null, null);
  }

  public boolean redirects() {
    return redirectPort != null;
  }

  public Action defaultAction() {
    if (redirects()) {
      return Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(c -> c.protocol("HTTPS").port(Integer.toString(redirectPort))
          .statusCode(RedirectActionStatusCodeEnum.HTTP_301)).build();
    }
    return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
  }

  /**
   * @param tags given in the same call (our owner tags): a listener on an adopted load balancer is neither named
   *     {@code li-*} nor tagged by adoption, and the IAM policy lets the operator change a listener only by one or the
   *     other; a tag added later would leave it untagged after a crash in between
   */
  public CreateListenerRequest create(String loadBalancerArn, Map<String, String> tags) {
    CreateListenerRequest.Builder b = CreateListenerRequest.builder().loadBalancerArn(loadBalancerArn).protocol(protocol).port(port)
        .defaultActions(defaultAction()).tags(new TreeMap<>(tags).entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
    if (defaultCertificate != null) {
      b.sslPolicy(sslPolicy).certificates(Certificate.builder().certificateArn(defaultCertificate).build());
    }
    return b.build();
  }

  public ModifyListenerRequest modify(String listenerArn) {
    ModifyListenerRequest.Builder b = ModifyListenerRequest.builder().listenerArn(listenerArn).protocol(protocol).port(port)
        .defaultActions(defaultAction());
    if (defaultCertificate != null) {
      b.sslPolicy(sslPolicy).certificates(Certificate.builder().certificateArn(defaultCertificate).build());
    }
    return b.build();
  }

  /** "HTTPS:443 forwarding to arn... with ELBSecurityPolicy-... and certificate arn...": for Events and logs. */
  public String describe() {
    String action = redirects() ? " redirecting (301) to HTTPS:" + redirectPort : " forwarding to " + targetGroupArn;
    return protocol + ":" + port + action + (defaultCertificate == null ? "" : " with " + sslPolicy + " and certificate " + defaultCertificate);
  }
}
