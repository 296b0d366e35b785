package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.model.AdoptionCheck.Finding;
import io.lambdaingress.operator.model.AdoptionCheck.Kind;
import io.lambdaingress.operator.model.AdoptionCheck.Refusal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAddress;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/** The adoption check on the article's stack as Terraform leaves it, and on each way it can differ from the spec. */
class AdoptionCheckTest {

  private static final String ADOPTING = ChainModelTest.ARTICLE.replace("  tags: {team: payments}\n", """
        tags: {team: payments}
        adopt:
          nlb: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188
          nlbListener: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/nlb/50dc6c495c0c9188/f2f7dc8efc522ab2
          albTargetGroup: nlb-tg
          alb: alb
          albListener: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/6d0ecf831eec9f09/9f8bd3d5a2b6d1e0
          lambdaTargetGroup: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/alb-tg/73e2d6bc24d8a067
          function: sample
      """).replace("listener: {port: 8080}", "listener: {port: 80}");
  private static final String NLB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188";
  private static final String NLB_TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nlb-tg/1111111111111111";
  private static final Map<String, String> OURS = Map.of(ChainModel.TAG_CLUSTER, "prod", ChainModel.TAG_NAMESPACE, "default",
      ChainModel.TAG_NAME, "sample");
  private static final Predicate<Map<String, String>> OWNS =
      tags -> OURS.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey())));

  private final ChainModel model = ChainModel.of(ChainModelTest.parse(ADOPTING), "prod", "vpc-1");

  @Test
  void theAdoptedNamesReplaceTheDerivedOnesAndTheSecondSlotStaysDerived() {
    assertThat(model.nlb().name()).isEqualTo("nlb");
    assertThat(model.nlb().loadBalancer().name()).isEqualTo("nlb");
    assertThat(model.nlb().albTargetGroup().name()).isEqualTo("nlb-tg");
    assertThat(model.alb().name()).isEqualTo("alb");
    assertThat(model.alb().lambdaTargetGroup().name()).isEqualTo("alb-tg");
    assertThat(model.function().orElseThrow().name()).isEqualTo("sample");
    assertThat(model.adopted().nlbListener().given()).endsWith("/f2f7dc8efc522ab2");
    ChainModel second = model.inSlot(AlbSlot.SECOND);
    assertThat(second.alb().name()).startsWith("li-default-sample-").endsWith("-ab2");
    assertThat(second.nlb().albTargetGroup().name()).endsWith("-ag2");
    assertThat(second.nlb().name()).isEqualTo("nlb");
    // Not adopted: derived, as before.
    ChainModel plain = ChainModel.of(ChainModelTest.parse(ChainModelTest.ARTICLE), "prod", "vpc-1");
    assertThat(plain.nlb().name()).isEqualTo(plain.names().nlb());
    assertThat(plain.adopted().any()).isFalse();
  }

  @Test
  void aNameIsReadFromEachKindOfArn() {
    AdoptedNames n = model.adopted();
    assertThat(n.nlb().name()).isEqualTo("nlb");
    assertThat(n.nlb().byArn()).isTrue();
    assertThat(n.alb().byArn()).isFalse();
    assertThat(n.lambdaTargetGroup().name()).isEqualTo("alb-tg");
    assertThat(n.nlbListener().name()).isNull();
    var byArn = new io.lambdaingress.operator.api.AdoptSpec();
    byArn.setFunction("arn:aws:lambda:us-east-1:123456789012:function:sample");
    assertThat(AdoptedNames.of(byArn).function().name()).isEqualTo("sample");
  }

  @Test
  void theArticleStackAsItIsIsAdoptedWithItsInPlaceDifferencesListed() {
    List<Finding> findings = List.of(nlbFinding(nlb("internal", "vpc-1", "10.20.0.10"), Map.of("load_balancing.cross_zone.enabled", "false")),
        AdoptionCheck.targetGroup(Kind.ALB_TARGET_GROUP, model.nlb().albTargetGroup(), "port", Map.of(), "", albGroup("TCP", 80, "vpc-1"),
            Map.of(), Map.of("Name", "nlb-tg")),
        AdoptedTargets.function(model.function().orElseThrow().request("repo@sha256:1"), function("Image", 128), "repo:latest",
            Map.of()));

    assertThat(AdoptionCheck.refusal(findings, OWNS)).isEmpty();
    assertThat(findings.get(0).fixed()).isEmpty();
    assertThat(findings.get(0).inPlace()).extracting(AdoptionCheck.Difference::describe)
        .contains("spec.nlb.crossZoneLoadBalancing (load_balancing.cross_zone.enabled): false -> true");
    assertThat(findings.get(1).inPlace()).extracting(AdoptionCheck.Difference::describe).contains(
        "spec.nlb.healthCheck.path: / -> /healthz", "health check port: traffic-port -> 80",
        "spec.tags: keys [Name] -> keys [team]");
    assertThat(findings.get(2).inPlace()).extracting(AdoptionCheck.Difference::describe).contains(
        "spec.lambda.function.memoryMiB: 128 -> 512", "spec.lambda.function.image: repo:latest -> repo@sha256:1",
        "spec.lambda.function.environment: keys [ENV] -> keys [ENV, LAMBDA_INGRESS_HEALTH_PATH] (values of [ENV] changed)");
    // Environment values may be secrets: never in a message.
    assertThat(findings.get(2).inPlace().toString()).doesNotContain("hoge").doesNotContain("secret");
  }

  @Test
  void eachCreationOnlyDifferenceIsRefusedNamingTheFieldAndBothValues() {
    Map<String, Finding> cases = Map.of(
        "spec.nlb.scheme is internet-facing on the resource but internal in the spec", nlbFinding(nlb("internet-facing", "vpc-1", null), Map.of()),
        "VPC (of spec.nlb.subnetMappings) is vpc-2 on the resource but vpc-1 in the spec", nlbFinding(nlb("internal", "vpc-2", null), Map.of()),
        "spec.nlb.subnetMappings[].privateIPv4Address (subnet-0a1b2c3d4e5f60718) is 10.20.0.99 on the resource but 10.20.0.10 in the spec",
        nlbFinding(nlb("internal", "vpc-1", "10.20.0.99"), Map.of()),
        "port (spec.alb.listener.port) is 8080 on the resource but 80 in the spec",
        AdoptionCheck.targetGroup(Kind.ALB_TARGET_GROUP, model.nlb().albTargetGroup(), "port (spec.alb.listener.port)", Map.of(), "",
            albGroup("TCP", 8080, "vpc-1"), Map.of(), Map.of()),
        "alb target group nlb-tg: protocol is TLS on the resource but TCP in the spec",
        AdoptionCheck.targetGroup(Kind.ALB_TARGET_GROUP, model.nlb().albTargetGroup(), "port", Map.of(), "", albGroup("TLS", 80, "vpc-1"),
            Map.of(), Map.of()),
        "package type (spec.lambda.function.image) is Zip on the resource but Image in the spec",
        AdoptedTargets.function(model.function().orElseThrow().request("repo@sha256:1"), function("Zip", 512), null, Map.of()));
    cases.forEach((message, finding) -> {
      Optional<Refusal> r = AdoptionCheck.refusal(List.of(finding), OWNS);
      assertThat(r).as(message).isPresent();
      assertThat(r.get().conflict()).isFalse();
      assertThat(r.get().message()).contains(message).contains("nothing was changed in AWS");
    });
    LoadBalancer otherSubnets = nlb("internal", "vpc-1", null).toBuilder()
        .availabilityZones(AvailabilityZone.builder().subnetId("subnet-0f").build()).build();
    assertThat(AdoptionCheck.refusal(List.of(nlbFinding(otherSubnets, Map.of())), OWNS).orElseThrow().message())
        .contains("spec.nlb.subnetMappings[].subnetId is [subnet-0f] on the resource but [subnet-0a1b2c3d4e5f60718] in the spec");
    // The spec asks for no NLB security groups: an NLB that has some keeps them (AWS never takes them all away).
    LoadBalancer withGroups = nlb("internal", "vpc-1", null).toBuilder().securityGroups("sg-0123456789abcdef0").build();
    assertThat(AdoptionCheck.refusal(List.of(nlbFinding(withGroups, Map.of())), OWNS).orElseThrow().message())
        .contains("spec.nlb.securityGroups is [sg-0123456789abcdef0] on the resource but [] in the spec");
    LoadBalancer application = nlb("internal", "vpc-1", null).toBuilder().type("application").build();
    assertThat(AdoptionCheck.refusal(List.of(nlbFinding(application, Map.of())), OWNS).orElseThrow().message())
        .contains("NLB nlb: type is application on the resource but network in the spec");
  }

  @Test
  void aResourceOfAnotherObjectIsANameConflictOneOfOursIsNot() {
    Map<String, String> another = new HashMap<>(OURS);
    another.put(ChainModel.TAG_NAME, "other");
    Finding theirs = AdoptionCheck.targetGroup(Kind.ALB_TARGET_GROUP, model.nlb().albTargetGroup(), "port", Map.of(), "",
        albGroup("TCP", 80, "vpc-1"), Map.of(), another);
    Refusal r = AdoptionCheck.refusal(List.of(theirs), OWNS).orElseThrow();
    assertThat(r.conflict()).isTrue();
    assertThat(r.message()).contains("spec.adopt.albTargetGroup: alb target group nlb-tg is owned by LambdaIngress default/other (cluster prod)");
    Finding ours = AdoptionCheck.targetGroup(Kind.ALB_TARGET_GROUP, model.nlb().albTargetGroup(), "port", Map.of(), "",
        albGroup("TCP", 80, "vpc-1"), Map.of(), OURS);
    assertThat(AdoptionCheck.refusal(List.of(ours), OWNS)).isEmpty();
    // A conflict is said before any spec difference: nothing is to be fixed in a resource that is not to be had.
    Finding wrongScheme = nlbFinding(nlb("internet-facing", "vpc-1", null), Map.of());
    assertThat(AdoptionCheck.refusal(List.of(wrongScheme, theirs), OWNS).orElseThrow().conflict()).isTrue();
  }

  @Test
  void aListenerIsOnTheAdoptedLoadBalancerAndItsPortProtocolAndActionChangeInPlace() {
    Listener l = Listener.builder().listenerArn("arn:l").loadBalancerArn(NLB_ARN).protocol("TLS").port(443)
        .defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(NLB_TG_ARN).build()).build();
    Finding f = AdoptionCheck.listener(Kind.NLB_LISTENER, l, NLB_ARN, "nlb", "TCP", 80, "spec.nlb.listener.port", "li-default-sample-atg", Map.of());
    assertThat(f.inPlace()).extracting(AdoptionCheck.Difference::describe).containsExactly("protocol: TLS -> TCP",
        "spec.nlb.listener.port: 443 -> 80", "default action: forward to nlb-tg -> forward to li-default-sample-atg");
    Finding elsewhere = AdoptionCheck.listener(Kind.NLB_LISTENER, l, NLB_ARN + "0", "nlb", "TCP", 80, "spec.nlb.listener.port", "nlb-tg", Map.of());
    assertThat(AdoptionCheck.refusal(List.of(elsewhere), OWNS).orElseThrow().message())
        .contains("spec.adopt.nlbListener: listener arn:l is on load balancer " + NLB_ARN + ", not on nlb");
  }

  @Test
  void aListenerOnTheChainsPortThatSpecAdoptDoesNotNameIsRefusedUnlessItIsOurs() {
    Listener l = Listener.builder().listenerArn("arn:l").loadBalancerArn(NLB_ARN).protocol("TCP").port(80)
        .defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(NLB_TG_ARN).build()).build();
    Finding unnamed = AdoptionCheck.unnamedListener(Kind.NLB_LISTENER, l, "nlb", "spec.nlb.listener.port", true, Map.of(), OWNS).orElseThrow();
    Refusal refusal = AdoptionCheck.refusal(List.of(unnamed), OWNS).orElseThrow();
    assertThat(refusal.conflict()).isFalse();
    assertThat(refusal.message()).contains("spec.adopt.nlbListener: listener arn:l of nlb is on port 80 (spec.nlb.listener.port) but spec.adopt "
        + "does not name it: name it in spec.adopt.nlbListener to adopt it").contains("nothing was changed in AWS");
    // On a port spec.adopt cannot name it for (spec.alb.https's, or its field names another listener): deleted, or another port.
    assertThat(AdoptionCheck.unnamedListener(Kind.ALB_LISTENER, l, "alb", "spec.alb.https.port", false, Map.of(), OWNS).orElseThrow().problem())
        .contains("delete it, or set spec.alb.https.port to a port it does not use");
    // One the operator created there carries our owner tags from its creation on: ours, nothing to refuse.
    assertThat(AdoptionCheck.unnamedListener(Kind.NLB_LISTENER, l, "nlb", "spec.nlb.listener.port", true, OURS, OWNS)).isEmpty();
    // Another object's: a NameConflict.
    Map<String, String> theirs = new HashMap<>(OURS);
    theirs.put(ChainModel.TAG_NAME, "other");
    Finding others = AdoptionCheck.unnamedListener(Kind.NLB_LISTENER, l, "nlb", "spec.nlb.listener.port", true, theirs, OWNS).orElseThrow();
    assertThat(AdoptionCheck.refusal(List.of(others), OWNS).orElseThrow().conflict()).isTrue();
  }

  @Test
  void aTargetTheChainWouldHaveToSwapInsideAnAdoptedGroupIsRefused() {
    Finding group = AdoptionCheck.targetGroup(Kind.ALB_TARGET_GROUP, model.nlb().albTargetGroup(), "port", Map.of(), "",
        albGroup("TCP", 80, "vpc-1"), Map.of(), Map.of());
    String old = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/6d0ecf831eec9f09";
    assertThat(AdoptedTargets.withTargets(group, List.of(old), id -> id.contains("/alb/"), "ALB alb", "spec.adopt.alb")).isEqualTo(group);
    assertThat(AdoptedTargets.withTargets(group, List.of(), id -> false, "the ALB the chain makes", "spec.adopt.alb")).isEqualTo(group);
    Finding swap = AdoptedTargets.withTargets(group, List.of(old), id -> false, "the ALB the chain makes", "spec.adopt.alb");
    assertThat(AdoptionCheck.refusal(List.of(swap), OWNS).orElseThrow().message()).contains("spec.adopt.albTargetGroup: alb target group "
        + "nlb-tg holds " + old + ", not the ALB the chain makes: AWS lets it hold one ALB").contains("adopt that one too (spec.adopt.alb)");
  }

  private Finding nlbFinding(LoadBalancer lb, Map<String, String> attributes) {
    Map<String, String> attrs = new HashMap<>(Map.of("load_balancing.cross_zone.enabled", "true"));
    attrs.putAll(attributes);
    return AdoptionCheck.nlb(model.nlb(), "vpc-1", lb, attrs, Map.of("team", "payments"));
  }

  private static LoadBalancer nlb(String scheme, String vpc, String ip) {
    AvailabilityZone.Builder az = AvailabilityZone.builder().subnetId("subnet-0a1b2c3d4e5f60718");
    if (ip != null) {
      az.loadBalancerAddresses(LoadBalancerAddress.builder().privateIPv4Address(ip).build());
    }
    return LoadBalancer.builder().loadBalancerName("nlb").loadBalancerArn(NLB_ARN).type("network").scheme(scheme).vpcId(vpc)
        .availabilityZones(az.build()).build();
  }

  private static TargetGroup albGroup(String protocol, int port, String vpc) {
    return TargetGroup.builder().targetGroupName("nlb-tg").targetGroupArn(NLB_TG_ARN).targetType("alb").protocol(protocol).port(port)
        .vpcId(vpc).healthCheckProtocol("HTTP").healthCheckPath("/").healthCheckPort("traffic-port").build();
  }

  private static FunctionConfiguration function(String packageType, int memory) {
    return FunctionConfiguration.builder().functionName("sample").functionArn("arn:aws:lambda:us-east-1:123456789012:function:sample")
        .packageType(packageType).role("arn:aws:iam::123456789012:role/sample-lambda").timeout(30).memorySize(memory)
        .environment(e -> e.variables(Map.of("ENV", "secret")))
        .vpcConfig(v -> v.subnetIds("subnet-0d1b2c3d4e5f60718").securityGroupIds("sg-0456789abcdef0123")).build();
  }
}
