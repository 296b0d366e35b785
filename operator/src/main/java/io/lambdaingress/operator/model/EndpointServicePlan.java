package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.EndpointServiceSpec;
import io.lambdaingress.operator.api.LambdaIngressSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The desired VPC endpoint service of one LambdaIngress (spec.nlb.endpointService), with no I/O: what the
 * service must look like, and the decisions the reconciler takes on what it observes.
 */
public record EndpointServicePlan(boolean acceptanceRequired, Set<String> allowedPrincipals, Set<String> acceptConnectionsFrom,
    String privateDnsName) {

  // A connection's state as AWS spells it (VpcEndpointState): lower camel case, not the SDK enum's PendingAcceptance.
  // The AWS CLI's recorded example of describe-vpc-endpoint-connections answers "pendingAcceptance";
  // terraform-provider-aws's connection accepter waits for "available". Compared with the enum's spelling, no
  // connection was ever accepted or counted on AWS.
  public static final String PENDING = "pendingAcceptance";
  public static final String AVAILABLE = "available";
  /** Connection states that keep a service from being deleted (DeleteVpcEndpointServiceConfigurations). */
  public static final Set<String> ACTIVE = Set.of(AVAILABLE, PENDING);

  /** A consumer endpoint's request as EC2 reports it. */
  public record Request(String endpointId, String ownerAccount, String state) {}

  /** The plan, or empty when the spec asks for no endpoint service. */
  public static Optional<EndpointServicePlan> of(LambdaIngressSpec spec) {
    EndpointServiceSpec es = spec.getNlb() == null ? null : spec.getNlb().getEndpointService();
    if (es == null) {
      return Optional.empty();
    }
    return Optional.of(new EndpointServicePlan(!Boolean.FALSE.equals(es.getAcceptanceRequired()), sorted(es.getAllowedPrincipals()),
        sorted(es.getAcceptConnectionsFrom()), es.getPrivateDnsName()));
  }

  private static Set<String> sorted(List<String> values) {
    return values == null ? Set.of() : new TreeSet<>(values);
  }

  /** The pending requests the operator accepts: those from listed accounts. The others wait for a person. */
  public List<Request> toAccept(List<Request> requests) {
    return requests.stream().filter(r -> PENDING.equals(r.state()) && acceptConnectionsFrom.contains(r.ownerAccount())).toList();
  }

  /** The pending requests left to a person: from accounts that are not listed. */
  public List<Request> leftPending(List<Request> requests) {
    return requests.stream().filter(r -> PENDING.equals(r.state()) && !acceptConnectionsFrom.contains(r.ownerAccount())).toList();
  }

  /** What must be rejected before the service can be deleted. */
  public static List<Request> toRejectBeforeDeletion(List<Request> requests) {
    return requests.stream().filter(r -> ACTIVE.contains(r.state())).toList();
  }

  /** Principals to add to and remove from what AWS has, to make it exactly the spec's. */
  public Set<String> principalsToAdd(Set<String> observed) {
    Set<String> add = new TreeSet<>(allowedPrincipals);
    add.removeAll(observed);
    return add;
  }

  public Set<String> principalsToRemove(Set<String> observed) {
    Set<String> remove = new TreeSet<>(observed);
    remove.removeAll(allowedPrincipals);
    return remove;
  }
}
