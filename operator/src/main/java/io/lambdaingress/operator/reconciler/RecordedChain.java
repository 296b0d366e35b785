package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the object's status says the operator created: the identities by which {@link Ownership} knows a
 * resource is ours even after its owner tags were removed or changed out of band.
 *
 * <ul>
 *   <li>A load balancer's or target group's ARN: AWS gives every creation a new random id, so only the
 *       resource we created has the ARN we recorded.
 *   <li>A function's ARN is only its name, which anyone can create again after ours was deleted; so a
 *       function is recognised by its ARN together with the image digest we pinned ({@link #functionIdentity}).
 * </ul>
 */
public record RecordedChain(String previousFunctionArn, Set<String> identities, boolean rolloutWasOn, String webAclArn) {

  public static final RecordedChain NONE = new RecordedChain(null, Set.of(), false, null);

  public RecordedChain(String previousFunctionArn, Set<String> identities) {
    this(previousFunctionArn, identities, false, null);
  }

  public static RecordedChain of(LambdaIngressStatus status) {
    if (status == null) {
      return NONE;
    }
    Set<String> ids = new HashSet<>();
    Stream.of(status.getNlb(), status.getAlb()).filter(p -> p != null).forEach(p -> {
      add(ids, p.getArn());
      add(ids, p.getTargetGroupArn());
      add(ids, p.getHttpsTargetGroupArn());
    });
    String function = status.getLambda() == null ? null : status.getLambda().getFunctionArn();
    if (function != null && status.getLambda().getImageDigest() != null) {
      ids.add(functionIdentity(function, status.getLambda().getImageDigest()));
    }
    // The status still has a rollout: the alias, its permission and our versions are to be removed.
    boolean rollout = status.getLambda() != null && status.getLambda().getRollout() != null;
    // The web ACL we associated: removed from the spec, it is disassociated (and only it).
    String webAcl = status.getAlb() == null ? null : status.getAlb().getWebAclArn();
    return new RecordedChain(function, Set.copyOf(ids), rollout, webAcl);
  }

  /** A function as the status records it: its ARN and the digest of the image it runs. */
  public static String functionIdentity(String functionArn, String imageDigest) {
    return io.lambdaingress.operator.kinds.Ownership.functionIdentity(functionArn, imageDigest);
  }

  private static void add(Set<String> ids, String arn) {
    if (arn != null) {
      ids.add(arn);
    }
  }
}
