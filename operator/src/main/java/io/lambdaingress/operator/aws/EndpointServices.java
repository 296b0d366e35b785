package io.lambdaingress.operator.aws;

import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.Connection;
import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.EndpointService;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an endpoint service needs of EC2 ({@link Ec2EndpointServiceClient}): an interface so that the kind
 * class's unit test answers it with a fake instead of a PrivateLink IT.
 */
public interface EndpointServices {

  /**
   * Every endpoint service of the account (the owner-tag filter is applied by the caller: it must not trust
   * a server-side filter that moto ignores, and a listing is one call for a handful of services).
   */
  List<EndpointService> all();

  EndpointService create(String nlbArn, boolean acceptanceRequired, String privateDnsName, Map<String, String> tags);

  /** In-place changes; null means "leave as it is". */
  void modify(String serviceId, Boolean acceptanceRequired, String privateDnsName, boolean removePrivateDnsName,
      String addNlbArn, String removeNlbArn);

  Set<String> principals(String serviceId);

  void changePrincipals(String serviceId, Collection<String> add, Collection<String> remove);

  void tag(String serviceId, Map<String, String> set, Collection<String> remove);

  List<Connection> connections(String serviceId);

  void accept(String serviceId, Collection<String> endpointIds);

  void reject(String serviceId, Collection<String> endpointIds);

  /** Deletes the service; AWS refuses (ExistingVpcEndpointConnections) while connections are Available or pending. */
  void delete(String serviceId);
}
