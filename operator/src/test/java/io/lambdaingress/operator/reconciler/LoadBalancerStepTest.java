package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAddress;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetMapping;

/** What about a load balancer can only be set at creation (replace) and what is changed in place. */
class LoadBalancerStepTest {

  private static CreateLoadBalancerRequest nlb(String scheme, SubnetMapping... mappings) {
    return CreateLoadBalancerRequest.builder().name("li-default-sample-12345678-nlb").type("network").scheme(scheme)
        .subnetMappings(mappings).build();
  }

  private static SubnetMapping mapping(String subnet, String ip) {
    return SubnetMapping.builder().subnetId(subnet).privateIPv4Address(ip).build();
  }

  /** An observed load balancer; each zone is "subnet" or "subnet=ip" (the address AWS reports for it). */
  private static LoadBalancer observed(String type, String scheme, String... zones) {
    return LoadBalancer.builder().type(type).scheme(scheme).availabilityZones(List.of(zones).stream().map(z -> {
      String[] p = z.split("=");
      AvailabilityZone.Builder az = AvailabilityZone.builder().subnetId(p[0]).zoneName("us-east-1a");
      return (p.length == 2 ? az.loadBalancerAddresses(LoadBalancerAddress.builder().privateIPv4Address(p[1]).build())
          : az.loadBalancerAddresses(List.of())).build();
    }).toList()).build();
  }

  @Test
  void anNlbAsCreatedIsKept() {
    var desired = nlb("internal", mapping("subnet-a", "10.20.0.10"));
    assertThat(LoadBalancerStep.compareImmutable(desired, observed("network", "internal", "subnet-a=10.20.0.10")).replace()).isFalse();
    // moto reports no addresses: nothing to compare, nothing to replace.
    assertThat(LoadBalancerStep.compareImmutable(desired, observed("network", "internal", "subnet-a")).replace()).isFalse();
  }

  @Test
  void aSchemeChangeReplaces() {
    var verdict = LoadBalancerStep.compareImmutable(nlb("internet-facing", mapping("subnet-a", null)),
        observed("network", "internal", "subnet-a"));
    assertThat(verdict.replace()).isTrue();
    assertThat(verdict.why()).isEqualTo("scheme internal -> internet-facing");
  }

  @Test
  void aTypeChangeReplaces() {
    var verdict = LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-a", null)),
        observed("application", "internal", "subnet-a"));
    assertThat(verdict.replace()).isTrue();
    assertThat(verdict.why()).isEqualTo("type application -> network");
  }

  @Test
  void nlbSubnetMappingsAreSetOnlyAtCreation() {
    var added = LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-a", null), mapping("subnet-b", null)),
        observed("network", "internal", "subnet-a"));
    assertThat(added.replace()).isTrue();
    assertThat(added.why()).startsWith("subnet mappings [subnet-a] -> ").contains("subnet-a", "subnet-b");

    var moved = LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-b", null)), observed("network", "internal", "subnet-a"));
    assertThat(moved.replace()).isTrue();
  }

  @Test
  void theOrderOfSubnetMappingsIsNotAChange() {
    var desired = nlb("internal", mapping("subnet-b", null), mapping("subnet-a", null));
    assertThat(LoadBalancerStep.compareImmutable(desired, observed("network", "internal", "subnet-a", "subnet-b")).replace()).isFalse();
  }

  @Test
  void aDifferentStaticIpReplaces() {
    var verdict = LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-a", "10.20.0.11")),
        observed("network", "internal", "subnet-a=10.20.0.10"));
    assertThat(verdict.replace()).isTrue();
    assertThat(verdict.why()).isEqualTo("static IP in subnet-a [10.20.0.10] -> 10.20.0.11");
  }

  @Test
  void droppingTheStaticIpKeepsTheAddressTheNlbHas() {
    // No address asked for: whatever AWS assigned is fine, so there is no reason to replace.
    assertThat(LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-a", null)),
        observed("network", "internal", "subnet-a=10.20.0.10")).replace()).isFalse();
  }

  @Test
  void albSubnetsAreChangedInPlaceNotByReplacement() {
    var alb = CreateLoadBalancerRequest.builder().name("li-default-sample-12345678-alb").type("application").scheme("internal")
        .subnets("subnet-b", "subnet-c").securityGroups("sg-1").build();
    assertThat(LoadBalancerStep.compareImmutable(alb, observed("application", "internal", "subnet-b", "subnet-e")).replace()).isFalse();
    assertThat(LoadBalancerStep.compareImmutable(alb.toBuilder().scheme("internet-facing").build(),
        observed("application", "internal", "subnet-b", "subnet-c")).why()).isEqualTo("scheme internal -> internet-facing");
  }
}
