package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.Connection;
import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.EndpointService;
import io.lambdaingress.operator.aws.EndpointServices;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fake of EC2's endpoint services for unit tests of {@link EndpointServiceStep}: services with their
 * tags, principals and connections, and AWS's refusal of writes. Each write is written to the shared
 * {@code log} (see {@link FakeElb}).
 */
final class FakeEndpointServices implements EndpointServices {

  private final List<String> log;
  private final Map<String, EndpointService> services = new LinkedHashMap<>();
  private final Map<String, Set<String>> principals = new HashMap<>();
  private final Map<String, List<Connection>> connections = new HashMap<>();
  private AwsFailure refusal;
  private int next = 1;

  FakeEndpointServices(List<String> log) {
    this.log = log;
  }

  EndpointService add(String state, String nlbArn, Map<String, String> tags) {
    EndpointService s = new EndpointService("vpce-svc-" + next++, "com.amazonaws.vpce.eu-west-1.x", state, true, List.of(nlbArn),
        null, null, null, null, Map.copyOf(tags));
    services.put(s.serviceId(), s);
    return s;
  }

  void connect(String serviceId, String endpointId, String account, String state) {
    connections.computeIfAbsent(serviceId, k -> new ArrayList<>()).add(new Connection(endpointId, account, state));
  }

  /** From now on every write is answered with {@code failure} (null: accepted). */
  void refuseWrites(AwsFailure failure) {
    refusal = failure;
  }

  boolean has(String serviceId) {
    return services.containsKey(serviceId);
  }

  @Override
  public List<EndpointService> all() {
    return List.copyOf(services.values());
  }

  @Override
  public EndpointService create(String nlbArn, boolean acceptanceRequired, String privateDnsName, Map<String, String> tags) {
    write("CreateVpcEndpointServiceConfiguration " + nlbArn);
    return add("Available", nlbArn, tags);
  }

  @Override
  public void modify(String serviceId, Boolean acceptanceRequired, String privateDnsName, boolean removePrivateDnsName,
      String addNlbArn, String removeNlbArn) {
    write("ModifyVpcEndpointServiceConfiguration " + serviceId + " +" + addNlbArn + " -" + removeNlbArn);
    EndpointService s = services.get(serviceId);
    services.put(serviceId, new EndpointService(serviceId, s.serviceName(), s.state(),
        acceptanceRequired == null ? s.acceptanceRequired() : acceptanceRequired, addNlbArn == null ? s.nlbArns() : List.of(addNlbArn),
        s.privateDnsName(), null, null, null, s.tags()));
  }

  @Override
  public Set<String> principals(String serviceId) {
    return new TreeSet<>(principals.getOrDefault(serviceId, Set.of()));
  }

  @Override
  public void changePrincipals(String serviceId, Collection<String> add, Collection<String> remove) {
    write("ModifyVpcEndpointServicePermissions " + serviceId + " +" + add + " -" + remove);
    Set<String> now = principals.computeIfAbsent(serviceId, k -> new TreeSet<>());
    now.addAll(add);
    now.removeAll(remove);
  }

  @Override
  public void tag(String serviceId, Map<String, String> set, Collection<String> remove) {
    write("CreateTags/DeleteTags " + serviceId);
  }

  @Override
  public List<Connection> connections(String serviceId) {
    return List.copyOf(connections.getOrDefault(serviceId, List.of()));
  }

  @Override
  public void accept(String serviceId, Collection<String> endpointIds) {
    write("AcceptVpcEndpointConnections " + serviceId + " " + endpointIds);
  }

  @Override
  public void reject(String serviceId, Collection<String> endpointIds) {
    write("RejectVpcEndpointConnections " + serviceId + " " + endpointIds);
    connections.computeIfPresent(serviceId, (k, cs) -> new ArrayList<>(cs.stream()
        .map(c -> endpointIds.contains(c.endpointId()) ? new Connection(c.endpointId(), c.ownerAccount(), "rejected") : c).toList()));
  }

  @Override
  public void delete(String serviceId) {
    write("DeleteVpcEndpointServiceConfigurations " + serviceId);
    EndpointService s = services.get(serviceId);
    services.put(serviceId, new EndpointService(serviceId, s.serviceName(), "Deleting", s.acceptanceRequired(), s.nlbArns(),
        s.privateDnsName(), null, null, null, s.tags()));
  }

  private void write(String call) {
    log.add(call);
    if (refusal != null) {
      throw refusal;
    }
  }
}
