package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.model.ChainModel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  // --- NLB security groups: AWS sets an NLB's first ones only at creation, and never takes them all away ---

  @Test
  void nlbSecurityGroupsAddedToAnNlbWithoutAnyOrAllRemovedReplaceIt() {
    var added = LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-a", null)).toBuilder().securityGroups("sg-1").build(),
        observed("network", "internal", "subnet-a"));
    assertThat(added.replace()).isTrue();
    assertThat(added.why()).isEqualTo("security groups [] -> [sg-1]");

    var removed = LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-a", null)),
        observed("network", "internal", "subnet-a").toBuilder().securityGroups("sg-1").build());
    assertThat(removed.replace()).isTrue();
    assertThat(removed.why()).isEqualTo("security groups [sg-1] -> []");
  }

  @Test
  void nlbSecurityGroupsChangedWhileItHasSomeAndAlbGroupsAreNotAReplacement() {
    assertThat(LoadBalancerStep.compareImmutable(nlb("internal", mapping("subnet-a", null)).toBuilder().securityGroups("sg-2").build(),
        observed("network", "internal", "subnet-a").toBuilder().securityGroups("sg-1").build()).replace()).isFalse();
    // An ALB always has groups (AWS gives it the VPC's default one): none in the spec leaves them alone.
    var alb = CreateLoadBalancerRequest.builder().name("li-default-sample-12345678-alb").type("application").scheme("internal")
        .subnets("subnet-b", "subnet-c").build();
    assertThat(LoadBalancerStep.compareImmutable(alb, observed("application", "internal", "subnet-b", "subnet-c").toBuilder()
        .securityGroups("sg-default").build()).replace()).isFalse();
  }

  @Test
  void anNlbIsCreatedWithItsGroupsAndThenGetsItsPrivateLinkSetting() {
    var desired = nlb("internal", mapping("subnet-a", null)).toBuilder().securityGroups("sg-1", "sg-2").tags(tags(OURS)).build();
    step().ensure("NLB", desired, Map.of(), java.util.Optional.of("off"));
    // CreateLoadBalancer takes no PrivateLink setting: SetSecurityGroups sets it, with the groups the NLB was made with.
    assertThat(log).containsExactly("CreateLoadBalancer " + desired.name() + " [sg-1, sg-2]", "Created NLB " + desired.name(),
        "SetSecurityGroups [sg-1, sg-2] off", "Updated NLB " + desired.name());
    log.clear();
    step().ensure("NLB", desired, Map.of(), java.util.Optional.of("off"));
    assertThat(log).as("nothing to change the second time").isEmpty();
  }

  @Test
  void nlbGroupsAndThePrivateLinkSettingChangedOutOfBandArePutBackInPlace() {
    var desired = nlb("internal", mapping("subnet-a", null)).toBuilder().securityGroups("sg-1").tags(tags(OURS)).build();
    step().ensure("NLB", desired, Map.of(), java.util.Optional.empty());
    assertThat(log).containsExactly("CreateLoadBalancer " + desired.name() + " [sg-1]", "Created NLB " + desired.name());
    log.clear();
    LoadBalancer made = elb.loadBalancerNamed(desired.name());
    elb.putLoadBalancer(made.toBuilder().securityGroups("sg-9").enforceSecurityGroupInboundRulesOnPrivateLinkTraffic("off").build());
    step().ensure("NLB", desired, Map.of(), java.util.Optional.of("on"));
    assertThat(log).containsExactly("SetSecurityGroups [sg-1] on", "Updated NLB " + desired.name());
    assertThat(elb.loadBalancerNamed(desired.name()).securityGroups()).containsExactly("sg-1");
    // Not in the spec: AWS's setting is kept.
    log.clear();
    elb.putLoadBalancer(elb.loadBalancerNamed(desired.name()).toBuilder().enforceSecurityGroupInboundRulesOnPrivateLinkTraffic("off").build());
    step().ensure("NLB", desired, Map.of(), java.util.Optional.empty());
    assertThat(log).isEmpty();
  }

  private static List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder()
        .key(e.getKey()).value(e.getValue()).build()).toList();
  }

  // --- deletion: the one place a load balancer is deleted, against a fake of the ELB adapter ---

  private static final Map<String, String> OURS = Map.of(ChainModel.TAG_CLUSTER, "c", ChainModel.TAG_NAMESPACE, "ns", ChainModel.TAG_NAME, "sample");
  private final List<String> log = new ArrayList<>();
  private final FakeElb elb = new FakeElb(log);

  private LoadBalancerStep step() {
    Announcer announcer = (action, resource, why) -> log.add(action + " " + resource);
    return new LoadBalancerStep(new ElbInventory(elb, Duration.ofSeconds(5), Clock.systemUTC()), Ownership.byTags(OURS, Set.of()), announcer);
  }

  @Test
  void aDeletionIsAnnouncedOnceAwsAcceptedIt() {
    elb.addLoadBalancer("nlb", OURS);
    step().deleteIfOurs("NLB nlb", "nlb", "object deleted");
    assertThat(log).containsExactly("DeleteLoadBalancer nlb", "Deleted NLB nlb");
  }

  @Test
  void aDeletionAwsRefusesIsNotAnnounced() {
    elb.addLoadBalancer("nlb", OURS);
    elb.refuseDeletions(new AwsFailure(Reason.AwsError, "Load balancer is currently associated with another resource", "ResourceInUse", null));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> step().deleteIfOurs("NLB nlb", "nlb", "object deleted"))
        .isInstanceOf(AwsFailure.class);
    assertThat(log).containsExactly("DeleteLoadBalancer nlb");
  }

  @Test
  void aLoadBalancerWithoutOurOwnerTagsIsNeverTouched() {
    elb.addLoadBalancer("nlb", Map.of("team", "payments"));
    step().deleteIfOurs("NLB nlb", "nlb", "object deleted");
    assertThat(log).isEmpty();
    assertThat(elb.has("nlb")).isTrue();
  }

  @Test
  void anAccessLogRefusalNamesTheFieldAndTheStatementWhenAwsCouldNotWriteToTheBucket() {
    var aws = software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception.builder().statusCode(400)
        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode("InvalidConfigurationRequest")
            .errorMessage("Access Denied for bucket: my-logs. Please check S3bucket permission").build()).build();
    AwsFailure refused = AwsFailure.of(aws, "set attributes of alb");
    var policy = java.util.Optional.of(new io.lambdaingress.operator.model.AccessLogBucketPolicy("my-logs", "", "us-east-1", "111122223333"));

    AwsFailure said = LoadBalancerStep.accessLogsRefused(refused, policy);
    assertThat(said.reason()).isEqualTo(Reason.InvalidSpec);
    assertThat(said.getMessage()).isEqualTo(policy.get().refusal(
        "InvalidConfigurationRequest: Access Denied for bucket: my-logs. Please check S3bucket permission"));

    AwsFailure throttled = new AwsFailure(Reason.AwsThrottled, "slow down");
    assertThat(LoadBalancerStep.accessLogsRefused(throttled, policy)).as("not a refusal: as it was").isSameAs(throttled);
    AwsFailure other = new AwsFailure(Reason.InvalidSpec, "set attributes of alb: ValidationError: bad prefix");
    assertThat(LoadBalancerStep.accessLogsRefused(other, policy).getMessage())
        .isEqualTo("spec.alb.attributes.accessLogs: set attributes of alb: ValidationError: bad prefix");
  }
}
