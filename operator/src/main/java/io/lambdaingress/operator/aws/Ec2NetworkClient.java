package io.lambdaingress.operator.aws;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** EC2 reads: the subnets and security groups a spec names (the VPC is derived from the subnets). */
public final class Ec2NetworkClient {

  /** A subnet as the model needs it: its VPC, CIDR (to check static IPs) and zone. */
  public record Subnet(String id, String vpcId, String cidrBlock, String availabilityZone) {}

  private final Ec2Client ec2;

  Ec2NetworkClient(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  /** The subnets by id, in the order asked; an unknown id fails with DependencyNotFound naming it. */
  public Map<String, Subnet> subnets(Collection<String> ids) {
    Map<String, Subnet> byId = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return byId;
    }
    AwsCall.run("subnets " + ids, () -> ec2.describeSubnetsPaginator(r -> r.subnetIds(ids)).subnets().stream().toList())
        .forEach(s -> byId.put(s.subnetId(), new Subnet(s.subnetId(), s.vpcId(), s.cidrBlock(), s.availabilityZone())));
    Map<String, Subnet> ordered = new LinkedHashMap<>();
    for (String id : ids) {
      Subnet s = byId.get(id);
      if (s == null) {
        throw new AwsFailure(Reason.DependencyNotFound, "subnet " + id + " does not exist");
      }
      ordered.put(id, s);
    }
    return ordered;
  }

  /** The VPC of each security group, by id; an unknown id fails with DependencyNotFound naming it. */
  public Map<String, String> securityGroupVpcs(Collection<String> ids) {
    Map<String, String> vpcs = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return vpcs;
    }
    AwsCall.run("security groups " + ids, () -> ec2.describeSecurityGroupsPaginator(r -> r.groupIds(ids)).securityGroups().stream().toList())
        .forEach(g -> vpcs.put(g.groupId(), g.vpcId()));
    for (String id : ids) {
      if (!vpcs.containsKey(id)) {
        throw new AwsFailure(Reason.DependencyNotFound, "security group " + id + " does not exist");
      }
    }
    return vpcs;
  }
}
