package io.lambdaingress.operator.aws;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;

/**
 * EC2 VPC endpoint services (PrivateLink): the service configuration of an NLB, its allowed principals and
 * private DNS name, and the endpoint connections consumers ask for. SDK calls only; a batch call's
 * {@code Unsuccessful} items (EC2 reports some refusals there, not as errors) become {@link AwsFailure}s.
 */
public final class Ec2EndpointServiceClient implements EndpointServices {

  /** A service as the reconciler needs it. {@code privateDns*} are null without a private DNS name. */
  public record EndpointService(String serviceId, String serviceName, String state, boolean acceptanceRequired,
      List<String> nlbArns, String privateDnsName, String privateDnsState, String txtRecordName, String txtRecordValue,
      Map<String, String> tags) {}

  /** One consumer endpoint's connection: pendingAcceptance, available, rejected, deleted, ... (AWS's spelling). */
  public record Connection(String endpointId, String ownerAccount, String state) {}

  private final Ec2Client ec2;

  Ec2EndpointServiceClient(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  @Override
  public List<EndpointService> all() {
    return AwsCall.run("endpoint services", () -> ec2.describeVpcEndpointServiceConfigurationsPaginator(r -> r.maxResults(100))
        .serviceConfigurations().stream().map(Ec2EndpointServiceClient::service).toList());
  }

  @Override
  public EndpointService create(String nlbArn, boolean acceptanceRequired, String privateDnsName, Map<String, String> tags) {
    return service(AwsCall.run("endpoint service for " + nlbArn, () -> ec2.createVpcEndpointServiceConfiguration(r -> r
        .networkLoadBalancerArns(nlbArn).acceptanceRequired(acceptanceRequired).privateDnsName(privateDnsName)
        .tagSpecifications(t -> t.resourceType(ResourceType.VPC_ENDPOINT_SERVICE).tags(tags(tags))))
        .serviceConfiguration()));
  }

  @Override
  public void modify(String serviceId, Boolean acceptanceRequired, String privateDnsName, boolean removePrivateDnsName,
      String addNlbArn, String removeNlbArn) {
    AwsCall.run("endpoint service " + serviceId, () -> ec2.modifyVpcEndpointServiceConfiguration(r -> {
      r.serviceId(serviceId).acceptanceRequired(acceptanceRequired).privateDnsName(privateDnsName);
      if (removePrivateDnsName) {
        r.removePrivateDnsName(true);
      }
      if (addNlbArn != null) {
        r.addNetworkLoadBalancerArns(addNlbArn);
      }
      if (removeNlbArn != null) {
        r.removeNetworkLoadBalancerArns(removeNlbArn);
      }
    }));
  }

  @Override
  public Set<String> principals(String serviceId) {
    return AwsCall.run("endpoint service " + serviceId + " permissions", () -> ec2.describeVpcEndpointServicePermissions(
        r -> r.serviceId(serviceId)).allowedPrincipals().stream().map(p -> p.principal()).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
  }

  @Override
  public void changePrincipals(String serviceId, Collection<String> add, Collection<String> remove) {
    AwsCall.run("endpoint service " + serviceId + " permissions", () -> ec2.modifyVpcEndpointServicePermissions(r -> {
      r.serviceId(serviceId);
      if (!add.isEmpty()) {
        r.addAllowedPrincipals(add);
      }
      if (!remove.isEmpty()) {
        r.removeAllowedPrincipals(remove);
      }
    }));
  }

  @Override
  public void tag(String serviceId, Map<String, String> set, Collection<String> remove) {
    if (!set.isEmpty()) {
      AwsCall.run("tags of " + serviceId, () -> ec2.createTags(r -> r.resources(serviceId).tags(tags(set))));
    }
    if (!remove.isEmpty()) {
      AwsCall.run("tags of " + serviceId, () -> ec2.deleteTags(r -> r.resources(serviceId)
          .tags(remove.stream().map(k -> Tag.builder().key(k).build()).toList())));
    }
  }

  @Override
  public List<Connection> connections(String serviceId) {
    return AwsCall.run("connections of " + serviceId, () -> ec2.describeVpcEndpointConnectionsPaginator(r -> r
        .filters(f -> f.name("service-id").values(serviceId))).vpcEndpointConnections().stream()
        .filter(c -> serviceId.equals(c.serviceId()))
        .map(c -> new Connection(c.vpcEndpointId(), c.vpcEndpointOwner(), c.vpcEndpointStateAsString())).toList());
  }

  @Override
  public void accept(String serviceId, Collection<String> endpointIds) {
    String what = "accepting " + endpointIds + " on " + serviceId;
    requireNone(what, AwsCall.run(what, () -> ec2.acceptVpcEndpointConnections(r -> r.serviceId(serviceId).vpcEndpointIds(endpointIds))
        .unsuccessful()));
  }

  @Override
  public void reject(String serviceId, Collection<String> endpointIds) {
    String what = "rejecting " + endpointIds + " on " + serviceId;
    requireNone(what, AwsCall.run(what, () -> ec2.rejectVpcEndpointConnections(r -> r.serviceId(serviceId).vpcEndpointIds(endpointIds))
        .unsuccessful()));
  }

  @Override
  public void delete(String serviceId) {
    String what = "deleting endpoint service " + serviceId;
    List<UnsuccessfulItem> failed = AwsCall.run(what, () -> ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(serviceId)).unsuccessful());
    requireNone(what, failed.stream().filter(u -> !u.error().code().endsWith(".NotFound")).toList());
  }

  private static void requireNone(String what, List<UnsuccessfulItem> failed) {
    if (!failed.isEmpty()) {
      UnsuccessfulItem u = failed.get(0);
      throw new AwsFailure(Reason.AwsError, what + ": " + u.resourceId() + ": " + u.error().code() + ": " + u.error().message(),
          u.error().code(), null);
    }
  }

  private static EndpointService service(ServiceConfiguration s) {
    Map<String, String> tags = new LinkedHashMap<>();
    s.tags().forEach(t -> tags.put(t.key(), t.value()));
    var dns = s.privateDnsNameConfiguration();
    return new EndpointService(s.serviceId(), s.serviceName(), s.serviceStateAsString(), Boolean.TRUE.equals(s.acceptanceRequired()),
        List.copyOf(s.networkLoadBalancerArns()), s.privateDnsName(), dns == null ? null : dns.stateAsString(),
        dns == null ? null : dns.name(), dns == null ? null : dns.value(), Map.copyOf(tags));
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }
}
