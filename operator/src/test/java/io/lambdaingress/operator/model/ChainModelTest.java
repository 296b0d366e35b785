package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.api.DeletionPolicy;
import io.lambdaingress.operator.api.LambdaIngress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

class ChainModelTest {

  static final String ARTICLE = """
      apiVersion: lambdaingress.io/v1alpha1
      kind: LambdaIngress
      metadata: {name: sample, namespace: default}
      spec:
        nlb:
          scheme: internal
          crossZoneLoadBalancing: true
          subnetMappings: [{subnetId: subnet-0a1b2c3d4e5f60718, privateIPv4Address: 10.20.0.10}]
          listener: {port: 80}
          healthCheck: {path: /healthz}
        alb:
          scheme: internal
          subnets: [subnet-0b1b2c3d4e5f60718, subnet-0c1b2c3d4e5f60718]
          securityGroups: [sg-0123456789abcdef0]
          listener: {port: 8080}
        lambda:
          function:
            name: sample
            image: {repository: sample, tag: latest}
            roleArn: arn:aws:iam::123456789012:role/sample-lambda
            timeoutSeconds: 30
            memoryMiB: 512
            environment: {ENV: hoge}
            vpc: {subnetIds: [subnet-0d1b2c3d4e5f60718], securityGroupIds: [sg-0456789abcdef0123]}
          multiValueHeaders: true
        tags: {team: payments}
      """;

  static LambdaIngress parse(String yaml) {
    return Serialization.unmarshal(yaml, LambdaIngress.class);
  }

  @Test
  void theArticleStackBecomesTheChain() {
    ChainModel m = ChainModel.of(parse(ARTICLE), "prod", "vpc-1");

    assertThat(m.ownerTags()).containsOnly(Map.entry("lambdaingress.io/cluster", "prod"),
        Map.entry("lambdaingress.io/namespace", "default"), Map.entry("lambdaingress.io/name", "sample"));
    assertThat(m.nlb().loadBalancer().typeAsString()).isEqualTo("network");
    assertThat(m.nlb().loadBalancer().schemeAsString()).isEqualTo("internal");
    assertThat(m.nlb().loadBalancer().subnetMappings()).singleElement()
        .satisfies(s -> assertThat(s.privateIPv4Address()).isEqualTo("10.20.0.10"));
    assertThat(m.nlb().attributes()).containsEntry("load_balancing.cross_zone.enabled", "true");
    assertThat(m.nlb().listenerPort()).isEqualTo(80);

    // The NLB's target group points at the ALB's listener port, and health-checks through it.
    var atg = m.nlb().albTargetGroup();
    assertThat(atg.targetTypeAsString()).isEqualTo("alb");
    assertThat(atg.protocolAsString()).isEqualTo("TCP");
    assertThat(atg.port()).isEqualTo(8080);
    assertThat(atg.vpcId()).isEqualTo("vpc-1");
    assertThat(atg.healthCheckProtocolAsString()).isEqualTo("HTTP");
    assertThat(atg.healthCheckPath()).isEqualTo("/healthz");
    assertThat(atg.healthCheckPort()).isEqualTo("8080");

    assertThat(m.alb().loadBalancer().typeAsString()).isEqualTo("application");
    assertThat(m.alb().listenerPort()).isEqualTo(8080);
    assertThat(m.alb().lambdaTargetGroup().targetTypeAsString()).isEqualTo("lambda");
    assertThat(m.alb().lambdaTargetGroupAttributes()).containsEntry("lambda.multi_value_headers.enabled", "true");

    var fn = m.function().orElseThrow();
    assertThat(fn.name()).isEqualTo("sample");
    assertThat(fn.image()).isEqualTo(ImageRef.tagged("sample", "latest"));
    var request = fn.request("123456789012.dkr.ecr.us-east-1.amazonaws.com/sample@sha256:" + "a".repeat(64));
    assertThat(request.code().imageUri()).endsWith("@sha256:" + "a".repeat(64));
    assertThat(request.environment().variables()).containsOnly(Map.entry("ENV", "hoge"), Map.entry("LAMBDA_INGRESS_HEALTH_PATH", "/healthz"));
    assertThat(request.vpcConfig().subnetIds()).containsExactly("subnet-0d1b2c3d4e5f60718");
    assertThat(request.tags()).containsEntry("team", "payments").containsEntry("lambdaingress.io/name", "sample");
    assertThat(m.deletionPolicy()).isEqualTo(DeletionPolicy.Delete);
    assertThat(m.permissionStatementId()).isEqualTo(m.names().permissionStatementId());
  }

  @Test
  void defaultsApplyWhenOptionalFieldsAreAbsent() {
    String minimal = ARTICLE.replace("    scheme: internal\n", "").replace("    crossZoneLoadBalancing: true\n", "")
        .replace("    healthCheck: {path: /healthz}\n", "").replace("      name: sample\n", "")
        .replace("      timeoutSeconds: 30\n", "").replace("      memoryMiB: 512\n", "").replace("    multiValueHeaders: true\n", "");
    ChainModel m = ChainModel.of(parse(minimal), "prod", "vpc-1");

    assertThat(m.nlb().loadBalancer().schemeAsString()).isEqualTo("internal");
    assertThat(m.nlb().attributes()).containsEntry("load_balancing.cross_zone.enabled", "true");
    assertThat(m.nlb().albTargetGroup().healthCheckPath()).isEqualTo("/healthz");
    assertThat(m.alb().lambdaTargetGroupAttributes()).containsEntry("lambda.multi_value_headers.enabled", "false");
    var fn = m.function().orElseThrow();
    assertThat(fn.name()).isEqualTo(m.names().function());
    assertThat(fn.template().timeout()).isEqualTo(30);
    assertThat(fn.template().memorySize()).isEqualTo(512);
  }

  @Test
  void ownerTagsWinOverSpecTags() {
    ChainModel m = ChainModel.of(parse(ARTICLE.replace("tags: {team: payments}", "tags: {lambdaingress.io/name: forged, team: x}")),
        "prod", "vpc-1");
    assertThat(m.nlb().loadBalancer().tags()).contains(Tag.builder().key("lambdaingress.io/name").value("sample").build())
        .doesNotContain(Tag.builder().key("lambdaingress.io/name").value("forged").build());
  }

  @Test
  void anExistingFunctionIsReferencedNotManaged() {
    int start = ARTICLE.indexOf("    function:\n");
    int end = ARTICLE.indexOf("    multiValueHeaders:");
    String existing = ARTICLE.substring(0, start) + "    functionArn: arn:aws:lambda:us-east-1:123456789012:function:existing\n"
        + ARTICLE.substring(end);
    ChainModel m = ChainModel.of(parse(existing), "prod", "vpc-1");
    assertThat(m.function()).isEmpty();
    assertThat(m.existingFunctionArn()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:existing");
  }

  @Test
  void aWebAclOfAnotherRegionIsNamedByItsRegion() {
    String acl = "arn:aws:wafv2:%s:123456789012:regional/webacl/api/0f6a1c3e-1d2b-4c5a-9e8f-7a6b5c4d3e2f";
    assertThat(ChainModel.of(parse(ARTICLE), "prod", "vpc-1").alb().webAclArn()).isEmpty();
    ChainModel here = ChainModel.of(parse(ARTICLE.replace("listener: {port: 8080}\n", "listener: {port: 8080}\n    webAclArn: "
        + acl.formatted("us-east-1") + "\n")), "prod", "vpc-1");
    assertThat(here.alb().webAclArn()).contains(acl.formatted("us-east-1"));
    assertThat(here.alb().webAclOutside("us-east-1")).isEmpty();
    assertThat(here.alb().webAclOutside("eu-west-1")).contains("us-east-1");
    // The second ALB side (a replacement) keeps it.
    assertThat(here.inSlot(AlbSlot.SECOND).alb().webAclArn()).isEqualTo(here.alb().webAclArn());
  }

  @Test
  void httpsAddsAnAlbTargetGroupOnItsPortAndRedirectChecksThroughHttps() {
    String certs = "[arn:aws:acm:us-east-1:123456789012:certificate/a, arn:aws:acm:us-west-2:123456789012:certificate/b]";
    ChainModel plain = ChainModel.of(parse(ARTICLE), "prod", "vpc-1");
    assertThat(plain.alb().https()).isEmpty();
    assertThat(plain.nlb().httpsAlbTargetGroup()).isEmpty();
    assertThat(plain.alb().httpServes()).isTrue();

    ChainModel m = ChainModel.of(parse(ARTICLE.replace("listener: {port: 8080}\n", "listener: {port: 8080}\n    https: {certificateArns: "
        + certs + ", redirectHttp: true}\n")), "prod", "vpc-1");
    ChainModel.Https https = m.alb().https().orElseThrow();
    assertThat(https.port()).isEqualTo(443);
    assertThat(https.sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
    assertThat(https.defaultCertificate()).endsWith("certificate/a");
    assertThat(https.sniCertificates()).singleElement().asString().endsWith("certificate/b");
    assertThat(https.outside("us-east-1")).singleElement().asString().contains(":us-west-2:");
    assertThat(m.alb().httpServes()).isFalse();
    var group = m.nlb().httpsAlbTargetGroup().orElseThrow();
    assertThat(group.name()).isEqualTo(m.names().albHttpsTargetGroup()).endsWith("-ath");
    assertThat(group.targetTypeAsString()).isEqualTo("alb");
    assertThat(group.port()).isEqualTo(443);
    assertThat(group.healthCheckProtocolAsString()).isEqualTo("HTTPS");
    assertThat(group.healthCheckPort()).isEqualTo("443");
    // The HTTP listener only redirects: its group's check goes through HTTPS too, so that it reaches the function.
    assertThat(m.nlb().albTargetGroup().port()).isEqualTo(8080);
    assertThat(m.nlb().albTargetGroup().healthCheckProtocolAsString()).isEqualTo("HTTPS");
    assertThat(m.nlb().albTargetGroup().healthCheckPort()).isEqualTo("443");
    // The second ALB side has its own group of the HTTPS port.
    assertThat(m.inSlot(AlbSlot.SECOND).nlb().httpsAlbTargetGroup().orElseThrow().name()).endsWith("-ah2");
    assertThat(m.nlb().albTargetGroupNames(m.names())).containsExactly(m.names().albTargetGroup(), m.names().albHttpsTargetGroup());
  }

  @Test
  void attributesAreManagedWhenSetAndDeletionProtectionIsFalseUnlessAsked() {
    ChainModel plain = ChainModel.of(parse(ARTICLE), "prod", "vpc-1");
    assertThat(plain.alb().attributes()).as("no spec.alb.attributes: nothing managed, nothing read").isEmpty();
    assertThat(plain.nlb().attributes()).containsOnly(Map.entry("load_balancing.cross_zone.enabled", "true"),
        Map.entry("deletion_protection.enabled", "false"));

    ChainModel m = ChainModel.of(parse(ARTICLE.replace("listener: {port: 8080}\n", "listener: {port: 8080}\n"
        + "    attributes: {idleTimeoutSeconds: 120, extra: {routing.http2.enabled: \"false\"}}\n")
        .replace("healthCheck: {path: /healthz}\n", "healthCheck: {path: /healthz}\n    attributes: {deletionProtection: true}\n")),
        "prod", "vpc-1");
    assertThat(m.alb().attributes()).containsOnly(Map.entry("idle_timeout.timeout_seconds", "120"),
        Map.entry("routing.http2.enabled", "false"), Map.entry("deletion_protection.enabled", "false"),
        Map.entry("access_logs.s3.enabled", "false"));
    assertThat(m.nlb().attributes()).containsEntry("deletion_protection.enabled", "true").doesNotContainKey("access_logs.s3.enabled");
    assertThat(m.inSlot(AlbSlot.SECOND).alb().attributes()).isEqualTo(m.alb().attributes());
  }

  @Test
  void accessLogsAreTurnedOnToTheBucketAndPrefixAskedAndOffWhenOmitted() {
    ChainModel logged = ChainModel.of(parse(ARTICLE.replace("listener: {port: 8080}\n", "listener: {port: 8080}\n"
        + "    attributes: {accessLogs: {bucket: my-logs, prefix: prod/api}}\n")), "prod", "vpc-1");
    assertThat(logged.alb().attributes()).contains(Map.entry("access_logs.s3.enabled", "true"),
        Map.entry("access_logs.s3.bucket", "my-logs"), Map.entry("access_logs.s3.prefix", "prod/api"));

    ChainModel root = ChainModel.of(parse(ARTICLE.replace("listener: {port: 8080}\n", "listener: {port: 8080}\n"
        + "    attributes: {accessLogs: {bucket: my-logs}}\n")), "prod", "vpc-1");
    assertThat(root.alb().attributes()).as("no prefix: the bucket's root").containsEntry("access_logs.s3.prefix", "");

    ChainModel off = ChainModel.of(parse(ARTICLE.replace("listener: {port: 8080}\n", "listener: {port: 8080}\n"
        + "    attributes: {idleTimeoutSeconds: 60}\n")), "prod", "vpc-1");
    assertThat(off.alb().attributes()).as("omitted: off, the bucket AWS had left alone").containsEntry("access_logs.s3.enabled", "false")
        .doesNotContainKeys("access_logs.s3.bucket", "access_logs.s3.prefix");
  }
}
