package io.lambdaingress.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.wafv2.model.Scope;

/**
 * One test per rule of the AWS rules layer (dev/aws-rules/aws_rules.py, docs/testing.md): moto alone
 * (MOTO_ENDPOINT_URL) accepts the call, the layer (AWS_ENDPOINT_URL, what every test and the operator use)
 * answers as AWS does. Both ports share moto's state, so each test drives one resource through both.
 */
// Beside the other classes: the knobs its tests turn (the consistency delay, longer in-between states) are set for
// this class's own key only, and its clients sign with that key.
@WithLocalWorld
class AwsRulesIT {

  private static LocalWorld world;
  private static ArticlePrerequisites net;
  private static LambdaClient lambda;
  private static LambdaClient motoLambda;
  private static ElasticLoadBalancingV2Client elb;
  private static ElasticLoadBalancingV2Client motoElb;
  private static Ec2Client ec2;
  private static Ec2Client motoEc2;

  @BeforeAll
  static void clients(LocalWorld w) {
    world = w.asCaller("AKIDAWSRULES");
    net = ArticlePrerequisites.create(w.awsRegion());
    lambda = world.aws(LambdaClient.builder()).build();
    elb = world.aws(ElasticLoadBalancingV2Client.builder()).build();
    motoLambda = LambdaClient.builder().endpointOverride(w.motoEndpoint()).build();
    motoElb = ElasticLoadBalancingV2Client.builder().endpointOverride(w.motoEndpoint()).build();
    ec2 = world.aws(Ec2Client.builder()).build();
    motoEc2 = Ec2Client.builder().endpointOverride(w.motoEndpoint()).build();
  }

  /** The fresh names the tests used: what carries one of them is theirs, deleted once they ran ({@link AwsSweep}). */
  private static final java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static String name(String prefix) {
    String name = LocalWorld.uniqueName(prefix);
    names.add(name);
    return name;
  }

  /** A new internal ALB in two zones, through the layer. */
  private static LoadBalancer internalAlb() {
    return elb.createLoadBalancer(r -> r.name(name("alb")).type(LoadBalancerTypeEnum.APPLICATION)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"), net.subnets().get("b"))).loadBalancers().get(0);
  }

  /** A private CA's ARN: ACM issues its certificates at once (acm-pending-until-validated). */
  private static String privateCa() {
    return "arn:aws:acm-pca:" + world.awsRegion() + ":123456789012:certificate-authority/rules";
  }

  @AfterAll
  static void close() {
    System.out.println("AwsRulesIT: what the tests made: " + AwsSweep.deleteNamed(elb, lambda, ec2, n -> names.stream().anyMatch(n::startsWith)));
    lambda.close();
    elb.close();
    motoLambda.close();
    motoElb.close();
    ec2.close();
    motoEc2.close();
  }

  @Test
  @DisplayName("lambda-pending and lambda-busy-conflict: a new function is Pending; a change meanwhile is a conflict")
  void newFunctionIsPendingAndRefusesUpdates() {
    FunctionConfiguration created = createFunction(name("pending"));

    assertThat(created.state()).isEqualTo(State.PENDING);
    assertThat(lambda.getFunction(r -> r.functionName(created.functionName())).configuration().state()).isEqualTo(State.PENDING);
    assertThat(motoLambda.getFunction(r -> r.functionName(created.functionName())).configuration().state()).isEqualTo(State.ACTIVE);
    assertThatThrownBy(() -> lambda.updateFunctionConfiguration(r -> r.functionName(created.functionName()).timeout(10)))
        .satisfies(e -> assertAwsError(e, 409, "ResourceConflictException", "Pending"));
    motoLambda.updateFunctionConfiguration(r -> r.functionName(created.functionName()).timeout(10));

    awaitState(created.functionName(), State.ACTIVE);
  }

  @Test
  @DisplayName("lambda-update-in-progress: an update is InProgress, then Successful; a second one meanwhile is a conflict")
  void anUpdateIsInProgressThenSuccessful() {
    FunctionConfiguration created = createFunction(name("update"));
    awaitState(created.functionName(), State.ACTIVE);

    lambda.updateFunctionConfiguration(r -> r.functionName(created.functionName()).timeout(11));

    assertThat(lambda.getFunctionConfiguration(r -> r.functionName(created.functionName())).lastUpdateStatus())
        .isEqualTo(LastUpdateStatus.IN_PROGRESS);
    assertThat(motoLambda.getFunctionConfiguration(r -> r.functionName(created.functionName())).lastUpdateStatus())
        .isEqualTo(LastUpdateStatus.SUCCESSFUL);
    assertThatThrownBy(() -> lambda.updateFunctionCode(r -> r.functionName(created.functionName()).imageUri(created.functionName())))
        .satisfies(e -> assertAwsError(e, 409, "ResourceConflictException", "An update is in progress"));
    waitFor(() -> lambda.getFunctionConfiguration(r -> r.functionName(created.functionName())).lastUpdateStatus()
        == LastUpdateStatus.SUCCESSFUL);
  }

  @Test
  @DisplayName("elb-lambda-permission: a function joins its target group only once ELB may invoke it, after propagation")
  void registrationWaitsForTheInvokePermission() {
    FunctionConfiguration fn = createFunction(name("perm"));
    String tg = lambdaTargetGroup();
    TargetDescription target = TargetDescription.builder().id(fn.functionArn()).build();

    motoElb.registerTargets(r -> r.targetGroupArn(tg).targets(target));
    motoElb.deregisterTargets(r -> r.targetGroupArn(tg).targets(target));
    assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(tg).targets(target)))
        .satisfies(e -> assertAwsError(e, 403, "AccessDenied", "elasticloadbalancing principal does not have permission to invoke"));

    lambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb").action("lambda:InvokeFunction")
        .principal("elasticloadbalancing.amazonaws.com").sourceArn(tg));
    assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(tg).targets(target)))
        .as("refused while the permission propagates").satisfies(e -> assertAwsError(e, 403, "AccessDenied", "does not have permission"));

    waitFor(() -> {
      try {
        elb.registerTargets(r -> r.targetGroupArn(tg).targets(target));
        return true;
      } catch (AwsServiceException e) {
        return false;
      }
    });
  }

  @Test
  @DisplayName("elb-lambda-permission: a permission for another target group does not count")
  void aPermissionForAnotherTargetGroupDoesNotCount() {
    FunctionConfiguration fn = createFunction(name("other"));
    String tg = lambdaTargetGroup();
    String other = lambdaTargetGroup();
    motoLambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb").action("lambda:InvokeFunction")
        .principal("elasticloadbalancing.amazonaws.com").sourceArn(other));

    assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(tg).targets(t -> t.id(fn.functionArn()))))
        .satisfies(e -> assertAwsError(e, 403, "AccessDenied", tg));
  }

  @Test
  @DisplayName("elb-one-function: a lambda target group holds one function")
  void aLambdaTargetGroupHoldsOneFunction() {
    FunctionConfiguration first = createFunction(name("one"));
    FunctionConfiguration second = createFunction(name("two"));
    String tg = lambdaTargetGroup();
    for (FunctionConfiguration fn : new FunctionConfiguration[] {first, second}) {
      motoLambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb").action("lambda:InvokeFunction")
          .principal("elasticloadbalancing.amazonaws.com").sourceArn(tg));
    }
    motoElb.registerTargets(r -> r.targetGroupArn(tg).targets(t -> t.id(first.functionArn())));
    motoElb.registerTargets(r -> r.targetGroupArn(tg).targets(t -> t.id(second.functionArn())));
    assertThat(motoElb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions()).hasSize(2);
    motoElb.deregisterTargets(r -> r.targetGroupArn(tg).targets(t -> t.id(second.functionArn())));

    assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(tg).targets(t -> t.id(second.functionArn()))))
        .satisfies(e -> assertAwsError(e, 400, "TooManyTargets", "one Lambda function"));
  }

  @Test
  @DisplayName("elb-alb-needs-listener: an ALB joins an alb target group only with a listener on its port")
  void anAlbJoinsOnlyWithAListenerOnThePort() {
    LoadBalancer alb = internalAlb();
    String albTargets = elb.createTargetGroup(r -> r.name(name("tg")).targetType(TargetTypeEnum.ALB)
        .protocol(ProtocolEnum.TCP).port(80).vpcId(net.vpcId())).targetGroups().get(0).targetGroupArn();
    TargetDescription target = TargetDescription.builder().id(alb.loadBalancerArn()).port(80).build();

    motoElb.registerTargets(r -> r.targetGroupArn(albTargets).targets(target));
    motoElb.deregisterTargets(r -> r.targetGroupArn(albTargets).targets(target));
    assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(albTargets).targets(target)))
        .satisfies(e -> assertAwsError(e, 400, "InvalidTarget", "no listener on port 80"));

    elb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("200"))));
    elb.registerTargets(r -> r.targetGroupArn(albTargets).targets(target));
  }

  @Test
  @DisplayName("elb-certificate-issued and acm-pending-until-validated: a listener takes an ISSUED certificate of its region only")
  void aListenerTakesOnlyAnIssuedCertificateOfItsRegion() {
    LoadBalancer alb = internalAlb();
    String ca = privateCa();
    try (AcmClient acm = world.aws(AcmClient.builder()).build();
        AcmClient westAcm = world.aws(AcmClient.builder()).region(software.amazon.awssdk.regions.Region.US_WEST_2).build()) {
      String issued = acm.requestCertificate(r -> r.domainName("issued.example.com").certificateAuthorityArn(ca)).certificateArn();
      String pending = acm.requestCertificate(r -> r.domainName("pending.example.com")).certificateArn();
      String west = westAcm.requestCertificate(r -> r.domainName("west.example.com").certificateAuthorityArn(ca)).certificateArn();
      assertThat(acm.describeCertificate(r -> r.certificateArn(pending)).certificate().statusAsString())
          .as("no validation record is ever published here").isEqualTo("PENDING_VALIDATION");
      java.util.function.BiFunction<Integer, String, software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest>
          https = (port, cert) -> software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest.builder()
              .loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTPS).port(port).certificates(c -> c.certificateArn(cert))
              .sslPolicy("ELBSecurityPolicy-TLS13-1-2-2021-06")
              .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("200"))).build();

      motoElb.createListener(https.apply(8443, pending));
      assertThatThrownBy(() -> elb.createListener(https.apply(443, pending)))
          .satisfies(e -> assertAwsError(e, 400, "UnsupportedCertificate", "The certificate '" + pending + "' must have"));
      assertThatThrownBy(() -> elb.createListener(https.apply(443, west)))
          .satisfies(e -> assertAwsError(e, 400, "CertificateNotFound", "Certificate '" + west + "' not found"));
      String listener = elb.createListener(https.apply(443, issued)).listeners().get(0).listenerArn();

      motoElb.addListenerCertificates(r -> r.listenerArn(listener).certificates(c -> c.certificateArn(pending)));
      motoElb.removeListenerCertificates(r -> r.listenerArn(listener).certificates(c -> c.certificateArn(pending)));
      assertThatThrownBy(() -> elb.addListenerCertificates(r -> r.listenerArn(listener).certificates(c -> c.certificateArn(pending))))
          .satisfies(e -> assertAwsError(e, 400, "UnsupportedCertificate", pending));
      assertThatThrownBy(() -> elb.modifyListener(r -> r.listenerArn(listener).certificates(c -> c.certificateArn(west))))
          .satisfies(e -> assertAwsError(e, 400, "CertificateNotFound", west));
    }
  }

  @Test
  @DisplayName("elb-modify-listener-keeps-certificate-list: ModifyListener replaces the default certificate, the SNI list stays")
  void modifyListenerReplacesTheDefaultCertificateOnly() {
    LoadBalancer alb = internalAlb();
    String ca = privateCa();
    try (AcmClient acm = world.aws(AcmClient.builder()).build()) {
      List<String> certs = java.util.stream.Stream.of("first", "sni", "next")
          .map(d -> acm.requestCertificate(r -> r.domainName(d + ".example.com").certificateAuthorityArn(ca)).certificateArn()).toList();
      // One listener modified through moto alone, one through the layer: each with a default and one SNI certificate.
      java.util.function.Function<ElasticLoadBalancingV2Client, List<String>> modified = client -> {
        String listener = elb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTPS)
            .port(client == elb ? 443 : 8443).certificates(c -> c.certificateArn(certs.get(0)))
            .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("200"))))
            .listeners().get(0).listenerArn();
        elb.addListenerCertificates(r -> r.listenerArn(listener).certificates(c -> c.certificateArn(certs.get(1))));
        client.modifyListener(r -> r.listenerArn(listener).certificates(c -> c.certificateArn(certs.get(2))));
        return elb.describeListenerCertificates(r -> r.listenerArn(listener)).certificates().stream()
            .map(c -> c.certificateArn() + (Boolean.TRUE.equals(c.isDefault()) ? " (default)" : "")).sorted().toList();
      };

      assertThat(modified.apply(motoElb)).as("moto alone").containsExactly(certs.get(2) + " (default)");
      assertThat(modified.apply(elb)).as("through the layer").containsExactlyInAnyOrder(certs.get(2) + " (default)", certs.get(1));
    }
  }

  @Test
  @DisplayName("elb-deletion-protection: a load balancer with deletion protection on cannot be deleted")
  void aProtectedLoadBalancerCannotBeDeleted() {
    String nlb = elb.createLoadBalancer(r -> r.name(name("nlb")).type(LoadBalancerTypeEnum.NETWORK)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"))).loadBalancers().get(0).loadBalancerArn();
    String other = elb.createLoadBalancer(r -> r.name(name("nlb")).type(LoadBalancerTypeEnum.NETWORK)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"))).loadBalancers().get(0).loadBalancerArn();
    for (String arn : List.of(nlb, other)) {
      elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(a -> a.key("deletion_protection.enabled").value("true")));
    }
    motoElb.deleteLoadBalancer(r -> r.loadBalancerArn(other));
    assertThatThrownBy(() -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb)))
        .satisfies(e -> assertAwsError(e, 400, "OperationNotPermitted", "Load balancer '" + nlb
            + "' cannot be deleted because deletion protection is enabled"));
    elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(nlb).attributes(a -> a.key("deletion_protection.enabled").value("false")));
    elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb));
  }

  @Test
  @DisplayName("wafv2-one-web-acl-per-resource, wafv2-resource-exists, wafv2-unavailable-after-create, wafv2-regional-same-region: "
      + "one web ACL an ALB, which must exist, be seen by WAF, and be of the web ACL's region, a regional one")
  void anAlbHasOneWebAclAndMustExistAndBeSeen() {
    try (Wafv2Client waf = world.aws(Wafv2Client.builder()).build();
        Wafv2Client motoWaf = Wafv2Client.builder().endpointOverride(world.motoEndpoint()).build()) {
      String first = ArticlePrerequisites.webAcl(waf, name("acl"));
      String second = ArticlePrerequisites.webAcl(waf, name("acl"));
      String gone = "arn:aws:elasticloadbalancing:" + world.awsRegion() + ":123456789012:loadbalancer/app/gone/0123456789abcdef";
      motoWaf.associateWebACL(r -> r.webACLArn(first).resourceArn(gone));
      motoWaf.disassociateWebACL(r -> r.resourceArn(gone));
      assertThatThrownBy(() -> waf.associateWebACL(r -> r.webACLArn(first).resourceArn(gone)))
          .satisfies(e -> assertAwsError(e, 400, "WAFNonexistentItemException", "your resource doesn"));

      LoadBalancer alb = internalAlb();
      assertThatThrownBy(() -> waf.associateWebACL(r -> r.webACLArn(first).resourceArn(alb.loadBalancerArn())))
          .as("just created: WAF does not see it yet").satisfies(e -> assertAwsError(e, 400, "WAFUnavailableEntityException", "retrieve"));
      waitFor(() -> {
        try {
          waf.associateWebACL(r -> r.webACLArn(first).resourceArn(alb.loadBalancerArn()));
          return true;
        } catch (AwsServiceException e) {
          return false;
        }
      });

      // A web ACL of another region, a CloudFront (global) one: the ARN is not valid here (moto: not found).
      String elsewhere = first.replace(":" + world.awsRegion() + ":", ":eu-west-3:");
      String cloudFront = motoWaf.createWebACL(r -> r.name(name("cf")).scope(Scope.CLOUDFRONT).defaultAction(a -> a.allow(x -> { }))
          .visibilityConfig(v -> v.sampledRequestsEnabled(false).cloudWatchMetricsEnabled(false).metricName("cf"))).summary().arn();
      for (String acl : List.of(elsewhere, cloudFront)) {
        assertThatThrownBy(() -> waf.associateWebACL(r -> r.webACLArn(acl).resourceArn(alb.loadBalancerArn())))
            .satisfies(e -> assertAwsError(e, 400, "WAFInvalidParameterException", "The ARN isn't valid. A valid ARN begins with arn: "
                + "and includes other information separated by colons or slashes., field: RESOURCE_ARN, parameter: " + acl));
        assertThatThrownBy(() -> motoWaf.associateWebACL(r -> r.webACLArn(acl).resourceArn(alb.loadBalancerArn())))
            .satisfies(e -> assertAwsError(e, 400, "WAFNonexistentItemException", ""));
      }
      assertThat(waf.getWebACLForResource(r -> r.resourceArn(alb.loadBalancerArn())).webACL().arn()).isEqualTo(first);

      waf.associateWebACL(r -> r.webACLArn(second).resourceArn(alb.loadBalancerArn()));
      assertThat(waf.getWebACLForResource(r -> r.resourceArn(alb.loadBalancerArn())).webACL().arn()).isEqualTo(second);
      waf.disassociateWebACL(r -> r.resourceArn(alb.loadBalancerArn()));
      assertThat(waf.getWebACLForResource(r -> r.resourceArn(alb.loadBalancerArn())).webACL()).as("replaced: one to remove").isNull();

      motoWaf.associateWebACL(r -> r.webACLArn(first).resourceArn(alb.loadBalancerArn()));
      motoWaf.associateWebACL(r -> r.webACLArn(second).resourceArn(alb.loadBalancerArn()));
      motoWaf.disassociateWebACL(r -> r.resourceArn(alb.loadBalancerArn()));
      assertThat(motoWaf.getWebACLForResource(r -> r.resourceArn(alb.loadBalancerArn())).webACL()).as("moto alone kept both").isNotNull();
      motoWaf.disassociateWebACL(r -> r.resourceArn(alb.loadBalancerArn()));
    }
  }

  @Test
  @DisplayName("elb-static-ip-reported: an NLB reports its mapped private IPv4 addresses")
  void anNlbReportsItsStaticIps() {
    String name = name("nlb");
    elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL)
        .subnetMappings(m -> m.subnetId(net.subnets().get("a")).privateIPv4Address("10.20.0.10")));

    assertThat(motoElb.describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0).availabilityZones().get(0)
        .loadBalancerAddresses()).isEmpty();
    assertThat(elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0).availabilityZones().get(0)
        .loadBalancerAddresses()).extracting(a -> a.privateIPv4Address()).containsExactly("10.20.0.10");
  }

  @Test
  @DisplayName("elb-nlb-security-groups-at-creation, elb-nlb-private-link-inbound-rules: an NLB gets security groups only at "
      + "creation and keeps at least one; its PrivateLink setting is kept and reported")
  void anNlbGetsSecurityGroupsOnlyAtCreation() {
    String sg = net.albSecurityGroup();
    String other = net.lambdaSecurityGroup();
    String bare = elb.createLoadBalancer(r -> r.name(name("nlb")).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL)
        .subnets(net.subnets().get("a"))).loadBalancers().get(0).loadBalancerArn();
    assertThatThrownBy(() -> elb.setSecurityGroups(r -> r.loadBalancerArn(bare).securityGroups(sg)))
        .satisfies(e -> assertAwsError(e, 400, "InvalidConfigurationRequest",
            "You cannot set security groups on a Network Load Balancer which was created without any security groups."));
    motoElb.setSecurityGroups(r -> r.loadBalancerArn(bare).securityGroups(sg));
    assertThat(motoElb.describeLoadBalancers(r -> r.loadBalancerArns(bare)).loadBalancers().get(0).securityGroups())
        .as("moto alone sets them").containsExactly(sg);

    LoadBalancer guarded = elb.createLoadBalancer(r -> r.name(name("nlb")).type(LoadBalancerTypeEnum.NETWORK)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a")).securityGroups(sg)).loadBalancers().get(0);
    assertThat(guarded.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic()).isEqualTo("on");
    assertThatThrownBy(() -> elb.setSecurityGroups(r -> r.loadBalancerArn(guarded.loadBalancerArn()).securityGroups(List.of())))
        .satisfies(e -> assertAwsError(e, 400, "ValidationError", "You cannot remove all security groups"));
    elb.setSecurityGroups(r -> r.loadBalancerArn(guarded.loadBalancerArn()).securityGroups(other)
        .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic("off"));
    LoadBalancer changed = elb.describeLoadBalancers(r -> r.loadBalancerArns(guarded.loadBalancerArn())).loadBalancers().get(0);
    assertThat(changed.securityGroups()).containsExactly(other);
    assertThat(changed.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic()).isEqualTo("off");
    assertThat(motoElb.describeLoadBalancers(r -> r.loadBalancerArns(guarded.loadBalancerArn())).loadBalancers().get(0)
        .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic()).as("moto reports none").isNull();
  }

  @Test
  @DisplayName("elb-alb-target-group-attributes, elb-lambda-target-group-attributes: an alb group takes no attribute, a lambda "
      + "group only lambda.multi_value_headers.enabled")
  void theChainsTargetGroupsTakeOnlyTheirAttributes() {
    String albTg = albTargetGroup();
    assertThatThrownBy(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(albTg)
        .attributes(a -> a.key("deregistration_delay.timeout_seconds").value("30"))))
        .satisfies(e -> assertAwsError(e, 400, "InvalidConfigurationRequest", "The provided target group attribute is not supported"));
    motoElb.modifyTargetGroupAttributes(r -> r.targetGroupArn(albTg).attributes(a -> a.key("deregistration_delay.timeout_seconds").value("30")));
    assertThat(motoElb.describeTargetGroupAttributes(r -> r.targetGroupArn(albTg)).attributes())
        .as("moto alone sets it").anySatisfy(a -> assertThat(a.key() + "=" + a.value()).isEqualTo("deregistration_delay.timeout_seconds=30"));

    String lambdaTg = elb.createTargetGroup(r -> r.name(name("tg")).targetType(TargetTypeEnum.LAMBDA)).targetGroups().get(0)
        .targetGroupArn();
    assertThatThrownBy(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(lambdaTg)
        .attributes(a -> a.key("stickiness.enabled").value("true"))))
        .satisfies(e -> assertAwsError(e, 400, "InvalidConfigurationRequest", "The provided target group attribute is not supported"));
    motoElb.modifyTargetGroupAttributes(r -> r.targetGroupArn(lambdaTg).attributes(a -> a.key("stickiness.enabled").value("true")));
    elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(lambdaTg).attributes(a -> a.key("lambda.multi_value_headers.enabled").value("true")));
    assertThat(elb.describeTargetGroupAttributes(r -> r.targetGroupArn(lambdaTg)).attributes())
        .anySatisfy(a -> assertThat(a.key() + "=" + a.value()).isEqualTo("lambda.multi_value_headers.enabled=true"))
        .as("moto alone set it").anySatisfy(a -> assertThat(a.key() + "=" + a.value()).isEqualTo("stickiness.enabled=true"));
  }

  @Test
  @DisplayName("elb-arn-kind: an NLB's ARN says net/, and so do its listeners'; moto alone says app/")
  void anNlbsArnsSayNet() {
    String name = name("kind");
    String nlb = elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL)
        .subnetMappings(m -> m.subnetId(net.subnets().get("a")))).loadBalancers().get(0).loadBalancerArn();
    String motoNlb = motoElb.createLoadBalancer(r -> r.name(name + "-m").type(LoadBalancerTypeEnum.NETWORK)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnetMappings(m -> m.subnetId(net.subnets().get("a")))).loadBalancers().get(0)
        .loadBalancerArn();
    String tg = albTargetGroup();
    String listener = elb.createListener(r -> r.loadBalancerArn(nlb).protocol(ProtocolEnum.TCP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).listeners().get(0).listenerArn();

    assertThat(nlb).matches("arn:aws:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/net/" + name + "/[0-9a-f]{16}");
    assertThat(motoNlb).contains(":loadbalancer/app/" + name + "-m/");
    assertThat(listener).matches(java.util.regex.Pattern.quote(nlb.replace(":loadbalancer/", ":listener/")) + "/[0-9a-f]{16}");
    // The ARN is the resource's own, through either port: read, listed and tagged by it.
    assertThat(motoElb.describeLoadBalancers(r -> r.loadBalancerArns(nlb)).loadBalancers()).singleElement()
        .satisfies(lb -> assertThat(lb.type()).isEqualTo(LoadBalancerTypeEnum.NETWORK));
    assertThat(elb.describeListeners(r -> r.loadBalancerArn(nlb)).listeners()).singleElement()
        .satisfies(l -> assertThat(l.listenerArn()).isEqualTo(listener));
    assertThat(elb.describeTargetGroups(r -> r.targetGroupArns(tg)).targetGroups().get(0).loadBalancerArns()).containsExactly(nlb);
    elb.addTags(r -> r.resourceArns(listener).tags(t -> t.key("k").value("v")));
    assertThat(elb.describeTags(r -> r.resourceArns(listener)).tagDescriptions().get(0).tags()).extracting(t -> t.key()).contains("k");
  }

  @Test
  @DisplayName("elb-create-idempotent: creating an existing name again returns it, or is a duplicate if settings differ")
  void createIsIdempotentByName() {
    String name = name("idem");
    String subnet = net.subnets().get("a");
    String first = elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL)
        .subnetMappings(m -> m.subnetId(subnet))).loadBalancers().get(0).loadBalancerArn();

    assertThat(elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL)
        .subnetMappings(m -> m.subnetId(subnet))).loadBalancers().get(0).loadBalancerArn()).isEqualTo(first);
    assertThatThrownBy(() -> elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK)
        .scheme(LoadBalancerSchemeEnum.INTERNET_FACING).subnetMappings(m -> m.subnetId(subnet))))
        .satisfies(e -> assertAwsError(e, 400, "DuplicateLoadBalancerName", "other settings"));
    String motoSecond = motoElb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnetMappings(m -> m.subnetId(subnet))).loadBalancers().get(0).loadBalancerArn();
    assertThat(motoSecond).as("moto alone makes a second load balancer with the same name").isNotEqualTo(first);
    motoElb.deleteLoadBalancer(r -> r.loadBalancerArn(motoSecond));

    String tgName = name("idem");
    String tg = elb.createTargetGroup(r -> r.name(tgName).targetType(TargetTypeEnum.LAMBDA)).targetGroups().get(0).targetGroupArn();
    assertThat(elb.createTargetGroup(r -> r.name(tgName).targetType(TargetTypeEnum.LAMBDA)).targetGroups().get(0).targetGroupArn())
        .isEqualTo(tg);
    assertThatThrownBy(() -> motoElb.createTargetGroup(r -> r.name(tgName).targetType(TargetTypeEnum.LAMBDA)))
        .as("moto alone refuses even the same settings").satisfies(e -> assertAwsError(e, 400, "DuplicateTargetGroupName", ""));
  }

  @Test
  @DisplayName("elb-describe-tags-not-found: one ARN that does not exist fails the whole DescribeTags")
  void describeTagsOfAGoneResourceIsNotFound() {
    String kept = lambdaTargetGroup();
    String gone = lambdaTargetGroup();
    elb.addTags(r -> r.resourceArns(kept).tags(t -> t.key("k").value("v")));
    elb.deleteTargetGroup(r -> r.targetGroupArn(gone));

    assertThat(elb.describeTags(r -> r.resourceArns(kept)).tagDescriptions().get(0).tags()).extracting(t -> t.key()).containsExactly("k");
    assertThatThrownBy(() -> elb.describeTags(r -> r.resourceArns(kept, gone)))
        .satisfies(e -> assertAwsError(e, 400, "TargetGroupNotFound", "not found"));
    String goneLb = gone.replace(":targetgroup/", ":loadbalancer/app/");
    assertThatThrownBy(() -> elb.describeTags(r -> r.resourceArns(goneLb)))
        .satisfies(e -> assertAwsError(e, 400, "LoadBalancerNotFound", "not found"));
    assertThat(motoElb.describeTags(r -> r.resourceArns(kept, gone)).tagDescriptions())
        .as("moto alone answers the gone group as if it were there, untagged").hasSize(2);
  }

  @Test
  @DisplayName("elb-listener-idempotent: one listener per port; the same create again returns it")
  void oneListenerPerPort() {
    LoadBalancer alb = elb.createLoadBalancer(r -> r.name(name("lst")).type(LoadBalancerTypeEnum.APPLICATION)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"), net.subnets().get("b"))).loadBalancers().get(0);
    String tg = lambdaTargetGroup();
    String other = lambdaTargetGroup();
    String first = elb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).listeners().get(0).listenerArn();

    assertThat(elb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).listeners().get(0).listenerArn()).isEqualTo(first);
    assertThatThrownBy(() -> elb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(other))))
        .satisfies(e -> assertAwsError(e, 400, "DuplicateListener", "already exists on this port"));
    motoElb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(other)));
    assertThat(motoElb.describeListeners(r -> r.loadBalancerArn(alb.loadBalancerArn())).listeners())
        .as("moto alone makes a second listener on the port").hasSize(2);
  }

  @Test
  @DisplayName("elb-rule-priorities-batch: SetRulePriorities swaps two rules in one call; priorities are 1-50000")
  void rulePrioritiesAreOneBatch() {
    LoadBalancer alb = elb.createLoadBalancer(r -> r.name(name("prio")).type(LoadBalancerTypeEnum.APPLICATION)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"), net.subnets().get("b"))).loadBalancers().get(0);
    String tg = lambdaTargetGroup();
    String listener = elb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).listeners().get(0).listenerArn();
    java.util.function.BiFunction<Integer, String, String> rule = (priority, path) -> elb.createRule(r -> r.listenerArn(listener)
        .priority(priority).conditions(c -> c.field("path-pattern").values(path))
        .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).rules().get(0).ruleArn();
    String a = rule.apply(1, "/a");
    String b = rule.apply(2, "/b");
    java.util.List<software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair> swap = java.util.List.of(
        software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair.builder().ruleArn(a).priority(2).build(),
        software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair.builder().ruleArn(b).priority(1).build());

    assertThatThrownBy(() -> motoElb.setRulePriorities(r -> r.rulePriorities(swap)))
        .as("moto alone checks each pair against the current priorities").satisfies(e -> assertAwsError(e, 400, "PriorityInUse", ""));
    assertThat(elb.setRulePriorities(r -> r.rulePriorities(swap)).rules()).extracting(x -> x.ruleArn() + "=" + x.priority())
        .containsExactlyInAnyOrder(a + "=2", b + "=1");
    assertThat(elb.describeRules(r -> r.listenerArn(listener)).rules()).filteredOn(x -> !x.isDefault())
        .extracting(x -> x.priority() + x.conditions().get(0).values().get(0)).containsExactlyInAnyOrder("2/a", "1/b");
    // A batch whose final state has two rules on one priority is refused, as on AWS.
    String c = rule.apply(3, "/c");
    assertThatThrownBy(() -> elb.setRulePriorities(r -> r.rulePriorities(p -> p.ruleArn(c).priority(1))))
        .satisfies(e -> assertAwsError(e, 400, "PriorityInUse", ""));

    motoElb.createRule(r -> r.listenerArn(listener).priority(50_001).conditions(x -> x.field("path-pattern").values("/m"))
        .actions(x -> x.type(ActionTypeEnum.FORWARD).targetGroupArn(tg)));
    assertThatThrownBy(() -> rule.apply(50_002, "/d")).satisfies(e -> assertAwsError(e, 400, "ValidationError", "between 1 and 50000"));
  }

  @Test
  @DisplayName("lambda-statement-id-unique: AddPermission with a taken statement id is a conflict")
  void aStatementIdIsUniqueInAPolicy() {
    FunctionConfiguration fn = createFunction(name("sid"));
    String tg = lambdaTargetGroup();
    lambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb").action("lambda:InvokeFunction")
        .principal("elasticloadbalancing.amazonaws.com").sourceArn(tg));

    assertThatThrownBy(() -> lambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb")
        .action("lambda:InvokeFunction").principal("elasticloadbalancing.amazonaws.com").sourceArn(tg)))
        .satisfies(e -> assertAwsError(e, 409, "ResourceConflictException", "statement id (elb) provided already exists"));
    motoLambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb").action("lambda:InvokeFunction")
        .principal("elasticloadbalancing.amazonaws.com").sourceArn(tg));
    assertThat(motoLambda.getPolicy(r -> r.functionName(fn.functionName())).policy().split("\"Sid\": \"elb\"", -1))
        .as("moto alone keeps two statements with the id").hasSize(3);
  }

  @Test
  @DisplayName("eventual-consistency: what was just created may be missing from reads for a moment")
  void justCreatedIsMissingForAMoment() {
    // Long enough for a busy 2-core machine to make all the reads below inside the window.
    world.setAwsRules(Map.of("consistencySeconds", 8));
    try {
      String name = name("late");
      String arn = elb.createTargetGroup(r -> r.name(name).targetType(TargetTypeEnum.LAMBDA)).targetGroups().get(0).targetGroupArn();
      FunctionConfiguration fn = createFunction(name("late"));

      assertThat(motoElb.describeTargetGroups(r -> r.names(name)).targetGroups()).hasSize(1);
      assertThatThrownBy(() -> elb.describeTargetGroups(r -> r.names(name)))
          .satisfies(e -> assertAwsError(e, 400, "TargetGroupNotFound", ""));
      assertThat(elb.describeTargetGroups(r -> r.pageSize(400)).targetGroups()).noneMatch(t -> t.targetGroupArn().equals(arn));
      assertThatThrownBy(() -> lambda.getFunction(r -> r.functionName(fn.functionName())))
          .satisfies(e -> assertAwsError(e, 404, "ResourceNotFoundException", fn.functionName()));

      waitFor(() -> {
        try {
          return !elb.describeTargetGroups(r -> r.names(name)).targetGroups().isEmpty();
        } catch (AwsServiceException notYet) {
          return false;
        }
      });
    } finally {
      world.setAwsRules(Map.of("consistencySeconds", 0));
    }
  }

  @Test
  @DisplayName("ecr-image-digest: CodeSha256 is the image digest; an unknown tag is ImageNotFound")
  void imageFunctionsResolveTheirImageInEcr() {
    String digest = net.pushImage("v1");
    // moto_server's own switch (MOTO_LAMBDA_STUB_ECR=false), process-wide: both ports resolve the digest alike.
    var fn = lambda.createFunction(r -> r.functionName(name("img")).packageType(PackageType.IMAGE)
        .role(net.roleArn()).code(c -> c.imageUri(repositoryUri() + ":v1")));
    assertThat("sha256:" + fn.codeSha256()).isEqualTo(digest);
    assertThatThrownBy(() -> motoLambda.createFunction(r -> r.functionName(name("img")).packageType(PackageType.IMAGE)
        .role(net.roleArn()).code(c -> c.imageUri(repositoryUri() + ":no-such-tag"))))
        .satisfies(e -> assertAwsError(e, 400, "ImageNotFoundException", "no-such-tag"));
    // Through the layer, as AWS words it (lambda-image-not-found-is-invalid-parameter, on by default).
    assertThatThrownBy(() -> lambda.createFunction(r -> r.functionName(name("img")).packageType(PackageType.IMAGE)
        .role(net.roleArn()).code(c -> c.imageUri(repositoryUri() + ":no-such-tag"))))
        .satisfies(e -> assertAwsError(e, 400, "InvalidParameterValueException", "Source image " + repositoryUri() + ":no-such-tag does not exist"));
  }

  @Test
  @DisplayName("lambda-ecr-pull-permission: Lambda pulls only what the repository policy lets it; it sets that policy for a "
      + "caller allowed to, else CreateFunction is AccessDenied")
  void lambdaPullsOnlyWhatTheRepositoryPolicyLetsIt() {
    // A repository of its own, without a policy (net's got Lambda's statement from the other tests' functions).
    ArticlePrerequisites fresh = ArticlePrerequisites.create(world.awsRegion());
    try (var ecr = world.aws(software.amazon.awssdk.services.ecr.EcrClient.builder()).build()) {
      String image = ecr.describeRepositories(r -> r.repositoryNames(fresh.repository())).repositories().get(0).repositoryUri()
          + ":latest";
      withRules(Map.of("callerMaySetRepositoryPolicy", 0), () -> {
        assertThatThrownBy(() -> lambda.createFunction(r -> r.functionName(name("pull")).packageType(PackageType.IMAGE)
            .role(fresh.roleArn()).code(c -> c.imageUri(image))))
            .satisfies(e -> assertAwsError(e, 403, "AccessDeniedException",
                "Lambda does not have permission to access the ECR image. Check the ECR permissions."));
        assertThat(motoLambda.createFunction(r -> r.functionName(name("pull")).packageType(PackageType.IMAGE)
            .role(fresh.roleArn()).code(c -> c.imageUri(image))).functionArn()).as("moto alone creates it").isNotBlank();
      });
      assertThatThrownBy(() -> ecr.getRepositoryPolicy(r -> r.repositoryName(fresh.repository())))
          .as("nothing set the repository policy").isInstanceOf(software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException.class);
      // A caller allowed ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy (the knob's default): Lambda adds its
      // statement to the repository policy, and the function is created.
      assertThat(lambda.createFunction(r -> r.functionName(name("pull")).packageType(PackageType.IMAGE)
          .role(fresh.roleArn()).code(c -> c.imageUri(image))).functionArn()).isNotBlank();
      assertThat(ecr.getRepositoryPolicy(r -> r.repositoryName(fresh.repository())).policyText())
          .contains("lambda.amazonaws.com").contains("ecr:BatchGetImage").contains("ecr:GetDownloadUrlForLayer");
    }
  }

  @Test
  @DisplayName("lambda-version-immutable: a published version keeps reporting the image it was published with")
  void aVersionKeepsItsImage() {
    String first = net.pushImage("ver-a");
    String second = net.pushImage("ver-b");
    String name = name("ver");
    lambda.createFunction(r -> r.functionName(name).packageType(PackageType.IMAGE).role(net.roleArn())
        .code(c -> c.imageUri(repositoryUri() + "@" + first)));
    awaitState(name, State.ACTIVE);
    String v1 = lambda.publishVersion(r -> r.functionName(name)).version();
    lambda.updateFunctionCode(r -> r.functionName(name).imageUri(repositoryUri() + "@" + second));
    waitFor(() -> lambda.getFunctionConfiguration(r -> r.functionName(name)).lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL);

    assertThat(motoLambda.getFunction(r -> r.functionName(name).qualifier(v1)).code().imageUri()).endsWith(second);
    assertThat(lambda.getFunction(r -> r.functionName(name).qualifier(v1)).code().imageUri()).endsWith(first);
    assertThat(lambda.getFunction(r -> r.functionName(name)).code().imageUri()).endsWith(second);
  }

  @Test
  @DisplayName("lambda-policy-per-qualifier: a permission on an alias is that alias's alone, and ELB needs it on the ARN it registers")
  void aPermissionBelongsToItsQualifier() {
    FunctionConfiguration fn = createFunction(name("qual"));
    awaitState(fn.functionName(), State.ACTIVE);
    String version = lambda.publishVersion(r -> r.functionName(fn.functionName())).version();
    String alias = lambda.createAlias(r -> r.functionName(fn.functionName()).name("live").functionVersion(version)).aliasArn();
    String tg = lambdaTargetGroup();
    String aliasTg = lambdaTargetGroup();
    // ELB may invoke the unqualified function from tg, and the alias from aliasTg.
    lambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb").action("lambda:InvokeFunction")
        .principal("elasticloadbalancing.amazonaws.com").sourceArn(tg));
    lambda.addPermission(r -> r.functionName(fn.functionName()).qualifier("live").statementId("elb-live")
        .action("lambda:InvokeFunction").principal("elasticloadbalancing.amazonaws.com").sourceArn(aliasTg));

    assertThat(motoLambda.getPolicy(r -> r.functionName(fn.functionName())).policy()).contains("elb-live");
    assertThat(lambda.getPolicy(r -> r.functionName(fn.functionName())).policy()).contains("\"elb\"").doesNotContain("elb-live");
    assertThat(lambda.getPolicy(r -> r.functionName(fn.functionName()).qualifier("live")).policy())
        .contains("elb-live").doesNotContain("\"elb\"");

    // The unqualified permission does not let ELB invoke the alias, nor the alias's the function.
    String swapped = lambdaTargetGroup();
    lambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb-any").action("lambda:InvokeFunction")
        .principal("elasticloadbalancing.amazonaws.com").sourceArn(swapped));
    motoElb.registerTargets(r -> r.targetGroupArn(swapped).targets(t -> t.id(alias)));
    motoElb.deregisterTargets(r -> r.targetGroupArn(swapped).targets(t -> t.id(alias)));
    waitFor(() -> registers(swapped, fn.functionArn()));
    elb.deregisterTargets(r -> r.targetGroupArn(swapped).targets(t -> t.id(fn.functionArn())));
    assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(swapped).targets(t -> t.id(alias))))
        .satisfies(e -> assertAwsError(e, 403, "AccessDenied", alias));
    waitFor(() -> registers(aliasTg, alias));
  }

  @Test
  @DisplayName("lambda-version-numbers-increase: a version number is not given again after a deletion")
  void versionNumbersAreNotReused() {
    for (LambdaClient client : new LambdaClient[] {motoLambda, lambda}) {
      String name = name("num");
      lambda.createFunction(r -> r.functionName(name).packageType(PackageType.IMAGE).role(net.roleArn())
          .code(c -> c.imageUri(repositoryUri() + "@" + net.pushImage("num-a"))));
      awaitState(name, State.ACTIVE);
      assertThat(lambda.publishVersion(r -> r.functionName(name)).version()).isEqualTo("1");
      updateImage(name, net.pushImage("num-b"));
      assertThat(lambda.publishVersion(r -> r.functionName(name)).version()).isEqualTo("2");
      lambda.deleteFunction(r -> r.functionName(name).qualifier("2"));
      updateImage(name, net.pushImage("num-c"));
      String third = client.publishVersion(r -> r.functionName(name)).version();
      assertThat(third).isEqualTo(client == motoLambda ? "2" : "3");
    }
  }

  private static void updateImage(String name, String digest) {
    lambda.updateFunctionCode(r -> r.functionName(name).imageUri(repositoryUri() + "@" + digest));
    waitFor(() -> lambda.getFunctionConfiguration(r -> r.functionName(name)).lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL);
  }

  private static boolean registers(String tg, String target) {
    try {
      elb.registerTargets(r -> r.targetGroupArn(tg).targets(t -> t.id(target)));
      return true;
    } catch (AwsServiceException e) {
      if (e.statusCode() != 403) {
        throw e;
      }
      return false;
    }
  }

  @Test
  @DisplayName("cloudtrail-events: a write AWS accepts reaches EventBridge as a CloudTrail event; moto sends none")
  void writesArePublishedAsCloudTrailEvents() throws Exception {
    world.setAwsRules(Map.of("eventDelaySeconds", 0, "eventLossRate", 0));
    try (var sqs = world.aws(software.amazon.awssdk.services.sqs.SqsClient.builder()).build();
        var events = world.aws(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()).build()) {
      String queue = sqs.createQueue(q -> q.queueName(name("lambda-ingress-rules"))).queueUrl();
      String queueArn = sqs.getQueueAttributes(q -> q.queueUrl(queue).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
      String rule = name("rules");
      events.putRule(r -> r.name(rule).eventPattern("{\"source\":[\"aws.elasticloadbalancing\"],\"detail-type\":[\"AWS API Call via CloudTrail\"]}"));
      events.putTargets(r -> r.rule(rule).targets(t -> t.id("q").arn(queueArn)));
      try {
        // The rule sees every ELB write on the default bus, earlier tests' late events included: only the events
        // that name this test's own target groups count.
        String motoName = name("tg");
        String viaMoto = motoElb.createTargetGroup(r -> r.name(motoName).targetType(TargetTypeEnum.LAMBDA))
            .targetGroups().get(0).targetGroupArn();
        motoElb.deleteTargetGroup(r -> r.targetGroupArn(viaMoto));

        String name = name("tg");
        String arn = elb.createTargetGroup(r -> r.name(name).targetType(TargetTypeEnum.LAMBDA)).targetGroups().get(0).targetGroupArn();
        elb.deleteTargetGroup(r -> r.targetGroupArn(arn));
        List<com.fasterxml.jackson.databind.JsonNode> details = new java.util.ArrayList<>();
        java.util.function.BiPredicate<com.fasterxml.jackson.databind.JsonNode, String[]> names = (d, ids) -> {
          var p = d.path("requestParameters");
          return java.util.Arrays.asList(ids).contains(p.path("name").asText()) || java.util.Arrays.asList(ids).contains(p.path("targetGroupArn").asText());
        };
        List<com.fasterxml.jackson.databind.JsonNode> fromMoto = new java.util.ArrayList<>();
        waitFor(() -> {
          for (var m : sqs.receiveMessage(q -> q.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
            com.fasterxml.jackson.databind.JsonNode d;
            try {
              d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.body()).path("detail");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            if (names.test(d, new String[] {name, arn})) {
              details.add(d);
            } else if (names.test(d, new String[] {motoName, viaMoto})) {
              fromMoto.add(d);
            }
          }
          return details.size() >= 2;
        });
        assertThat(fromMoto).as("moto alone: no event").isEmpty();
        // In any order: EventBridge does not promise delivery in the order of the calls, and the layer publishes each
        // event on a timer of its own (with no delay here, the two race; the create came second once in ~12 runs).
        assertThat(details).extracting(d -> d.path("eventName").asText()).containsExactlyInAnyOrder("CreateTargetGroup", "DeleteTargetGroup");
        assertThat(details).allSatisfy(d -> {
          assertThat(d.path("eventSource").asText()).isEqualTo("elasticloadbalancing.amazonaws.com");
          assertThat(d.path("userIdentity").path("accessKeyId").asText()).isNotEmpty();
        });
        java.util.function.Function<String, com.fasterxml.jackson.databind.JsonNode> event = n -> details.stream()
            .filter(d -> d.path("eventName").asText().equals(n)).findFirst().orElseThrow();
        assertThat(event.apply("CreateTargetGroup").path("requestParameters").path("name").asText()).isEqualTo(name);
        assertThat(event.apply("DeleteTargetGroup").path("requestParameters").path("targetGroupArn").asText()).isEqualTo(arn);
      } finally {
        events.removeTargets(r -> r.rule(rule).ids("q"));
        events.deleteRule(r -> r.name(rule));
        sqs.deleteQueue(q -> q.queueUrl(queue));
        world.setAwsRules(Map.of("eventDelaySeconds", 0.5));
      }
    }
  }

  // --- issue 21: rules from AWS's recorded answers (dev/aws-parity); each test sets the knobs it shows ---

  @Test
  @DisplayName("elb-provisioning: a new load balancer is provisioning, then active")
  void aNewLoadBalancerIsProvisioningThenActive() {
    withRules(Map.of("loadBalancerProvisioningSeconds", 3), () -> {
        String name = name("prov");
        elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.APPLICATION).scheme(LoadBalancerSchemeEnum.INTERNAL)
            .subnets(net.subnets().get("a"), net.subnets().get("b")));
        assertThat(motoElb.describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0).state().codeAsString()).isEqualTo("active");
        assertThat(elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0).state().codeAsString()).isEqualTo("provisioning");
        waitFor(() -> "active".equals(elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0).state().codeAsString()));
    });
  }

  @Test
  @DisplayName("elb-alb-target-in-use and elb-deregistration-draining: a registered ALB cannot be deleted; deregistered, it drains")
  void aRegisteredAlbCannotBeDeletedAndDrainsWhenDeregistered() {
    withRules(Map.of("albTargetInUse", 1, "deregistrationDelaySeconds", 3), () -> {
        String viaMoto = albWithListener("inuse");
        String motoGroup = albTargetGroup();
        motoElb.registerTargets(r -> r.targetGroupArn(motoGroup).targets(t -> t.id(viaMoto).port(80)));
        motoElb.deregisterTargets(r -> r.targetGroupArn(motoGroup).targets(t -> t.id(viaMoto).port(80)));
        assertThat(motoElb.describeTargetHealth(r -> r.targetGroupArn(motoGroup)).targetHealthDescriptions())
            .as("moto alone: gone at once").isEmpty();
        motoElb.registerTargets(r -> r.targetGroupArn(motoGroup).targets(t -> t.id(viaMoto).port(80)));
        motoElb.deleteLoadBalancer(r -> r.loadBalancerArn(viaMoto));

        String alb = albWithListener("inuse");
        String group = albTargetGroup();
        elb.registerTargets(r -> r.targetGroupArn(group).targets(t -> t.id(alb).port(80)));
        assertThatThrownBy(() -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(alb)))
            .satisfies(e -> assertAwsError(e, 400, "ResourceInUse", "cannot be deleted"));
        elb.deregisterTargets(r -> r.targetGroupArn(group).targets(t -> t.id(alb).port(80)));
        assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(group)).targetHealthDescriptions()).singleElement()
            .satisfies(d -> {
              assertThat(d.targetHealth().stateAsString()).isEqualTo("draining");
              assertThat(d.targetHealth().reasonAsString()).isEqualTo("Target.DeregistrationInProgress");
            });
        assertThatThrownBy(() -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(alb))).as("still draining")
            .satisfies(e -> assertAwsError(e, 400, "ResourceInUse", ""));
        waitFor(() -> elb.describeTargetHealth(r -> r.targetGroupArn(group)).targetHealthDescriptions().isEmpty());
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(alb));
    });
  }

  @Test
  @DisplayName("elb-alb-target-health: an ALB target is initial, then healthy only with a function behind its listener")
  void anAlbTargetIsHealthyOnlyWithAFunctionBehindIt() {
    withRules(Map.of("targetHealthCheckSeconds", 2), () -> {
        FunctionConfiguration fn = createFunction(name("health"));
        String lambdaGroup = lambdaTargetGroup();
        lambda.addPermission(r -> r.functionName(fn.functionName()).statementId("elb").action("lambda:InvokeFunction")
            .principal("elasticloadbalancing.amazonaws.com").sourceArn(lambdaGroup));
        waitFor(() -> registers(lambdaGroup, fn.functionArn()));
        String served = elb.createLoadBalancer(r -> r.name(name("health")).type(LoadBalancerTypeEnum.APPLICATION)
            .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"), net.subnets().get("b"))).loadBalancers().get(0)
            .loadBalancerArn();
        elb.createListener(r -> r.loadBalancerArn(served).protocol(ProtocolEnum.HTTP).port(80)
            .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(lambdaGroup)));
        String empty = albWithListener("health");
        String servedGroup = albTargetGroup();
        String emptyGroup = albTargetGroup();
        elb.registerTargets(r -> r.targetGroupArn(servedGroup).targets(t -> t.id(served).port(80)));
        elb.registerTargets(r -> r.targetGroupArn(emptyGroup).targets(t -> t.id(empty).port(80)));

        assertThat(motoElb.describeTargetHealth(r -> r.targetGroupArn(servedGroup)).targetHealthDescriptions().get(0).targetHealth()
            .stateAsString()).as("moto alone").isEqualTo("healthy");
        assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(servedGroup)).targetHealthDescriptions().get(0).targetHealth()
            .reasonAsString()).isEqualTo("Elb.RegistrationInProgress");
        waitFor(() -> "healthy".equals(targetState(servedGroup)));
        waitFor(() -> "unhealthy".equals(targetState(emptyGroup)));
    });
  }

  @Test
  @DisplayName("elb-alb-target-group-one-alb and elb-target-group-one-load-balancer: one ALB per alb group, one load balancer per group")
  void oneAlbPerGroupAndOneLoadBalancerPerGroup() {
    withRules(Map.of("albTargetGroupOneAlb", 1, "targetGroupOneLoadBalancer", 1), () -> {
        String first = albWithListener("one");
        String second = albWithListener("one");
        String viaMoto = albTargetGroup();
        motoElb.registerTargets(r -> r.targetGroupArn(viaMoto).targets(t -> t.id(first).port(80)));
        motoElb.registerTargets(r -> r.targetGroupArn(viaMoto).targets(t -> t.id(second).port(80)));
        String group = albTargetGroup();
        elb.registerTargets(r -> r.targetGroupArn(group).targets(t -> t.id(first).port(80)));
        assertThatThrownBy(() -> elb.registerTargets(r -> r.targetGroupArn(group).targets(t -> t.id(second).port(80))))
            .satisfies(e -> assertAwsError(e, 400, "TooManyTargets", "only one Application Load Balancer"));

        String nlb = nlb("one");
        String other = nlb("one");
        elb.createListener(r -> r.loadBalancerArn(nlb).protocol(ProtocolEnum.TCP).port(80)
            .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)));
        motoElb.createListener(r -> r.loadBalancerArn(other).protocol(ProtocolEnum.TCP).port(81)
            .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)));
        assertThatThrownBy(() -> elb.createListener(r -> r.loadBalancerArn(other).protocol(ProtocolEnum.TCP).port(80)
            .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group))))
            .satisfies(e -> assertAwsError(e, 400, "TargetGroupAssociationLimit", "cannot be associated with more than one load balancer"));
    });
  }

  @Test
  @DisplayName("elb-alb-two-zones: an ALB needs two zones, one subnet each")
  void anAlbNeedsTwoZones() {
    withRules(Map.of("albTwoZones", 1), () -> {
        motoElb.createLoadBalancer(r -> r.name(name("zones")).type(LoadBalancerTypeEnum.APPLICATION)
            .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a")));
        assertThatThrownBy(() -> elb.createLoadBalancer(r -> r.name(name("zones")).type(LoadBalancerTypeEnum.APPLICATION)
            .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"))))
            .satisfies(e -> assertAwsError(e, 400, "ValidationError", "At least two subnets in two different Availability Zones"));
        // Subnets a and d are in the same zone (ArticlePrerequisites).
        assertThatThrownBy(() -> elb.createLoadBalancer(r -> r.name(name("zones")).type(LoadBalancerTypeEnum.APPLICATION)
            .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"), net.subnets().get("d"))))
            .satisfies(e -> assertAwsError(e, 400, "InvalidConfigurationRequest", "multiple subnets in the same Availability Zone"));
    });
  }

  @Test
  @DisplayName("lambda-alias-routing and lambda-alias-version-in-use: two published versions at most; a version in use stays")
  void aliasesRouteToTwoPublishedVersionsThatStay() {
    withRules(Map.of("aliasRules", 1, "aliasVersionInUse", 1), () -> {
        FunctionConfiguration fn = createFunction(name("alias"));
        awaitState(fn.functionName(), State.ACTIVE);
        lambda.publishVersion(r -> r.functionName(fn.functionName()));
        lambda.updateFunctionConfiguration(r -> r.functionName(fn.functionName()).description("two"));
        waitFor(() -> lambda.getFunctionConfiguration(r -> r.functionName(fn.functionName())).lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL);
        lambda.publishVersion(r -> r.functionName(fn.functionName()));
        motoLambda.createAlias(r -> r.functionName(fn.functionName()).name("moto").functionVersion("$LATEST")
            .routingConfig(c -> c.additionalVersionWeights(Map.of("1", 0.5))));
        assertThatThrownBy(() -> lambda.createAlias(r -> r.functionName(fn.functionName()).name("live").functionVersion("$LATEST")
            .routingConfig(c -> c.additionalVersionWeights(Map.of("1", 0.5)))))
            .satisfies(e -> assertAwsError(e, 400, "InvalidParameterValueException", "$LATEST is not supported"));
        assertThatThrownBy(() -> lambda.createAlias(r -> r.functionName(fn.functionName()).name("live").functionVersion("1")
            .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5, "3", 0.1)))))
            .satisfies(e -> assertAwsError(e, 400, "InvalidParameterValueException", "cannot be greater than 1"));
        lambda.createAlias(r -> r.functionName(fn.functionName()).name("live").functionVersion("1")
            .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1))));
        assertThatThrownBy(() -> lambda.deleteFunction(r -> r.functionName(fn.functionName()).qualifier("2")))
            .satisfies(e -> assertAwsError(e, 409, "ResourceConflictException", "the following aliases reference it: [live]"));
        lambda.deleteAlias(r -> r.functionName(fn.functionName()).name("live"));
        motoLambda.deleteFunction(r -> r.functionName(fn.functionName()).qualifier("1"));
    });
  }

  @Test
  @DisplayName("lambda-provisioned-concurrency, lambda-provisioned-concurrency-not-on-weighted-alias, lambda-reserved-concurrency-reported: "
      + "provisioned concurrency on an alias without weights, IN_PROGRESS then READY; a reservation of 0 is reported")
  void provisionedConcurrencyGoesOnAnAliasWithoutWeights() {
    FunctionConfiguration fn = createFunction(name("pc"));
    String name = fn.functionName();
    awaitState(name, State.ACTIVE);
    lambda.publishVersion(r -> r.functionName(name));
    lambda.updateFunctionConfiguration(r -> r.functionName(name).description("two"));
    waitFor(() -> lambda.getFunctionConfiguration(r -> r.functionName(name)).lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL);
    lambda.publishVersion(r -> r.functionName(name));
    lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
    assertThatThrownBy(() -> motoLambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live")
        .provisionedConcurrentExecutions(2))).as("moto alone has no provisioned concurrency").isInstanceOf(SdkException.class);

    withRules(Map.of("provisionedConcurrencyReadySeconds", 600), () -> {
      var put = lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live").provisionedConcurrentExecutions(2));
      assertThat(put.sdkHttpResponse().statusCode()).isEqualTo(202);
      assertThat(put.statusAsString()).isEqualTo("IN_PROGRESS");
      assertThat(put.allocatedProvisionedConcurrentExecutions()).isZero();
      // Weighted: refused, and what was asked stays.
      lambda.updateAlias(r -> r.functionName(name).name("live").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1))));
      assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live").provisionedConcurrentExecutions(3)))
          .satisfies(e -> assertAwsError(e, 400, "InvalidParameterValueException", "Alias with weights can not be used with Provisioned Concurrency"));
      assertThat(lambda.getProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live")).requestedProvisionedConcurrentExecutions())
          .isEqualTo(2);
      assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("none").provisionedConcurrentExecutions(1)))
          .satisfies(e -> assertAwsError(e, 404, "ResourceNotFoundException", ":" + name + ":none"));
    });
    withRules(Map.of("provisionedConcurrencyReadySeconds", 0), () -> {
      var got = lambda.getProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live"));
      assertThat(got.statusAsString()).isEqualTo("READY");
      assertThat(got.allocatedProvisionedConcurrentExecutions()).isEqualTo(2);
    });
    lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live"));
    assertThatThrownBy(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName(name).qualifier("live")))
        .satisfies(e -> assertAwsError(e, 404, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config"));

    lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(0));
    assertThat(lambda.getFunction(r -> r.functionName(name)).concurrency().reservedConcurrentExecutions()).isZero();
    assertThat(motoLambda.getFunction(r -> r.functionName(name)).concurrency()).as("moto alone omits a reservation of 0").isNull();
    lambda.deleteAlias(r -> r.functionName(name).name("live"));
  }

  @Test
  @DisplayName("lambda-policy-size: a resource policy is at most 20 KB")
  void aResourcePolicyIsAtMost20Kb() {
    FunctionConfiguration viaMoto = createFunction(name("policy"));
    FunctionConfiguration fn = createFunction(name("policy"));
    String source = "arn:aws:elasticloadbalancing:" + world.awsRegion() + ":123456789012:targetgroup/" + "x".repeat(32) + "/";
    for (int i = 0; i < 100; i++) {
      int n = i;
      motoLambda.addPermission(r -> r.functionName(viaMoto.functionName()).statementId("s" + n).action("lambda:InvokeFunction")
          .principal("elasticloadbalancing.amazonaws.com").sourceArn(source + n));
    }
    assertThatThrownBy(() -> {
      for (int i = 0; i < 100; i++) {
        int n = i;
        lambda.addPermission(r -> r.functionName(fn.functionName()).statementId("s" + n).action("lambda:InvokeFunction")
            .principal("elasticloadbalancing.amazonaws.com").sourceArn(source + n));
      }
    }).satisfies(e -> assertAwsError(e, 400, "PolicyLengthExceededException", "is bigger than the limit (20480)"));
  }

  @Test
  @DisplayName("lambda-image-not-found-is-invalid-parameter: an image ECR does not have is an invalid parameter")
  void anImageEcrDoesNotHaveIsAnInvalidParameter() {
    withRules(Map.of("imageNotFoundAsInvalidParameter", 1), () -> {
        String uri = repositoryUri() + ":" + name("missing");
        assertThatThrownBy(() -> motoLambda.createFunction(r -> r.functionName(name("img")).packageType(PackageType.IMAGE)
            .role(net.roleArn()).code(c -> c.imageUri(uri))))
            .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo("ImageNotFoundException"));
        assertThatThrownBy(() -> lambda.createFunction(r -> r.functionName(name("img")).packageType(PackageType.IMAGE)
            .role(net.roleArn()).code(c -> c.imageUri(uri))))
            .satisfies(e -> assertAwsError(e, 400, "InvalidParameterValueException", "Source image " + uri + " does not exist"));
    });
  }

  @Test
  @DisplayName("lambda-update-failed-image-deleted: an update of a function whose image left ECR ends Failed, the configuration kept")
  void anUpdateOfAFunctionWhoseImageLeftEcrFails() {
    String digest = net.pushImage(name("gone"));
    String name = name("imagegone");
    lambda.createFunction(r -> r.functionName(name).packageType(PackageType.IMAGE).role(net.roleArn())
        .code(c -> c.imageUri(repositoryUri() + "@" + digest)).timeout(3));
    awaitState(name, State.ACTIVE);
    try (var ecr = software.amazon.awssdk.services.ecr.EcrClient.create()) {
      ecr.batchDeleteImage(r -> r.repositoryName(net.repository()).imageIds(i -> i.imageDigest(digest)));
    }
    motoLambda.updateFunctionConfiguration(r -> r.functionName(name).timeout(4));
    assertThat(motoLambda.getFunctionConfiguration(r -> r.functionName(name)).timeout()).as("moto applies it").isEqualTo(4);

    lambda.updateFunctionConfiguration(r -> r.functionName(name).timeout(30));
    waitFor(() -> lambda.getFunctionConfiguration(r -> r.functionName(name)).lastUpdateStatus() == LastUpdateStatus.FAILED);
    var failed = lambda.getFunctionConfiguration(r -> r.functionName(name));
    assertThat(failed.lastUpdateStatusReasonCodeAsString()).isEqualTo("ImageDeleted");
    assertThat(failed.lastUpdateStatusReason()).isEqualTo("The function is trying to use a deleted image.");
    assertThat(failed.timeout()).as("the previous configuration kept").isEqualTo(4);
  }

  @Test
  @DisplayName("lambda-answers-as-recorded and lambda-list-has-no-state: AWS's codes and messages; no state in lists")
  void lambdaAnswersAsRecorded() {
    FunctionConfiguration fn = createFunction(name("recorded"));
    motoLambda.addPermission(r -> r.functionName(fn.functionName()).qualifier("$LATEST").statementId("moto").action("lambda:InvokeFunction")
        .principal("elasticloadbalancing.amazonaws.com"));
    assertThatThrownBy(() -> lambda.addPermission(r -> r.functionName(fn.functionName()).qualifier("$LATEST").statementId("s")
        .action("lambda:InvokeFunction").principal("elasticloadbalancing.amazonaws.com")))
        .satisfies(e -> assertAwsError(e, 400, "InvalidParameterValueException", "We currently do not support adding policies for $LATEST."));
    assertThat(motoLambda.listVersionsByFunction(r -> r.functionName(fn.functionName())).versions().get(0).stateAsString()).isNotNull();
    assertThat(lambda.listVersionsByFunction(r -> r.functionName(fn.functionName())).versions().get(0).stateAsString()).isNull();
  }

  /** Runs body with the layer's knobs set so, and sets them back to what they were (some are on by default). */
  private static void withRules(Map<String, Number> knobs, Runnable body) {
    Map<String, Number> before = world.awsRuleKnobs(knobs.keySet());
    world.setAwsRules(knobs);
    try {
      body.run();
    } finally {
      world.setAwsRules(before);
    }
  }

  @Test
  @DisplayName("elb-answers-as-recorded: a target group in use is named as AWS names it")
  void aTargetGroupInUseIsNamedAsAwsNamesIt() {
    String nlb = nlb("inuse");
    String group = albTargetGroup();
    elb.createListener(r -> r.loadBalancerArn(nlb).protocol(ProtocolEnum.TCP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)));
    assertThatThrownBy(() -> motoElb.deleteTargetGroup(r -> r.targetGroupArn(group)))
        .satisfies(e -> assertAwsError(e, 400, "ResourceInUse", "The target group '" + group + "'"));
    assertThatThrownBy(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(group)))
        .satisfies(e -> assertAwsError(e, 400, "ResourceInUse", "Target group '" + group + "' is currently in use by a listener or a rule"));
  }

  @Test
  @DisplayName("lambda-publish-code-sha: PublishVersion publishes only the CodeSha256 it was given")
  void publishVersionPublishesOnlyTheCodeItWasGiven() {
    withRules(Map.of("publishCodeShaGuard", 1), () -> {
      FunctionConfiguration fn = createFunction(name("sha"));
      awaitState(fn.functionName(), State.ACTIVE);
      String stale = "0".repeat(64);
      motoLambda.publishVersion(r -> r.functionName(fn.functionName()).codeSha256(stale));
      lambda.updateFunctionConfiguration(r -> r.functionName(fn.functionName()).description("two"));
      waitFor(() -> lambda.getFunctionConfiguration(r -> r.functionName(fn.functionName())).lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL);
      assertThatThrownBy(() -> lambda.publishVersion(r -> r.functionName(fn.functionName()).codeSha256(stale)))
          .satisfies(e -> assertAwsError(e, 400, "InvalidParameterValueException", "is different from current CodeSHA256 in $LATEST"));
      String current = lambda.getFunctionConfiguration(r -> r.functionName(fn.functionName())).codeSha256();
      lambda.publishVersion(r -> r.functionName(fn.functionName()).codeSha256(current));
    });
  }

  private static String targetState(String group) {
    return elb.describeTargetHealth(r -> r.targetGroupArn(group)).targetHealthDescriptions().get(0).targetHealth().stateAsString();
  }

  private static String albWithListener(String prefix) {
    String alb = elb.createLoadBalancer(r -> r.name(name(prefix)).type(LoadBalancerTypeEnum.APPLICATION)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets().get("a"), net.subnets().get("b"))).loadBalancers().get(0)
        .loadBalancerArn();
    elb.createListener(r -> r.loadBalancerArn(alb).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("404"))));
    return alb;
  }

  private static String albTargetGroup() {
    return elb.createTargetGroup(r -> r.name(name("tg")).targetType(TargetTypeEnum.ALB).protocol(ProtocolEnum.TCP)
        .port(80).vpcId(net.vpcId())).targetGroups().get(0).targetGroupArn();
  }

  // --- helpers ---

  private static FunctionConfiguration createFunction(String name) {
    var created = lambda.createFunction(r -> r.functionName(name).packageType(PackageType.IMAGE).role(net.roleArn())
        .code(c -> c.imageUri(repositoryUri() + ":latest")));
    return FunctionConfiguration.builder().functionName(created.functionName()).functionArn(created.functionArn())
        .state(created.state()).build();
  }

  @Test
  @DisplayName("elb-nlb-in-use-by-endpoint-service: an NLB an endpoint service uses cannot be deleted, also while the service is Deleting")
  void anNlbUsedByAnEndpointServiceCannotBeDeleted() {
    String motoNlb = nlb("inuse");
    endpointService(motoEc2, motoNlb, false, null);
    motoElb.deleteLoadBalancer(r -> r.loadBalancerArn(motoNlb));

    String nlb = nlb("inuse");
    ServiceConfiguration service = endpointService(ec2, nlb, false, null);
    assertThatThrownBy(() -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb)))
        .satisfies(e -> assertAwsError(e, 400, "ResourceInUse", "currently associated with another service"));

    world.setAwsRules(Map.of("endpointServiceDeletingSeconds", 3));
    try {
      assertThat(ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(service.serviceId())).unsuccessful()).isEmpty();
      assertThat(ec2.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(service.serviceId())).serviceConfigurations().get(0)
          .serviceStateAsString()).isEqualTo("Deleting");
      assertThatThrownBy(() -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb))).as("in use while the service is Deleting")
          .satisfies(e -> assertAwsError(e, 400, "ResourceInUse", ""));
    } finally {
      world.setAwsRules(Map.of("endpointServiceDeletingSeconds", 1));
    }
    waitFor(() -> ec2.describeVpcEndpointServiceConfigurationsPaginator().serviceConfigurations().stream()
        .noneMatch(s -> s.serviceId().equals(service.serviceId())));
    elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb));
  }

  @Test
  @DisplayName("ec2-endpoint-connections: an allowed consumer's endpoint is a pendingAcceptance connection (AWS's spelling); accept, reject, describe")
  void endpointConnectionsAreRequestedAcceptedAndRejected() {
    ServiceConfiguration service = endpointService(ec2, nlb("conn"), true, null);
    ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId()).addAllowedPrincipals("arn:aws:iam::111122223333:root"));
    try (ConsumerAccount allowed = ConsumerAccount.of("111122223333", world.awsEndpoint());
        ConsumerAccount other = ConsumerAccount.of("444455556666", world.awsEndpoint());
        ConsumerAccount otherViaMoto = ConsumerAccount.of("444455556666", world.motoEndpoint())) {
      String endpoint = allowed.connect(service.serviceName()).vpcEndpointId();
      assertThat(allowed.state(endpoint)).isEqualTo("pendingAcceptance");
      otherViaMoto.connect(service.serviceName());
      assertThatThrownBy(() -> other.connect(service.serviceName())).as("moto alone lets any account connect; AWS only allowed principals")
          .satisfies(e -> assertAwsError(e, 400, "InvalidServiceName", "does not exist"));

      assertThat(connections(service.serviceId())).singleElement().satisfies(c -> {
        assertThat(c.vpcEndpointId()).isEqualTo(endpoint);
        assertThat(c.vpcEndpointOwner()).isEqualTo("111122223333");
        // As the AWS CLI's recorded example of describe-vpc-endpoint-connections spells it (not the SDK enum's PendingAcceptance).
        assertThat(c.vpcEndpointStateAsString()).isEqualTo("pendingAcceptance");
      });
      assertThatThrownBy(() -> motoEc2.describeVpcEndpointConnections(r -> r.filters(f -> f.name("service-id").values(service.serviceId()))))
          .as("moto alone has no endpoint connections").isInstanceOf(AwsServiceException.class);

      assertThat(ec2.acceptVpcEndpointConnections(r -> r.serviceId(service.serviceId()).vpcEndpointIds(endpoint)).unsuccessful()).isEmpty();
      assertThat(allowed.state(endpoint)).isEqualTo("available");
      assertThat(ec2.acceptVpcEndpointConnections(r -> r.serviceId(service.serviceId()).vpcEndpointIds(endpoint)).unsuccessful())
          .as("only a pending connection can be accepted").extracting(u -> u.error().code()).containsExactly("InvalidState");
      assertThat(ec2.rejectVpcEndpointConnections(r -> r.serviceId(service.serviceId()).vpcEndpointIds(endpoint)).unsuccessful()).isEmpty();
      assertThat(allowed.state(endpoint)).isEqualTo("rejected");
      assertThat(connections(service.serviceId())).extracting(VpcEndpointConnection::vpcEndpointStateAsString).containsExactly("rejected");
    }
  }

  @Test
  @DisplayName("ec2-endpoint-service-delete-needs-no-connections: a service with available or pendingAcceptance connections stays")
  void aServiceWithConnectionsCannotBeDeleted() {
    ServiceConfiguration viaMoto = endpointService(ec2, nlb("del"), false, null);
    ServiceConfiguration service = endpointService(ec2, nlb("del"), false, null);
    try (ConsumerAccount consumer = ConsumerAccount.of("111122223333", world.awsEndpoint())) {
      for (ServiceConfiguration s : new ServiceConfiguration[] {viaMoto, service}) {
        ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId()).addAllowedPrincipals("arn:aws:iam::111122223333:root"));
      }
      consumer.connect(viaMoto.serviceName());
      String endpoint = consumer.connect(service.serviceName()).vpcEndpointId();
      assertThat(consumer.state(endpoint)).as("no acceptance required").isEqualTo("available");

      assertThat(motoEc2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(viaMoto.serviceId())).unsuccessful())
          .as("moto alone deletes a service whatever is connected").isEmpty();
      assertThat(ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(service.serviceId())).unsuccessful())
          .singleElement().satisfies(u -> {
            assertThat(u.resourceId()).isEqualTo(service.serviceId());
            assertThat(u.error().code()).isEqualTo("ExistingVpcEndpointConnections");
          });
      assertThat(ec2.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(service.serviceId())).serviceConfigurations()).hasSize(1);

      ec2.rejectVpcEndpointConnections(r -> r.serviceId(service.serviceId()).vpcEndpointIds(endpoint));
      assertThat(ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(service.serviceId())).unsuccessful())
          .extracting(UnsuccessfulItem::resourceId).isEmpty();
    }
  }

  @Test
  @DisplayName("ec2-private-dns-verification: a private DNS name starts pendingVerification with a TXT record to publish")
  void aPrivateDnsNameAwaitsVerification() {
    ServiceConfiguration service = endpointService(ec2, nlb("dns"), true, "api.example.com");

    assertThat(motoEc2.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(service.serviceId())).serviceConfigurations().get(0)
        .privateDnsNameConfiguration().stateAsString()).as("moto alone").isEqualTo("verified");
    var first = service.privateDnsNameConfiguration();
    assertThat(first.stateAsString()).isEqualTo("pendingVerification");
    assertThat(first.type()).isEqualTo("TXT");
    assertThat(first.name()).startsWith("_");
    assertThat(first.value()).startsWith("vpce:");
    assertThat(describe(service.serviceId()).privateDnsNameConfiguration()).isEqualTo(first);

    ec2.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(service.serviceId()).privateDnsName("b.example.com"));
    var second = describe(service.serviceId()).privateDnsNameConfiguration();
    assertThat(second.stateAsString()).isEqualTo("pendingVerification");
    assertThat(second.value()).as("a new name, a new record").isNotEqualTo(first.value());

    ec2.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(service.serviceId()).removePrivateDnsName(true));
    assertThat(describe(service.serviceId()).privateDnsName()).isNull();
    assertThat(describe(service.serviceId()).privateDnsNameConfiguration()).isNull();
  }

  private static String nlb(String prefix) {
    return elb.createLoadBalancer(r -> r.name(name(prefix)).type(LoadBalancerTypeEnum.NETWORK)
        .scheme(LoadBalancerSchemeEnum.INTERNAL).subnetMappings(m -> m.subnetId(net.subnets().get("a"))))
        .loadBalancers().get(0).loadBalancerArn();
  }

  private static ServiceConfiguration endpointService(Ec2Client client, String nlbArn, boolean acceptanceRequired, String privateDnsName) {
    return client.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn).acceptanceRequired(acceptanceRequired)
        .privateDnsName(privateDnsName)).serviceConfiguration();
  }

  private static ServiceConfiguration describe(String serviceId) {
    return ec2.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(serviceId)).serviceConfigurations().get(0);
  }

  private static java.util.List<VpcEndpointConnection> connections(String serviceId) {
    return ec2.describeVpcEndpointConnections(r -> r.filters(f -> f.name("service-id").values(serviceId))).vpcEndpointConnections();
  }

  private static String repositoryUri() {
    try (var ecr = software.amazon.awssdk.services.ecr.EcrClient.create()) {
      return ecr.describeRepositories(r -> r.repositoryNames(net.repository())).repositories().get(0).repositoryUri();
    }
  }

  private static String lambdaTargetGroup() {
    return elb.createTargetGroup(r -> r.name(name("tg")).targetType(TargetTypeEnum.LAMBDA))
        .targetGroups().get(0).targetGroupArn();
  }

  private static void awaitState(String function, State state) {
    waitFor(() -> lambda.getFunction(r -> r.functionName(function)).configuration().state() == state);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s");
      }
      OperatorHarness.sleep(200);
    }
  }

  @Test
  @DisplayName("ec2-not-found-names-the-missing-id: DescribeSubnets and DescribeSecurityGroups name the id that does not exist")
  void notFoundNamesTheIdThatDoesNotExist() {
    List<String> subnets = List.copyOf(net.subnets().values());
    // moto alone names whichever asked id a Python set yields first: an existing one with probability 5/6 each
    // time, so over eight requests (another missing id each) it names an existing subnet at least once.
    List<String> motoNamed = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String missing = String.format("subnet-%013ddead", i);
      List<String> ids = new java.util.ArrayList<>(subnets);
      ids.add(2, missing);
      assertThatThrownBy(() -> ec2.describeSubnets(r -> r.subnetIds(ids)))
          .satisfies(e -> assertAwsError(e, 400, "InvalidSubnetID.NotFound", "The subnet ID '" + missing + "' does not exist"));
      assertThatThrownBy(() -> motoEc2.describeSubnets(r -> r.subnetIds(ids)))
          .satisfies(e -> motoNamed.add(((AwsServiceException) e).awsErrorDetails().errorMessage()));
    }
    assertThat(motoNamed).as("what moto alone named").anySatisfy(m -> assertThat(subnets).anySatisfy(s -> assertThat(m).contains(s)));
    assertThatThrownBy(() -> ec2.describeSecurityGroups(r -> r.groupIds(net.albSecurityGroup(), "sg-0000000000000dead")))
        .satisfies(e -> assertAwsError(e, 400, "InvalidGroup.NotFound", "The security group 'sg-0000000000000dead' does not exist"));
    assertThat(ec2.describeSubnets(r -> r.subnetIds(subnets)).subnets()).as("all of them existing: answered").hasSize(subnets.size());
  }

  private static void assertAwsError(Throwable e, int status, String code, String messagePart) {
    assertThat(e).isInstanceOf(AwsServiceException.class);
    AwsServiceException ase = (AwsServiceException) e;
    assertThat(ase.statusCode()).isEqualTo(status);
    assertThat(ase.awsErrorDetails().errorCode()).isEqualTo(code);
    assertThat(ase.awsErrorDetails().errorMessage()).contains(messagePart);
  }
}
