package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.MapDiff;
import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.api.EndpointServiceStatus;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Ec2EndpointServiceClient;
import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.EndpointService;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.EndpointServicePlan;
import io.lambdaingress.operator.model.EndpointServicePlan.Request;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The NLB's VPC endpoint service (PrivateLink): created, observed, changed in place and deleted here, found by
 * its owner tags (a service has no name of its own). AWS refuses to delete an NLB an endpoint service uses and
 * a service with available or pendingAcceptance connections, so deletion goes: reject those connections,
 * delete the service, wait until AWS no longer lists it, and only then may the NLB go.
 */
final class EndpointServiceStep {

  private static final Set<String> GONE = Set.of("Deleting", "Deleted");

  private final Ec2EndpointServiceClient ec2;
  private final Ownership ownership;
  private final AwsWrites writes;

  EndpointServiceStep(Ec2EndpointServiceClient ec2, Ownership ownership, AwsWrites writes) {
    this.ec2 = ec2;
    this.ownership = ownership;
    this.writes = writes;
  }

  /** Our services, including those AWS is still deleting. */
  private List<EndpointService> owned() {
    return ec2.all().stream().filter(s -> ownership.owns(s.tags())).toList();
  }

  /**
   * Before the NLB step: with no endpoint service in the spec, ours are deleted (so that an NLB replacement
   * is not refused); with one, an NLB replacement is refused with what to do, since AWS cannot move a service
   * to an NLB of the same name (the old one must go first, and it cannot while the service uses it).
   */
  void beforeNlb(ChainModel model, Optional<EndpointServicePlan> plan, boolean nlbWouldBeReplaced, String why) {
    if (plan.isEmpty()) {
      for (EndpointService s : owned()) {
        if (!GONE.contains(s.state())) {
          delete(s, "spec.nlb.endpointService removed");
        }
      }
      return;
    }
    if (nlbWouldBeReplaced) {
      String services = owned().stream().map(EndpointService::serviceId).toList().toString();
      throw new AwsFailure(Reason.InvalidSpec, "spec.nlb: " + why + " would replace NLB " + model.nlb().name()
          + ", which endpoint service " + services + " uses: AWS deletes an NLB only once no endpoint service uses it, and "
          + "the new NLB has the same name, so the service cannot move; remove spec.nlb.endpointService first (its "
          + "connections are rejected and consumers must connect to the new service name afterwards), or undo the change");
    }
  }

  /** Converges the service on the NLB; returns its status. */
  EndpointServiceStatus ensure(ChainModel model, EndpointServicePlan plan, String nlbArn, EndpointServiceStatus previous,
      KubernetesEvents events, LambdaIngress li) {
    Map<String, String> tags = io.lambdaingress.operator.cache.ElbInventoryWrites.tagMap(model.nlb().loadBalancer().tags());
    List<EndpointService> live = owned().stream().filter(s -> !GONE.contains(s.state())).toList();
    EndpointService s;
    if (live.isEmpty()) {
      s = writes.made("Created", "endpoint service for NLB " + model.nlb().name(), previous == null ? "missing" : "missing (was "
          + previous.getServiceId() + ")", () -> ec2.create(nlbArn, plan.acceptanceRequired(), plan.privateDnsName(), tags));
    } else {
      s = live.get(0);
      for (EndpointService extra : live.subList(1, live.size())) {
        delete(extra, "a second endpoint service of this object");
      }
      s = converge(s, plan, nlbArn, tags);
    }
    String id = s.serviceId();
    Set<String> observed = ec2.principals(id);
    Set<String> add = plan.principalsToAdd(observed);
    Set<String> remove = plan.principalsToRemove(observed);
    if (!add.isEmpty() || !remove.isEmpty()) {
      writes.made("Updated", "endpoint service " + id, "allowed principals: add " + add + ", remove " + remove,
          () -> ec2.changePrincipals(id, add, remove));
    }
    List<Request> requests = requests(id);
    List<Request> accept = plan.toAccept(requests);
    if (!accept.isEmpty()) {
      ec2.accept(id, accept.stream().map(Request::endpointId).toList());
      for (Request r : accept) {
        writes.announce("Accepted", "endpoint connection " + r.endpointId() + " from account " + r.ownerAccount(),
            "the account is in spec.nlb.endpointService.acceptConnectionsFrom");
      }
      requests = requests(id);
    }
    for (Request r : plan.leftPending(requests)) {
      if (!wasPending(previous, r.endpointId())) {
        events.normal(li, "ConnectionPending", "endpoint connection " + r.endpointId() + " from account " + r.ownerAccount()
            + " waits for a person to accept or reject it (the account is not in acceptConnectionsFrom)");
      }
    }
    return status(s, requests);
  }

  /** In-place changes: the NLB it fronts, acceptance, private DNS name, tags. */
  private EndpointService converge(EndpointService s, EndpointServicePlan plan, String nlbArn, Map<String, String> tags) {
    String id = s.serviceId();
    boolean nlbDiffers = !s.nlbArns().equals(List.of(nlbArn));
    String removeNlb = s.nlbArns().stream().filter(a -> !a.equals(nlbArn)).findFirst().orElse(null);
    boolean acceptanceDiffers = s.acceptanceRequired() != plan.acceptanceRequired();
    boolean dnsDiffers = !Objects.equals(s.privateDnsName(), plan.privateDnsName());
    if (nlbDiffers || acceptanceDiffers || dnsDiffers) {
      writes.made("Updated", "endpoint service " + id, (nlbDiffers ? "NLB " + s.nlbArns() + " -> " + nlbArn + "; " : "")
          + (acceptanceDiffers ? "acceptanceRequired " + s.acceptanceRequired() + " -> " + plan.acceptanceRequired() + "; " : "")
          + (dnsDiffers ? "privateDnsName " + s.privateDnsName() + " -> " + plan.privateDnsName() : ""),
          () -> ec2.modify(id, acceptanceDiffers ? plan.acceptanceRequired() : null, dnsDiffers ? plan.privateDnsName() : null,
              dnsDiffers && plan.privateDnsName() == null, s.nlbArns().contains(nlbArn) ? null : nlbArn, nlbDiffers ? removeNlb : null));
    }
    MapDiff diff = MapDiff.tags(s.tags(), tags);
    if (!diff.isEmpty()) {
      writes.made("Updated", "endpoint service " + id, "tags: " + diff.describe(), () -> ec2.tag(id, diff.set(), diff.removed()));
    }
    if (nlbDiffers || acceptanceDiffers || dnsDiffers) {
      // The verification record changes with the name: read the service again for the status.
      return ec2.all().stream().filter(x -> x.serviceId().equals(id)).findFirst().orElse(s);
    }
    return s;
  }

  /**
   * Deletes our services in AWS's order. Returns why the NLB must wait (a service still listed, Deleting), or
   * null once none of ours is left.
   */
  String deleteAll(String why) {
    List<EndpointService> owned = owned();
    for (EndpointService s : owned) {
      if (!GONE.contains(s.state())) {
        delete(s, why);
      }
    }
    return owned.isEmpty() ? null : "endpoint service " + owned.get(0).serviceId() + " is being deleted; the NLB goes once AWS no "
        + "longer lists it";
  }

  private void delete(EndpointService s, String why) {
    List<Request> reject = EndpointServicePlan.toRejectBeforeDeletion(requests(s.serviceId()));
    if (!reject.isEmpty()) {
      ec2.reject(s.serviceId(), reject.stream().map(Request::endpointId).toList());
      for (Request r : reject) {
        writes.announce("Rejected", "endpoint connection " + r.endpointId() + " from account " + r.ownerAccount(),
            "its endpoint service " + s.serviceId() + " is deleted: " + why);
      }
    }
    writes.made("Deleted", "endpoint service " + s.serviceId(), why, () -> ec2.delete(s.serviceId()));
  }

  private List<Request> requests(String serviceId) {
    return ec2.connections(serviceId).stream().map(c -> new Request(c.endpointId(), c.ownerAccount(), c.state())).toList();
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

  /** The endpoint services using an NLB, for a clear message when AWS refuses to delete it (ResourceInUse). */
  static List<String> usersOf(Ec2EndpointServiceClient ec2, String nlbArn) {
    return ec2.all().stream().filter(s -> s.nlbArns().contains(nlbArn)).map(EndpointService::serviceId).toList();
  }
}
