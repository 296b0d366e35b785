package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;

/**
 * The article's stack end to end: one LambdaIngress applied to the real API server, the operator running,
 * and every property of the chain read back from moto with the AWS SDK.
 */
// Among the longest classes: started early, after the crash table (see ChartOnNodeIT).
@Order(2)
@WithLocalWorld
class LambdaIngressIT {

  // Short, so that drift repair and image rolls are seen within a test; production default is 60 s.
  private static final Duration RESYNC = Duration.ofSeconds(4);
  private static final Duration READY = Duration.ofSeconds(60);

  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static String region;
  // 10.20.0.10 is the article stack's own static IP (articleStackBecomesReady...); the others take the next ones.
  private static int nextIp = 11;
  private static java.nio.file.Path kubeconfig;

  @BeforeAll
  static void start(LocalWorld world) {
    kubeconfig = world.kubeconfig();
    operator = OperatorHarness.start(world, RESYNC, 2);
    pre = ArticlePrerequisites.create(world.awsRegion());
    region = world.awsRegion();
    elb = ElasticLoadBalancingV2Client.create();
    lambda = LambdaClient.create();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    elb.close();
    lambda.close();
  }

  /** The article's stack for this test: its own name, and its own static IP (AWS refuses a taken one). */
  private static String stack(String namespace, String name) {
    return pre.articleStack(namespace, name).replace("10.20.0.10", "10.20.0." + (nextIp++));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("status");
  }

  @SuppressWarnings("unchecked")
  private static String statusField(GenericKubernetesResource r, String piece, String field) {
    return (String) ((Map<String, Object>) status(r).get(piece)).get(field);
  }

  /** kubectl's output, as a person at a terminal sees it (the kubectl on PATH, as .ci/run requires). */
  private static String kubectl(String... args) {
    try {
      List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("kubectl " + String.join(" ", args) + ":\n" + out).isZero();
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static LoadBalancer loadBalancer(String arn) {
    return elb.describeLoadBalancers(q -> q.loadBalancerArns(arn)).loadBalancers().get(0);
  }

  private static TargetGroup targetGroup(String arn) {
    return elb.describeTargetGroups(q -> q.targetGroupArns(arn)).targetGroups().get(0);
  }

  private static Listener onlyListener(String lbArn) {
    List<Listener> listeners = elb.describeListeners(q -> q.loadBalancerArn(lbArn)).listeners();
    assertThat(listeners).hasSize(1);
    return listeners.get(0);
  }

  private static List<TargetDescription> targets(String tgArn) {
    return elb.describeTargetHealth(q -> q.targetGroupArn(tgArn)).targetHealthDescriptions().stream().map(d -> d.target()).toList();
  }

  private static Map<String, String> attributes(String lbArn) {
    return elb.describeLoadBalancerAttributes(q -> q.loadBalancerArn(lbArn)).attributes().stream()
        .collect(java.util.stream.Collectors.toMap(a -> a.key(), a -> a.value()));
  }

  @Test
  void articleStackBecomesReadyWithEveryPropertyOfTheChain() {
    String ns = operator.namespace(0);
    operator.apply(pre.articleStack(ns, "article"));
    GenericKubernetesResource li = operator.awaitReady(ns, "article", READY);

    assertThat(operator.readyCondition(ns, "article")).containsEntry("reason", "Reconciled");
    Map<String, String> owner = Map.of("lambdaingress.io/cluster", operator.clusterName(),
        "lambdaingress.io/namespace", ns, "lambdaingress.io/name", "article", "team", "payments");

    // NLB: internal, network, cross-zone, the static IP's subnet; TCP 80 -> the alb target group.
    LoadBalancer nlb = loadBalancer(statusField(li, "nlb", "arn"));
    assertThat(nlb.typeAsString()).isEqualTo("network");
    assertThat(nlb.schemeAsString()).isEqualTo("internal");
    assertThat(nlb.availabilityZones()).singleElement().satisfies(az -> {
      assertThat(az.subnetId()).isEqualTo(pre.subnets().get("a"));
      // The static IP, as AWS reports it (the AWS rules layer does; moto alone reports none).
      assertThat(az.loadBalancerAddresses()).extracting(a -> a.privateIPv4Address()).containsExactly("10.20.0.10");
    });
    assertThat(attributes(nlb.loadBalancerArn())).containsEntry("load_balancing.cross_zone.enabled", "true");
    assertThat(AwsInventory.tagsOf(elb, nlb.loadBalancerArn())).containsAllEntriesOf(owner);
    assertThat(status(li)).containsEntry("endpoint", nlb.dnsName());
    Listener nlbListener = onlyListener(nlb.loadBalancerArn());
    assertThat(nlbListener.protocolAsString()).isEqualTo("TCP");
    assertThat(nlbListener.port()).isEqualTo(80);
    assertThat(nlbListener.defaultActions().get(0).targetGroupArn()).isEqualTo(statusField(li, "nlb", "targetGroupArn"));

    // The NLB's target group: type alb, TCP 80, health checks over HTTP on /healthz through the ALB's listener.
    TargetGroup albTargets = targetGroup(statusField(li, "nlb", "targetGroupArn"));
    assertThat(albTargets.targetTypeAsString()).isEqualTo("alb");
    assertThat(albTargets.protocolAsString()).isEqualTo("TCP");
    assertThat(albTargets.port()).isEqualTo(80);
    assertThat(albTargets.vpcId()).isEqualTo(pre.vpcId());
    assertThat(albTargets.healthCheckProtocolAsString()).isEqualTo("HTTP");
    assertThat(albTargets.healthCheckPath()).isEqualTo("/healthz");
    assertThat(albTargets.healthCheckPort()).isIn("80", "traffic-port");
    assertThat(AwsInventory.tagsOf(elb, albTargets.targetGroupArn())).containsAllEntriesOf(owner);

    // ALB: internal, application, subnets b and c, its security group; HTTP 80 -> the lambda target group.
    LoadBalancer alb = loadBalancer(statusField(li, "alb", "arn"));
    assertThat(alb.typeAsString()).isEqualTo("application");
    assertThat(alb.schemeAsString()).isEqualTo("internal");
    assertThat(alb.availabilityZones()).extracting(az -> az.subnetId())
        .containsExactlyInAnyOrder(pre.subnets().get("b"), pre.subnets().get("c"));
    assertThat(alb.securityGroups()).containsExactly(pre.albSecurityGroup());
    assertThat(AwsInventory.tagsOf(elb, alb.loadBalancerArn())).containsAllEntriesOf(owner);
    assertThat(targets(albTargets.targetGroupArn())).singleElement().satisfies(t -> {
      assertThat(t.id()).isEqualTo(alb.loadBalancerArn());
      assertThat(t.port()).isEqualTo(80);
    });
    Listener albListener = onlyListener(alb.loadBalancerArn());
    assertThat(albListener.protocolAsString()).isEqualTo("HTTP");
    assertThat(albListener.port()).isEqualTo(80);
    String lambdaTargetsArn = statusField(li, "alb", "targetGroupArn");
    assertThat(albListener.defaultActions().get(0).targetGroupArn()).isEqualTo(lambdaTargetsArn);

    TargetGroup lambdaTargets = targetGroup(lambdaTargetsArn);
    assertThat(lambdaTargets.targetTypeAsString()).isEqualTo("lambda");
    assertThat(AwsInventory.tagsOf(elb, lambdaTargetsArn)).containsAllEntriesOf(owner);

    // The function: the image pinned by digest, the article's configuration, the health path, the VPC.
    String functionArn = statusField(li, "lambda", "functionArn");
    assertThat(targets(lambdaTargetsArn)).singleElement().satisfies(t -> assertThat(t.id()).isEqualTo(functionArn));
    GetFunctionResponse fn = lambda.getFunction(q -> q.functionName(functionArn));
    String digest = statusField(li, "lambda", "imageDigest");
    assertThat(digest).startsWith("sha256:");
    assertThat(fn.code().imageUri()).endsWith("/" + pre.repository() + "@" + digest);
    assertThat(fn.configuration().packageTypeAsString()).isEqualTo("Image");
    assertThat(fn.configuration().timeout()).isEqualTo(30);
    assertThat(fn.configuration().memorySize()).isEqualTo(512);
    assertThat(fn.configuration().role()).isEqualTo(pre.roleArn());
    assertThat(fn.configuration().environment().variables())
        .containsEntry("ENV", "hoge").containsEntry("LAMBDA_INGRESS_HEALTH_PATH", "/healthz");
    assertThat(fn.configuration().vpcConfig().subnetIds())
        .containsExactlyInAnyOrder(pre.subnets().get("d"), pre.subnets().get("e"));
    assertThat(fn.configuration().vpcConfig().securityGroupIds()).containsExactly(pre.lambdaSecurityGroup());
    assertThat(fn.tags()).containsAllEntriesOf(owner);

    // What kubectl describe shows: one Event per AWS write, on the object.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operator.client().v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "article".equals(e.getInvolvedObject().getName()) && "Created".equals(e.getReason()))
        .extracting(e -> e.getMessage().substring(0, e.getMessage().indexOf(' ')))
        .contains("NLB", "ALB", "function", "lambda", "alb"));
    // The invoke permission took a moment to reach ELB (AWS rules layer): the reason heals by itself, so
    // the user saw a Normal Event and never a Warning.
    assertThat(operator.client().v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "article".equals(e.getInvolvedObject().getName()))
        .noneMatch(e -> "Warning".equals(e.getType()))
        .anyMatch(e -> "Propagating".equals(e.getReason()) && "Normal".equals(e.getType()));

    // kubectl get li: the columns in their order, the Ready condition's status and reason, the endpoint; no routes and
    // no rollout leave ROUTES and CANARY empty.
    List<String> table = kubectl("get", "li", "article", "-n", ns).lines().toList();
    assertThat(table.get(0).split("\\s+")).containsExactly("NAME", "READY", "REASON", "ENDPOINT", "ROUTES", "CANARY", "AGE");
    assertThat(table.get(1).split("\\s+")).startsWith("article", "True", "Reconciled", nlb.dnsName());
    // The category finds the kind too.
    assertThat(kubectl("get", "lambda-ingress", "-n", ns)).contains("article");

    // The permission: ELB may invoke it, from the lambda target group only.
    String policy = lambda.getPolicy(q -> q.functionName(functionArn)).policy();
    String sid = statusField(li, "lambda", "permissionStatementId");
    assertThat(policy).contains("\"Sid\": \"" + sid + "\"").contains("elasticloadbalancing.amazonaws.com")
        .contains("lambda:InvokeFunction").contains(lambdaTargetsArn);
  }

  /** kubectl explain describes the kind itself and states the rules that refuse a value where the value is set. */
  @Test
  void kubectlExplainDescribesTheKindAndTheRulesOfItsFields() {
    assertThat(explain("li")).contains("A static-IP entry point for AWS Lambda functions.");
    assertThat(explain("li.spec.lambda.function.roleArn")).contains("allowedRoleArns").contains("/lambda-ingress/");
    assertThat(explain("li.spec.lambda.functionArn")).contains("allowedFunctionArns").contains("does not exist");
    assertThat(explain("li.spec.nlb.listener")).contains("1-65535");
  }

  /** kubectl explain's text with its line wrapping undone. */
  private static String explain(String field) {
    return kubectl("explain", field).replaceAll("\\s+", " ");
  }

  private static String ready(String ns, String name, String yaml) {
    operator.apply(yaml);
    operator.awaitReady(ns, name, READY);
    return yaml;
  }

  @Test
  void portHealthPathEnvironmentTagsAndAccessLogsChangeInPlace() {
    String ns = operator.namespace(0);
    String yaml = ready(ns, "inplace", stack(ns, "inplace"));
    GenericKubernetesResource before = operator.get(ns, "inplace");

    String changed = yaml.replace("    listener:\n      port: 80\n    healthCheck:", "    listener:\n      port: 8080\n    healthCheck:")
        .replace("path: /healthz", "path: /ping")
        .replace("ENV: hoge", "ENV: fuga")
        .replace("team: payments", "owner: checkout");
    assertThat(changed).contains("port: 8080").contains("/ping").contains("fuga").contains("owner: checkout");
    operator.apply(changed);
    GenericKubernetesResource after = operator.awaitReady(ns, "inplace", READY);

    // Same resources, new settings.
    for (String[] piece : new String[][] {{"nlb", "arn"}, {"nlb", "listenerArn"}, {"nlb", "targetGroupArn"}, {"alb", "arn"}, {"lambda", "functionArn"}}) {
      assertThat(statusField(after, piece[0], piece[1])).as(piece[0] + "." + piece[1]).isEqualTo(statusField(before, piece[0], piece[1]));
    }
    assertThat(onlyListener(statusField(after, "nlb", "arn")).port()).isEqualTo(8080);
    assertThat(targetGroup(statusField(after, "nlb", "targetGroupArn")).healthCheckPath()).isEqualTo("/ping");
    var env = lambda.getFunction(q -> q.functionName(statusField(after, "lambda", "functionArn"))).configuration().environment().variables();
    assertThat(env).containsEntry("ENV", "fuga").containsEntry("LAMBDA_INGRESS_HEALTH_PATH", "/ping");
    assertThat(AwsInventory.tagsOf(elb, statusField(after, "alb", "arn"))).containsEntry("owner", "checkout").doesNotContainKey("team");
    assertThat(lambda.getFunction(q -> q.functionName(statusField(after, "lambda", "functionArn"))).tags())
        .containsEntry("owner", "checkout").doesNotContainKey("team");

    accessLogsRefusedUntilTheBucketPolicyLetsElbWriteThenChangedAndRemoved(ns, changed, statusField(after, "alb", "arn"));
  }

  /**
   * spec.alb.attributes.accessLogs on the converged stack: refused (InvalidSpec, naming the bucket and the statement its
   * policy lacks) while the bucket's policy does not let ELB write, the other attributes set meanwhile; Ready once the
   * statement of the message is in the policy; another bucket and prefix in place; removed, turned off.
   */
  private static void accessLogsRefusedUntilTheBucketPolicyLetsElbWriteThenChangedAndRemoved(String ns, String yaml, String albArn) {
    String bucket = LocalWorld.uniqueName("logs");
    String other = LocalWorld.uniqueName("logs");
    // Path-style: the world's endpoint is an address, not a domain a bucket name could go in front of.
    try (S3Client s3 = S3Client.builder().forcePathStyle(true).build()) {
      s3.createBucket(q -> q.bucket(bucket));
      s3.createBucket(q -> q.bucket(other));
      s3.putBucketPolicy(q -> q.bucket(other).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"logdelivery.elasticloadbalancing.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::"
          + other + "/*\"}]}"));
      String logged = yaml.replace("    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 80\n    attributes:\n"
          + "      idleTimeoutSeconds: 90\n      accessLogs: {bucket: " + bucket + ", prefix: api}\n  lambda:");
      assertThat(logged).contains("accessLogs");

      String message = operator.applyAndAwaitNotReady(logged, "InvalidSpec", READY, "spec.alb.attributes.accessLogs",
          "Access Denied for bucket: " + bucket + ".", "add this statement to the policy of bucket " + bucket + ": ");
      assertThat(attributes(albArn)).as("the other attributes are not held back by the bucket")
          .containsEntry("idle_timeout.timeout_seconds", "90").containsEntry("access_logs.s3.enabled", "false");
      String statement = message.substring(message.indexOf("add this statement to the policy of bucket " + bucket + ": ")
          + ("add this statement to the policy of bucket " + bucket + ": ").length());
      assertThat(statement).contains("AWSLogs/123456789012/*");
      s3.putBucketPolicy(q -> q.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}"));
      operator.awaitReady(ns, "inplace", READY);
      assertThat(attributes(albArn)).containsEntry("access_logs.s3.enabled", "true").containsEntry("access_logs.s3.bucket", bucket)
          .containsEntry("access_logs.s3.prefix", "api");

      operator.apply(logged.replace("{bucket: " + bucket + ", prefix: api}", "{bucket: " + other + ", prefix: edge/v2}"));
      operator.awaitReady(ns, "inplace", READY);
      assertThat(attributes(albArn)).containsEntry("access_logs.s3.enabled", "true").containsEntry("access_logs.s3.bucket", other)
          .containsEntry("access_logs.s3.prefix", "edge/v2");

      operator.apply(logged.replace("      accessLogs: {bucket: " + bucket + ", prefix: api}\n", ""));
      operator.awaitReady(ns, "inplace", READY);
      assertThat(attributes(albArn)).as("removed while spec.alb.attributes is there: off").containsEntry("access_logs.s3.enabled", "false")
          .containsEntry("idle_timeout.timeout_seconds", "90");
    }
  }

  private static List<Listener> listeners(String lbArn) {
    return elb.describeListeners(q -> q.loadBalancerArn(lbArn)).listeners();
  }

  private static Listener listenerOn(String lbArn, int port) {
    return listeners(lbArn).stream().filter(l -> l.port() == port).findFirst().orElseThrow();
  }

  private static List<String> sniCertificates(String listenerArn) {
    return elb.describeListenerCertificates(q -> q.listenerArn(listenerArn)).certificates().stream()
        .filter(c -> !Boolean.TRUE.equals(c.isDefault())).map(c -> c.certificateArn()).toList();
  }

  @Test
  void httpsOn443AndAWebAclAsAskedRedirectSniAndWebAclChangedInPlaceThenRemoved() {
    String ns = operator.namespace(1);
    String first = ArticlePrerequisites.issuedCertificate(region, "api.example.com");
    String second = ArticlePrerequisites.issuedCertificate(region, "api.example.org");
    String third = ArticlePrerequisites.issuedCertificate(region, "api.example.net");
    String acl;
    String otherAcl;
    try (Wafv2Client waf = Wafv2Client.create()) {
      acl = ArticlePrerequisites.webAcl(waf, LocalWorld.uniqueName("api-acl"));
      otherAcl = ArticlePrerequisites.webAcl(waf, LocalWorld.uniqueName("api-acl"));
    }
    String plain = stack(ns, "https");
    String https = plain.replace("    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 80\n    https:\n"
        + "      certificateArns: [" + first + ", " + second + "]\n      redirectHttp: true\n    webAclArn: " + acl + "\n  lambda:");
    assertThat(https).isNotEqualTo(plain);
    operator.apply(https);
    GenericKubernetesResource li = operator.awaitReady(ns, "https", READY);

    // NLB: TCP 80 -> the alb target group of port 80, TCP 443 -> the one of port 443; both check through HTTPS.
    String nlbArn = statusField(li, "nlb", "arn");
    assertThat(listeners(nlbArn)).extracting(l -> l.protocolAsString() + ":" + l.port()).containsExactlyInAnyOrder("TCP:80", "TCP:443");
    Listener nlb443 = listenerOn(nlbArn, 443);
    assertThat(nlb443.listenerArn()).isEqualTo(statusField(li, "nlb", "httpsListenerArn"));
    TargetGroup httpsGroup = targetGroup(statusField(li, "nlb", "httpsTargetGroupArn"));
    assertThat(nlb443.defaultActions().get(0).targetGroupArn()).isEqualTo(httpsGroup.targetGroupArn());
    assertThat(httpsGroup.targetTypeAsString()).isEqualTo("alb");
    assertThat(httpsGroup.protocolAsString()).isEqualTo("TCP");
    assertThat(httpsGroup.port()).isEqualTo(443);
    assertThat(httpsGroup.healthCheckProtocolAsString()).isEqualTo("HTTPS");
    assertThat(httpsGroup.healthCheckPort()).isEqualTo("443");
    assertThat(httpsGroup.healthCheckPath()).isEqualTo("/healthz");
    String albArn = statusField(li, "alb", "arn");
    assertThat(targets(httpsGroup.targetGroupArn())).singleElement().satisfies(t -> {
      assertThat(t.id()).isEqualTo(albArn);
      assertThat(t.port()).isEqualTo(443);
    });
    TargetGroup httpGroup = targetGroup(statusField(li, "nlb", "targetGroupArn"));
    assertThat(httpGroup.healthCheckProtocolAsString()).as("the HTTP listener only redirects").isEqualTo("HTTPS");
    assertThat(httpGroup.healthCheckPort()).isEqualTo("443");

    // ALB: HTTP 80 answers 301 to HTTPS 443; HTTPS 443 with the default policy and certificate, the second one for SNI.
    Listener redirect = listenerOn(albArn, 80);
    assertThat(redirect.defaultActions()).singleElement().satisfies(a -> {
      assertThat(a.typeAsString()).isEqualTo("redirect");
      assertThat(a.redirectConfig().protocol()).isEqualTo("HTTPS");
      assertThat(a.redirectConfig().port()).isEqualTo("443");
      assertThat(a.redirectConfig().statusCodeAsString()).isEqualTo("HTTP_301");
    });
    Listener albHttps = listenerOn(albArn, 443);
    assertThat(albHttps.listenerArn()).isEqualTo(statusField(li, "alb", "httpsListenerArn"));
    assertThat(albHttps.protocolAsString()).isEqualTo("HTTPS");
    assertThat(albHttps.sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06");
    assertThat(albHttps.certificates().get(0).certificateArn()).isEqualTo(first);
    assertThat(albHttps.defaultActions().get(0).targetGroupArn()).isEqualTo(statusField(li, "alb", "targetGroupArn"));
    assertThat(sniCertificates(albHttps.listenerArn())).containsExactly(second);
    // AWS WAF: the web ACL asked, associated with the ALB once WAF saw it (wafv2-unavailable-after-create).
    assertThat(webAclOf(albArn)).isEqualTo(acl);
    assertThat(statusField(li, "alb", "webAclArn")).isEqualTo(acl);

    // Another SNI certificate alone: the old one removed (RemoveListenerCertificates), the new one added. The policy
    // change below keeps it (ModifyListener replaces the default certificate only: elb-modify-listener-keeps-certificate-list).
    String sniChanged = https.replace(first + ", " + second + "]", first + ", " + third + "]");
    assertThat(sniChanged).isNotEqualTo(https);
    operator.apply(sniChanged);
    await().atMost(READY).untilAsserted(() -> assertThat(sniCertificates(albHttps.listenerArn())).containsExactly(third));
    operator.awaitReady(ns, "https", READY);

    // Changed in place: another policy, no redirect, another web ACL; the same listeners and groups.
    String changed = https.replace(first + ", " + second + "]\n      redirectHttp: true",
        first + ", " + third + "]\n      sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06").replace(acl, otherAcl);
    assertThat(changed).isNotEqualTo(https);
    operator.apply(changed);
    GenericKubernetesResource after = operator.awaitReady(ns, "https", READY);
    assertThat(sniCertificates(albHttps.listenerArn())).containsExactly(third);
    assertThat(listenerOn(albArn, 443).sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-3-2021-06");
    assertThat(listenerOn(albArn, 80).defaultActions().get(0).targetGroupArn()).isEqualTo(statusField(li, "alb", "targetGroupArn"));
    assertThat(targetGroup(httpGroup.targetGroupArn()).healthCheckProtocolAsString()).isEqualTo("HTTP");
    assertThat(statusField(after, "alb", "httpsListenerArn")).isEqualTo(albHttps.listenerArn());
    assertThat(statusField(after, "nlb", "httpsTargetGroupArn")).isEqualTo(httpsGroup.targetGroupArn());
    assertThat(webAclOf(albArn)).isEqualTo(otherAcl);
    assertThat(statusField(after, "alb", "webAclArn")).isEqualTo(otherAcl);

    // Removed: the NLB's listener of 443 and its group go, then the ALB's HTTPS listener; the web ACL is disassociated.
    operator.apply(plain);
    GenericKubernetesResource removed = operator.awaitReady(ns, "https", READY);
    assertThat(listeners(nlbArn)).extracting(Listener::port).containsExactly(80);
    assertThat(listeners(albArn)).extracting(Listener::port).containsExactly(80);
    assertThat(elb.describeTargetGroups(q -> q.pageSize(400)).targetGroups()).extracting(TargetGroup::targetGroupArn)
        .doesNotContain(httpsGroup.targetGroupArn());
    assertThat(status(removed).get("nlb")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .doesNotContainKeys("httpsListenerArn", "httpsTargetGroupArn");
    assertThat(webAclOf(albArn)).as("disassociated").isNull();
    assertThat(statusField(removed, "alb", "webAclArn")).isNull();
  }

  private static String webAclOf(String albArn) {
    try (Wafv2Client waf = Wafv2Client.create()) {
      var acl = waf.getWebACLForResource(q -> q.resourceArn(albArn)).webACL();
      return acl == null ? null : acl.arn();
    }
  }

  @Test
  void nlbSubnetMappingChangeReplacesTheNlbAndTheOldOneIsGone() {
    String ns = operator.namespace(0);
    String yaml = ready(ns, "replace", stack(ns, "replace"));
    String oldNlb = statusField(operator.get(ns, "replace"), "nlb", "arn");

    // Move the NLB from subnet a (10.20.0.0/24) to subnet b (10.20.1.0/24) with a static IP there.
    String moved = yaml.replace("subnetId: " + pre.subnets().get("a"), "subnetId: " + pre.subnets().get("b"))
        .replaceAll("privateIPv4Address: 10\\.20\\.0\\.\\d+", "privateIPv4Address: 10.20.1." + (nextIp++));
    operator.apply(moved);
    GenericKubernetesResource after = operator.awaitReady(ns, "replace", READY);

    String newNlb = statusField(after, "nlb", "arn");
    assertThat(newNlb).isNotEqualTo(oldNlb);
    assertThat(loadBalancer(newNlb).availabilityZones()).singleElement()
        .satisfies(az -> assertThat(az.subnetId()).isEqualTo(pre.subnets().get("b")));
    assertThat(elb.describeLoadBalancers(q -> q.pageSize(400)).loadBalancers()).extracting(LoadBalancer::loadBalancerArn)
        .doesNotContain(oldNlb);
    assertThat(status(after)).containsEntry("endpoint", loadBalancer(newNlb).dnsName());
    assertThat(onlyListener(newNlb).defaultActions().get(0).targetGroupArn()).isEqualTo(statusField(after, "nlb", "targetGroupArn"));
    // Nothing old left carrying the object's owner tags: the new chain, and only it.
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "replace")).hasSize(5).contains(newNlb).doesNotContain(oldNlb);

    // Security groups for this NLB, created without any: AWS refuses SetSecurityGroups on it (the layer's
    // elb-nlb-security-groups-at-creation), so the NLB is replaced, created with them; its static IP stays.
    String staticIp = moved.replaceAll("(?s).*privateIPv4Address: (10\\.20\\.1\\.\\d+).*", "$1");
    String guarded = moved.replace("    crossZoneLoadBalancing: true\n", "    crossZoneLoadBalancing: true\n    securityGroups: ["
        + pre.albSecurityGroup() + "]\n    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false\n");
    assertThat(guarded).isNotEqualTo(moved);
    operator.apply(guarded);
    GenericKubernetesResource withGroups = operator.awaitReady(ns, "replace", READY);
    String groupedNlb = statusField(withGroups, "nlb", "arn");
    assertThat(groupedNlb).isNotEqualTo(newNlb);
    LoadBalancer grouped = loadBalancer(groupedNlb);
    assertThat(grouped.securityGroups()).containsExactly(pre.albSecurityGroup());
    assertThat(grouped.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic()).isEqualTo("off");
    assertThat(grouped.availabilityZones()).singleElement().satisfies(az -> assertThat(az.loadBalancerAddresses())
        .extracting(a -> a.privateIPv4Address()).containsExactly(staticIp));
    assertThat(elb.describeLoadBalancers(q -> q.pageSize(400)).loadBalancers()).extracting(LoadBalancer::loadBalancerArn)
        .doesNotContain(newNlb);

    // Another group while it has some: changed in place, the same NLB (the ALB's own groups untouched).
    String regrouped = guarded.replace("securityGroups: [" + pre.albSecurityGroup() + "]\n    enforceSecurityGroup",
        "securityGroups: [" + pre.lambdaSecurityGroup() + "]\n    enforceSecurityGroup");
    assertThat(regrouped).isNotEqualTo(guarded);
    operator.apply(regrouped);
    await().atMost(READY).untilAsserted(() -> assertThat(loadBalancer(groupedNlb).securityGroups()).containsExactly(pre.lambdaSecurityGroup()));
    GenericKubernetesResource regroupedReady = operator.awaitReady(ns, "replace", READY);
    assertThat(statusField(regroupedReady, "nlb", "arn")).isEqualTo(groupedNlb);
    assertThat(loadBalancer(statusField(regroupedReady, "alb", "arn")).securityGroups()).containsExactly(pre.albSecurityGroup());
  }

  @Test
  void aNewImageDigestBehindTheTagRollsTheFunctionWithinOneResync() {
    String ns = operator.namespace(0);
    ready(ns, "roll", stack(ns, "roll"));
    String functionArn = statusField(operator.get(ns, "roll"), "lambda", "functionArn");

    String newDigest = pre.pushImage("latest");

    await().atMost(RESYNC.multipliedBy(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(lambda.getFunction(q -> q.functionName(functionArn)).code().imageUri()).endsWith("@" + newDigest);
      assertThat(statusField(operator.get(ns, "roll"), "lambda", "imageDigest")).isEqualTo(newDigest);
    });
  }

  @Test
  void eachPieceDeletedOutOfBandIsBackWithinOneResync() {
    String ns = operator.namespace(0);
    ready(ns, "drift", stack(ns, "drift"));
    GenericKubernetesResource li = operator.get(ns, "drift");
    String functionArn = statusField(li, "lambda", "functionArn");
    String lambdaTargets = statusField(li, "alb", "targetGroupArn");
    String albTargets = statusField(li, "nlb", "targetGroupArn");
    Duration withinOneResync = RESYNC.multipliedBy(3);

    // The invoke permission.
    lambda.removePermission(q -> q.functionName(functionArn).statementId(statusField(li, "lambda", "permissionStatementId")));
    await().atMost(withinOneResync).ignoreExceptions().untilAsserted(() ->
        assertThat(lambda.getPolicy(q -> q.functionName(functionArn)).policy()).contains(lambdaTargets));

    // The function's registration, and the ALB's.
    elb.deregisterTargets(q -> q.targetGroupArn(lambdaTargets).targets(t -> t.id(functionArn)));
    elb.deregisterTargets(q -> q.targetGroupArn(albTargets).targets(t -> t.id(statusField(li, "alb", "arn")).port(80)));
    await().atMost(withinOneResync).ignoreExceptions().untilAsserted(() -> {
      assertThat(targets(lambdaTargets)).extracting(TargetDescription::id).containsExactly(functionArn);
      assertThat(targets(albTargets)).extracting(TargetDescription::id).containsExactly(statusField(li, "alb", "arn"));
    });

    // A listener.
    elb.deleteListener(q -> q.listenerArn(statusField(li, "alb", "listenerArn")));
    await().atMost(withinOneResync).ignoreExceptions().untilAsserted(() ->
        assertThat(elb.describeListeners(q -> q.loadBalancerArn(statusField(li, "alb", "arn"))).listeners()).hasSize(1));

    // The NLB itself: a new one (new ARN) takes its place.
    elb.deleteLoadBalancer(q -> q.loadBalancerArn(statusField(li, "nlb", "arn")));
    await().atMost(withinOneResync).ignoreExceptions().untilAsserted(() -> {
      GenericKubernetesResource now = operator.get(ns, "drift");
      assertThat(statusField(now, "nlb", "arn")).isNotEqualTo(statusField(li, "nlb", "arn"));
      assertThat(onlyListener(statusField(now, "nlb", "arn")).port()).isEqualTo(80);
    });

    // The function itself.
    lambda.deleteFunction(q -> q.functionName(functionArn));
    await().atMost(withinOneResync).ignoreExceptions().untilAsserted(() -> {
      assertThat(lambda.getFunction(q -> q.functionName(functionArn)).configuration().functionArn()).isEqualTo(functionArn);
      assertThat(targets(lambdaTargets)).extracting(TargetDescription::id).containsExactly(functionArn);
    });
    operator.awaitReady(ns, "drift", READY);
  }

  @Test
  void deleteRemovesEverythingOfOursAndRetainKeepsEverything() {
    String ns = operator.namespace(1);
    ready(ns, "gone", stack(ns, "gone"));
    String retained = stack(ns, "kept").replace("deletionPolicy: Delete", "deletionPolicy: Retain");
    ready(ns, "kept", retained);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "gone")).hasSize(5);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "kept")).hasSize(5);

    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("gone").delete();
    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("kept").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(operator.get(ns, "gone")).isNull();
      assertThat(operator.get(ns, "kept")).isNull();
    });

    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "gone")).isEmpty();
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "kept")).hasSize(5);
  }

  @Test
  void theSameNameInTwoNamespacesDoesNotCollide() {
    String a = operator.namespace(0);
    String b = operator.namespace(1);
    ready(a, "twin", stack(a, "twin"));
    ready(b, "twin", stack(b, "twin"));

    GenericKubernetesResource inA = operator.get(a, "twin");
    GenericKubernetesResource inB = operator.get(b, "twin");
    for (String[] piece : new String[][] {{"nlb", "arn"}, {"alb", "arn"}, {"nlb", "targetGroupArn"}, {"alb", "targetGroupArn"}, {"lambda", "functionArn"}}) {
      assertThat(statusField(inA, piece[0], piece[1])).isNotEqualTo(statusField(inB, piece[0], piece[1]));
    }
    assertThat(AwsInventory.ownedBy(operator.clusterName(), a, "twin")).hasSize(5);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), b, "twin")).hasSize(5);
  }

  @Test
  void albListenerPortChangeReplacesTheNlbTargetGroupAndMultiValueHeadersChangeInPlace() {
    String ns = operator.namespace(1);
    String yaml = ready(ns, "albport", stack(ns, "albport"));
    GenericKubernetesResource before = operator.get(ns, "albport");

    // The alb target group's port must equal the ALB listener's: AWS fixes it at creation, so a new group.
    String changed = yaml.replace("    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 8081\n  lambda:")
        .replace("multiValueHeaders: false", "multiValueHeaders: true")
        .replace("subnets: [" + pre.subnets().get("b") + ", " + pre.subnets().get("c") + "]",
            "subnets: [" + pre.subnets().get("b") + ", " + pre.subnets().get("d") + "]")
        .replace("securityGroups: [" + pre.albSecurityGroup() + "]", "securityGroups: [" + pre.albSecurityGroup() + ", " + pre.lambdaSecurityGroup() + "]");
    assertThat(changed).contains("port: 8081").contains("multiValueHeaders: true").contains(pre.subnets().get("d") + "]")
        .contains(pre.lambdaSecurityGroup() + "]");
    operator.apply(changed);
    GenericKubernetesResource after = operator.awaitReady(ns, "albport", READY);

    assertThat(statusField(after, "alb", "arn")).isEqualTo(statusField(before, "alb", "arn"));
    LoadBalancer alb = loadBalancer(statusField(after, "alb", "arn"));
    assertThat(alb.availabilityZones()).extracting(az -> az.subnetId()).containsExactlyInAnyOrder(pre.subnets().get("b"), pre.subnets().get("d"));
    assertThat(alb.securityGroups()).containsExactlyInAnyOrder(pre.albSecurityGroup(), pre.lambdaSecurityGroup());
    assertThat(onlyListener(statusField(after, "alb", "arn")).port()).isEqualTo(8081);
    TargetGroup albTargets = targetGroup(statusField(after, "nlb", "targetGroupArn"));
    assertThat(albTargets.targetGroupArn()).isNotEqualTo(statusField(before, "nlb", "targetGroupArn"));
    assertThat(albTargets.port()).isEqualTo(8081);
    assertThat(albTargets.healthCheckPort()).isIn("8081", "traffic-port");
    assertThat(targets(albTargets.targetGroupArn())).singleElement().satisfies(t -> assertThat(t.port()).isEqualTo(8081));
    assertThat(onlyListener(statusField(after, "nlb", "arn")).defaultActions().get(0).targetGroupArn()).isEqualTo(albTargets.targetGroupArn());
    assertThat(elb.describeTargetGroupAttributes(q -> q.targetGroupArn(statusField(after, "alb", "targetGroupArn"))).attributes())
        .anySatisfy(a -> {
          assertThat(a.key()).isEqualTo("lambda.multi_value_headers.enabled");
          assertThat(a.value()).isEqualTo("true");
        });
  }

  @Test
  void renamingTheFunctionCreatesTheNewOneAndDeletesTheOld() {
    String ns = operator.namespace(1);
    String yaml = ready(ns, "rename", stack(ns, "rename"));
    String oldArn = statusField(operator.get(ns, "rename"), "lambda", "functionArn");

    operator.apply(yaml.replace("      name: rename-" + ns + "\n", "      name: renamed-" + ns + "\n"));
    GenericKubernetesResource after = operator.awaitReady(ns, "rename", READY);

    String newArn = statusField(after, "lambda", "functionArn");
    assertThat(newArn).endsWith(":function:renamed-" + ns);
    assertThat(targets(statusField(after, "alb", "targetGroupArn"))).extracting(TargetDescription::id).containsExactly(newArn);
    assertThat(lambda.listFunctionsPaginator().functions().stream().map(f -> f.functionArn())).doesNotContain(oldArn);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "rename")).hasSize(5);
  }

  @Test
  void anExistingFunctionGetsOnlyThePermissionAndRegistrationAndKeepsItsConfiguration() {
    String ns = operator.namespace(1);
    String name = LocalWorld.uniqueName("existing");
    String digest = pre.pushImage("existing");
    String repoUri;
    try (var ecr = software.amazon.awssdk.services.ecr.EcrClient.create()) {
      repoUri = ecr.describeRepositories(q -> q.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
    }
    String arn = lambda.createFunction(q -> q.functionName(name).packageType("Image").code(c -> c.imageUri(repoUri + "@" + digest))
        .role(pre.roleArn()).timeout(7).environment(e -> e.variables(Map.of("MINE", "yes")))).functionArn();

    String yaml = stack(ns, "existing");
    int fn = yaml.indexOf("    function:\n");
    int end = yaml.indexOf("    multiValueHeaders:");
    yaml = yaml.substring(0, fn) + "    functionArn: " + arn + "\n" + yaml.substring(end);
    ready(ns, "existing", yaml);

    GetFunctionResponse after = lambda.getFunction(q -> q.functionName(arn));
    assertThat(after.configuration().timeout()).isEqualTo(7);
    assertThat(after.configuration().environment().variables()).containsExactly(Map.entry("MINE", "yes"));
    assertThat(after.tags() == null ? Map.<String, String>of() : after.tags()).doesNotContainKey("lambdaingress.io/cluster");
    String lambdaTargets = statusField(operator.get(ns, "existing"), "alb", "targetGroupArn");
    assertThat(targets(lambdaTargets)).extracting(TargetDescription::id).containsExactly(arn);
    assertThat(lambda.getPolicy(q -> q.functionName(arn)).policy()).contains(lambdaTargets);

    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("existing").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(operator.get(ns, "existing")).isNull());
    // The function stays, without our permission; everything we created is gone.
    assertThat(lambda.getFunction(q -> q.functionName(arn)).configuration().timeout()).isEqualTo(7);
    assertThat(policyOrEmpty(arn)).doesNotContain("lambda-ingress-");
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "existing")).isEmpty();
  }

  /** A function's resource policy; Lambda answers 404 when it has no statement at all. */
  private static String policyOrEmpty(String functionArn) {
    try {
      return lambda.getPolicy(q -> q.functionName(functionArn)).policy();
    } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
      return "";
    }
  }
}
