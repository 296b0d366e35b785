package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.EndpointServiceStatus;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.EndpointService;
import io.lambdaingress.operator.aws.EndpointServices;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.kinds.EndpointServiceStep;
import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.EndpointServicePlan;
import io.lambdaingress.operator.model.EndpointServicePlan.Request;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object's PrivateLink in the run's order; the endpoint service itself is {@link EndpointServiceStep}'s.
 * AWS refuses to delete an NLB an endpoint service uses, so a service the spec drops goes before the NLB
 * step, an NLB replacement is refused while the service stays, and on deletion the NLB waits until AWS no
 * longer lists the service. Here too: the status, and the Event for a connection left for a person to accept.
 */
final class PrivateLinkStep {

  private final EndpointServiceStep services;

  PrivateLinkStep(EndpointServices ec2, Ownership ownership, AwsWrites writes) {
    this.services = new EndpointServiceStep(ec2, ownership, writes);
  }

  /**
   * Before the NLB step: with no endpoint service in the spec, ours are deleted (so that an NLB replacement
   * is not refused); with one, an NLB replacement is refused with what to do, since AWS cannot move a service
   * to an NLB of the same name (the old one must go first, and it cannot while the service uses it).
   */
  void beforeNlb(ChainModel model, Optional<EndpointServicePlan> plan, boolean nlbWouldBeReplaced, String why) {
    if (plan.isEmpty()) {
      services.deleteAll("spec.nlb.endpointService removed");
      return;
    }
    if (nlbWouldBeReplaced) {
      String ids = services.owned().stream().map(EndpointService::serviceId).toList().toString();
      throw new AwsFailure(Reason.InvalidSpec, "spec.nlb: " + why + " would replace NLB " + model.nlb().name()
          + ", which endpoint service " + ids + " uses: AWS deletes an NLB only once no endpoint service uses it, and "
          + "the new NLB has the same name, so the service cannot move; remove spec.nlb.endpointService first (its "
          + "connections are rejected and consumers must connect to the new service name afterwards), or undo the change");
    }
  }

  /** Converges the service on the NLB; returns its status. */
  EndpointServiceStatus ensure(ChainModel model, EndpointServicePlan plan, String nlbArn, EndpointServiceStatus previous,
      KubernetesEvents events, LambdaIngress li) {
    Map<String, String> tags = io.lambdaingress.operator.cache.ElbInventoryWrites.tagMap(model.nlb().loadBalancer().tags());
    List<EndpointService> live = services.live();
    EndpointService s;
    if (live.isEmpty()) {
      s = services.create(nlbArn, plan, tags, "endpoint service for NLB " + model.nlb().name(),
          previous == null ? "missing" : "missing (was " + previous.getServiceId() + ")");
    } else {
      s = live.get(0);
      for (EndpointService extra : live.subList(1, live.size())) {
        services.delete(extra, "a second endpoint service of this object");
      }
      s = services.converge(s, plan, nlbArn, tags);
    }
    String id = s.serviceId();
    services.ensurePrincipals(id, plan);
    List<Request> requests = services.requests(id);
    List<Request> accept = plan.toAccept(requests);
    if (!accept.isEmpty()) {
      services.accept(id, accept, "the account is in spec.nlb.endpointService.acceptConnectionsFrom");
      requests = services.requests(id);
    }
    for (Request r : plan.leftPending(requests)) {
      if (!wasPending(previous, r.endpointId())) {
        events.normal(li, "ConnectionPending", "endpoint connection " + r.endpointId() + " from account " + r.ownerAccount()
            + " waits for a person to accept or reject it (the account is not in acceptConnectionsFrom)");
      }
    }
    return status(s, requests);
  }

  /**
   * Deletes our services in AWS's order. Returns why the NLB must wait (a service still listed, Deleting), or
   * null once none of ours is left.
   */
  String deleteAll(String why) {
    String listed = services.deleteAll(why);
    return listed == null ? null : "endpoint service " + listed + " is being deleted; the NLB goes once AWS no longer lists it";
  }

  private static boolean wasPending(EndpointServiceStatus previous, String endpointId) {
    return previous != null && previous.getConnections() != null && previous.getConnections().stream()
        .anyMatch(c -> endpointId.equals(c.getEndpointId()) && EndpointServicePlan.PENDING.equals(c.getState()));
  }

  private static EndpointServiceStatus status(EndpointService s, List<Request> requests) {
    EndpointServiceStatus status = new EndpointServiceStatus();
    status.setServiceId(s.serviceId());
    status.setServiceName(s.serviceName());
    status.setState(s.state());
    if (s.privateDnsName() != null && s.privateDnsState() != null) {
      EndpointServiceStatus.PrivateDns dns = new EndpointServiceStatus.PrivateDns();
      dns.setState(s.privateDnsState());
      // AWS gives the record's first label; a person publishes the full name.
      dns.setTxtRecordName(s.txtRecordName() == null ? null : s.txtRecordName() + "." + s.privateDnsName());
      dns.setTxtRecordValue(s.txtRecordValue());
      status.setPrivateDns(dns);
    }
    status.setConnections(requests.stream().map(r -> new EndpointServiceStatus.Connection(r.endpointId(), r.ownerAccount(), r.state()))
        .toList());
    return status;
  }
}
