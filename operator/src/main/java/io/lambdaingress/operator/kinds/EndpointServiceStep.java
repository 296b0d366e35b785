package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.EndpointService;
import io.lambdaingress.operator.aws.EndpointServices;
import io.lambdaingress.operator.model.EndpointServicePlan;
import io.lambdaingress.operator.model.EndpointServicePlan.Request;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The NLB's VPC endpoint service (PrivateLink): found by its owner tags (a service has no name of its own),
 * created, changed in place (the NLB it fronts, acceptance, private DNS name, tags, allowed principals), its
 * connection requests accepted, and deleted. Every deletion of an endpoint service is here, in AWS's order:
 * AWS refuses to delete a service with available or pendingAcceptance connections, so those are rejected first.
 */
public final class EndpointServiceStep {

  /** States of a service AWS is deleting: it is still listed a while. */
  private static final Set<String> GONE = Set.of("Deleting", "Deleted");

  private final EndpointServices ec2;
  private final Ownership ownership;
  private final Announcer writes;

  public EndpointServiceStep(EndpointServices ec2, Ownership ownership, Announcer writes) {
    this.ec2 = ec2;
    this.ownership = ownership;
    this.writes = writes;
  }

  /** Our services, including those AWS is still deleting. */
  public List<EndpointService> owned() {
    return ec2.all().stream().filter(s -> ownership.owns(s.tags())).toList();
  }

  /** Ours, but not those AWS is deleting. */
  public List<EndpointService> live() {
    return owned().stream().filter(s -> !GONE.contains(s.state())).toList();
  }

  /** A new service on the NLB, tagged at creation. */
  public EndpointService create(String nlbArn, EndpointServicePlan plan, Map<String, String> tags, String resource, String why) {
    return writes.made("Created", resource, why, () -> ec2.create(nlbArn, plan.acceptanceRequired(), plan.privateDnsName(), tags));
  }

  /** In-place changes: the NLB it fronts, acceptance, private DNS name, tags. Returns the service as it is now. */
  public EndpointService converge(EndpointService s, EndpointServicePlan plan, String nlbArn, Map<String, String> tags) {
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

  /** The allowed principals exactly the plan's. */
  public void ensurePrincipals(String serviceId, EndpointServicePlan plan) {
    Set<String> observed = ec2.principals(serviceId);
    Set<String> add = plan.principalsToAdd(observed);
    Set<String> remove = plan.principalsToRemove(observed);
    if (!add.isEmpty() || !remove.isEmpty()) {
      writes.made("Updated", "endpoint service " + serviceId, "allowed principals: add " + add + ", remove " + remove,
          () -> ec2.changePrincipals(serviceId, add, remove));
    }
  }

  /** The connection requests consumers made to the service. */
  public List<Request> requests(String serviceId) {
    return ec2.connections(serviceId).stream().map(c -> new Request(c.endpointId(), c.ownerAccount(), c.state())).toList();
  }

  /** Accepts these requests, each said once AWS accepted them. */
  public void accept(String serviceId, List<Request> accept, String why) {
    ec2.accept(serviceId, accept.stream().map(Request::endpointId).toList());
    for (Request r : accept) {
      writes.announce("Accepted", "endpoint connection " + r.endpointId() + " from account " + r.ownerAccount(), why);
    }
  }

  /** Deletes the service, rejecting first the connections AWS would refuse its deletion for. */
  public void delete(EndpointService s, String why) {
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

  /**
   * Ours that AWS is not deleting yet, each deleted. Returns the id of one of ours AWS still lists (it is
   * being deleted), or null once none is listed.
   */
  public String deleteAll(String why) {
    List<EndpointService> owned = owned();
    for (EndpointService s : owned) {
      if (!GONE.contains(s.state())) {
        delete(s, why);
      }
    }
    return owned.isEmpty() ? null : owned.get(0).serviceId();
  }

  /** The endpoint services using an NLB, for a clear message when AWS refuses to delete it (ResourceInUse). */
  public static List<String> usersOf(EndpointServices ec2, String nlbArn) {
    return ec2.all().stream().filter(s -> s.nlbArns().contains(nlbArn)).map(EndpointService::serviceId).toList();
  }
}
