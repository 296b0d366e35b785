package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.model.LoadBalancerNames;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The drift table: one row per field the operator sets. Each row changes its field out of band with the AWS
 * SDK (as a person with the console or a script would) and measures how long until the operator has put it
 * back, and prints it against the target of one resync period plus a few seconds (late rows are marked LATE in
 * target/drift-table.txt). The row fails when the field is not put back at all: not within {@link #NOT_REPAIRED}
 * past that target. The target is not asserted: how late a repair is on a busy 2-core machine says how busy the
 * machine was (a row took 11 s against 7 s in a CI run that shared the cores with the crash table), not whether the
 * operator repairs; the seconds at rest are the benchmark's (dev/bench-scale.sh, OutOfBandChange). Fields that moto cannot
 * change out of band are rows too ({@link #fieldsMotoCannotChangeOutOfBand}), reported as skipped with the
 * reason, and each proves that moto still cannot.
 *
 * <p>Three article stacks are converged once, before the rows; each row then works on one of them, and rows
 * of different stacks alternate so that one stack settles (a function update requeues) while the next row
 * runs on another. A row is judged repaired when its field is as the spec says again AND the operator wrote
 * to AWS after the change (so a change moto silently ignored cannot pass as repaired; the count is the
 * operator's, over all three stacks, and a row starts only once its own stack is Ready again).
 *
 * <p>Measured 2026-11-25, 2-core machine at load ~5: with a 2 s period the 49 in-place rows were repaired in
 * 0.1-2.7 s (limit 7 s), the three replacements in 4.0-5.2 s (limit 12 s); the class took 129 s (33 s setup).
 * With a 3 s period at load ~18 (other builds running): rows 0.4-5.5 s (limit 8 s), replacements 8-11 s, 318 s.
 */
// Among the longest classes: started early, after the crash table (see ChartOnNodeIT).
@Order(2)
@WithLocalWorld
class DriftTableIT {

  // Short, so that the whole table takes about two minutes; production default is 60 s.
  private static final Duration RESYNC = Duration.ofSeconds(2);
  // "A few seconds": the reconcile itself (JOSDK schedules the next resync one period after the previous
  // reconcile ENDED, and a reconcile takes seconds on a busy 2-core machine), the age of the shared reads
  // (SharedReadAge.forResync: a quarter of the period here), and this test's polling.
  private static final Duration SLACK = Duration.ofSeconds(5);
  // A load balancer replaced (NLB subnets) is deleted on one reconcile and created on the requeue
  // 3 s later (LambdaIngressReconciler's progress poll), by a second reconcile: such rows are allowed that much more.
  private static final Duration REPLACEMENT = Duration.ofSeconds(5);
  // An ALB replaced (scheme) is rebuilt under its other names while the old one serves, and the NLB moves to it
  // only once AWS says the new side serves: the new ALB past provisioning, its function's new permission past
  // propagation, the NLB's health check of it healthy (the rules layer's defaults: 2 s, 2 s, 2.5 s). Each wait
  // ends at a progress poll (3 s) and a reconcile, which takes up to about 5 s at the suite's load (load 7-8 on
  // 2 cores): four such rounds. Measured 10.1 s alone; inside the suite 13.2 s, under 19 s, and 26.7 s.
  private static final Duration ALB_SIDE_REPLACEMENT = REPLACEMENT.plus(Duration.ofSeconds(4 * (3 + 5)));
  // Past its target, how long a row keeps watching before it calls the field not repaired: a repair that waits
  // for something that never comes (a cached read never refreshed, a resync that skips the field) never comes,
  // whereas the latest repairs measured under load were 4-6 s past the target.
  private static final Duration NOT_REPAIRED = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static final Map<String, Stack> stacks = new LinkedHashMap<>();
  private static final List<String> report = Collections.synchronizedList(new ArrayList<>());
  private static final java.nio.file.Path REPORT = LocalWorld.repoRoot().resolve("operator/target/drift-table.txt");
  // Unowned things rows point our resources at.
  private static String strayTargetGroup;
  private static String strayFunction;
  private static String otherRole;
  private static String certificate;
  // The "tags" stack has spec.alb.https with these two ACM certificates (issued: a private CA's), default first.
  private static String httpsDefault;
  private static String httpsSni;
  // The "tags" stack's web ACL (spec.alb.webAclArn), and another one rows associate out of band.
  private static String webAcl;
  private static String otherWebAcl;
  // The "tags" stack's access logs go to logBucket (spec.alb.attributes.accessLogs); rows move them to otherLogBucket. Both
  // policies let ELB write anywhere in them (the AWS rules layer refuses access logs to a bucket whose policy does not).
  private static String logBucket;
  private static String otherLogBucket;

  /** One converged article stack: names derived as the operator derives them, read back by name. */
  record Stack(String ns, String name, LoadBalancerNames names) {

    String functionName() {
      return name + "-" + ns; // ArticlePrerequisites.articleStack names the function so
    }

    LoadBalancer nlb() {
      return elb.describeLoadBalancers(q -> q.names(names.nlb())).loadBalancers().get(0);
    }

    /**
     * The names of the ALB side the stack has now: the first, or the second after the operator replaced the ALB
     * (an ALB replacement builds the new side under the other names, AlbSlot).
     */
    LoadBalancerNames albSide() {
      boolean first = elb.describeLoadBalancers(q -> q.pageSize(400)).loadBalancers().stream()
          .anyMatch(lb -> lb.loadBalancerName().equals(names.alb()));
      return first ? names : names.second();
    }

    LoadBalancer alb() {
      return elb.describeLoadBalancers(q -> q.names(albSide().alb())).loadBalancers().get(0);
    }

    TargetGroup albTargets() {
      return elb.describeTargetGroups(q -> q.names(albSide().albTargetGroup())).targetGroups().get(0);
    }

    TargetGroup lambdaTargets() {
      return elb.describeTargetGroups(q -> q.names(albSide().lambdaTargetGroup())).targetGroups().get(0);
    }

    Listener nlbListener() {
      return onlyListener(nlb().loadBalancerArn());
    }

    Listener albListener() {
      return onlyListener(alb().loadBalancerArn());
    }

    Listener listenerOn(LoadBalancer lb, int port) {
      return elb.describeListeners(q -> q.loadBalancerArn(lb.loadBalancerArn())).listeners().stream().filter(l -> l.port() == port)
          .findFirst().orElseThrow(() -> new AssertionError("no listener on port " + port + " of " + lb.loadBalancerName()));
    }

    TargetGroup httpsAlbTargets() {
      return elb.describeTargetGroups(q -> q.names(albSide().albHttpsTargetGroup())).targetGroups().get(0);
    }

    GetFunctionResponse function() {
      return lambda.getFunction(q -> q.functionName(functionName()));
    }

    String functionArn() {
      return function().configuration().functionArn();
    }

    Map<String, String> ownerTags() {
      return Map.of("lambdaingress.io/cluster", operator.clusterName(), "lambdaingress.io/namespace", ns, "lambdaingress.io/name", name);
    }
  }

  /** A field of the table: how to change it out of band, and what "as the spec says" means for it. */
  record Row(String field, String stack, Consumer<Stack> change, Consumer<Stack> asSpecified, Duration extra) {
    @Override
    public String toString() {
      return field;
    }
  }

  /** A field moto cannot change out of band: why, and a check that moto still cannot. */
  record NotInMoto(String field, String reason, Consumer<Stack> stillCannot) {
    @Override
    public String toString() {
      return field;
    }
  }

  @BeforeAll
  static void start(LocalWorld world) {
    operator = OperatorHarness.start(world, RESYNC, 1);
    pre = ArticlePrerequisites.create(world.awsRegion());
    elb = ElasticLoadBalancingV2Client.create();
    lambda = LambdaClient.create();
    write(List.of("drift table (resync " + RESYNC.toSeconds() + " s):"), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    String ns = operator.namespace(0);
    String suffix = LocalWorld.uniqueName("d").substring(2);
    int ip = 10;
    try (AcmClient acm = AcmClient.create()) {
      String ca = "arn:aws:acm-pca:" + world.awsRegion() + ":123456789012:certificate-authority/drift-" + suffix;
      httpsDefault = acm.requestCertificate(q -> q.domainName("drift.example.com").certificateAuthorityArn(ca)).certificateArn();
      httpsSni = acm.requestCertificate(q -> q.domainName("drift.example.org").certificateAuthorityArn(ca)).certificateArn();
    }
    try (Wafv2Client waf = Wafv2Client.create()) {
      webAcl = ArticlePrerequisites.webAcl(waf, "drift-" + suffix);
      otherWebAcl = ArticlePrerequisites.webAcl(waf, "drift-other-" + suffix);
    }
    logBucket = "logs-" + suffix;
    otherLogBucket = "logs-other-" + suffix;
    try (S3Client s3 = S3Client.builder().forcePathStyle(true).build()) {
      for (String bucket : List.of(logBucket, otherLogBucket)) {
        s3.createBucket(q -> q.bucket(bucket));
        s3.putBucketPolicy(q -> q.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"logdelivery.elasticloadbalancing.amazonaws.com\"},\"Action\":\"s3:PutObject\","
            + "\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}]}"));
      }
    }
    for (String name : List.of("lb", "fn", "tags")) {
      stacks.put(name, new Stack(ns, name, LoadBalancerNames.of(operator.clusterName(), ns, name)));
      String yaml = pre.articleStack(ns, name).replace("10.20.0.10", "10.20.0." + (ip++));
      if (name.equals("tags")) {
        yaml = yaml.replace("    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 80\n    https:\n"
            + "      certificateArns: [" + httpsDefault + ", " + httpsSni + "]\n    attributes:\n      idleTimeoutSeconds: 120\n"
            + "      dropInvalidHeaderFields: true\n      extra: {routing.http.xff_header_processing.mode: append}\n"
            + "      accessLogs: {bucket: " + logBucket + ", prefix: drift}\n    webAclArn: " + webAcl + "\n  lambda:")
            .replace("      path: /healthz\n", "      path: /healthz\n    attributes:\n"
                + "      extra: {dns_record.client_routing_policy: availability_zone_affinity}\n")
            // NLB security groups at creation, and the PrivateLink setting off (AWS's default is on).
            .replace("    crossZoneLoadBalancing: true\n", "    crossZoneLoadBalancing: true\n    securityGroups: ["
                + pre.albSecurityGroup() + "]\n    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false\n");
      }
      if (name.equals("fn")) {
        String reserved = yaml.replaceFirst("(\n      roleArn: [^\n]*\n)", "$1      reservedConcurrency: 20\n");
        assertThat(reserved).isNotEqualTo(yaml);
        yaml = reserved;
      }
      operator.apply(yaml);
    }
    strayTargetGroup = elb.createTargetGroup(q -> q.name("stray-" + suffix).targetType("lambda")).targetGroups().get(0).targetGroupArn();
    try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).build()) {
      otherRole = iam.createRole(q -> q.roleName("other-" + suffix).assumeRolePolicyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
              + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}")).role().arn();
      // An HTTPS listener needs a certificate; moto keeps IAM server certificates without checking them.
      certificate = iam.uploadServerCertificate(q -> q.serverCertificateName("drift-" + suffix)
          .certificateBody("not checked by moto").privateKey("not checked by moto")).serverCertificateMetadata().arn();
    }
    for (Stack s : stacks.values()) {
      operator.awaitReady(s.ns(), s.name(), Duration.ofSeconds(90));
    }
    String image = stacks.get("lb").function().code().imageUri();
    strayFunction = lambda.createFunction(q -> q.functionName("stray-" + suffix).packageType("Image")
        .code(c -> c.imageUri(image)).role(pre.roleArn())).functionArn();
  }

  @AfterAll
  static void stop() {
    System.out.println("drift table (resync " + RESYNC.toSeconds() + " s):");
    report.forEach(System.out::println);
    if (operator != null) {
      operator.close();
    }
    elb.close();
    lambda.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void outOfBandChangeIsRepaired(Row row) {
    Stack s = stacks.get(row.stack());
    operator.awaitReady(s.ns(), s.name(), Duration.ofSeconds(30)); // the previous row on this stack has settled
    row.asSpecified().accept(s);
    long writesBefore = operatorWrites();

    row.change().accept(s);
    long start = System.nanoTime();
    Duration target = RESYNC.plus(SLACK).plus(row.extra());
    long giveUp = start + target.plus(NOT_REPAIRED).toNanos();
    String notYet = "";
    while (true) {
      try {
        row.asSpecified().accept(s);
        if (operatorWrites() > writesBefore) {
          break;
        }
        notYet = "as specified again, but the operator wrote nothing since the change: did the change take?";
      } catch (AssertionError | SdkException | IndexOutOfBoundsException e) {
        notYet = String.valueOf(e.getMessage());
      }
      if (System.nanoTime() > giveUp) {
        tableLine(String.format("%-80s NOT repaired within %.0f s: %s", row.field(), (target.plus(NOT_REPAIRED)).toMillis() / 1000.0,
            notYet.replace('\n', ' ')));
        throw new AssertionError(row.field() + ": not repaired within " + target.plus(NOT_REPAIRED) + ": " + notYet);
      }
      OperatorHarness.sleep(100);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    tableLine(String.format("%-80s repaired in %5.1f s (target %.0f s)%s", row.field(), took.toMillis() / 1000.0,
        target.toMillis() / 1000.0, took.compareTo(target) > 0 ? "  LATE" : ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notInMoto")
  void fieldsMotoCannotChangeOutOfBand(NotInMoto row) {
    row.stillCannot().accept(stacks.get("lb"));
    tableLine(String.format("%-80s not in the table: %s", row.field(), row.reason()));
    Assumptions.abort("cannot change out of band here: " + row.reason());
  }

  // --- the table ---

  static Stream<Row> rows() {
    List<Row> lb = new ArrayList<>();
    List<Row> fn = new ArrayList<>();
    List<Row> tags = new ArrayList<>();

    // Load balancers. The only attribute the operator sets is the NLB's cross-zone switch (the ALB gets none).
    lb.add(row("NLB attribute load_balancing.cross_zone.enabled switched off", "lb",
        s -> elb.modifyLoadBalancerAttributes(q -> q.loadBalancerArn(s.nlb().loadBalancerArn())
            .attributes(a -> a.key("load_balancing.cross_zone.enabled").value("false"))),
        s -> assertThat(elb.describeLoadBalancerAttributes(q -> q.loadBalancerArn(s.nlb().loadBalancerArn())).attributes())
            .anySatisfy(a -> assertThat(a.key() + "=" + a.value()).isEqualTo("load_balancing.cross_zone.enabled=true"))));
    lb.add(row("ALB security groups swapped for another group", "lb",
        s -> elb.setSecurityGroups(q -> q.loadBalancerArn(s.alb().loadBalancerArn()).securityGroups(pre.lambdaSecurityGroup())),
        s -> assertThat(s.alb().securityGroups()).containsExactly(pre.albSecurityGroup())));
    lb.add(row("ALB subnets changed (b, c -> b, d)", "lb",
        s -> elb.setSubnets(q -> q.loadBalancerArn(s.alb().loadBalancerArn()).subnets(pre.subnets().get("b"), pre.subnets().get("d"))),
        s -> assertThat(s.alb().availabilityZones()).extracting(az -> az.subnetId())
            .containsExactlyInAnyOrder(pre.subnets().get("b"), pre.subnets().get("c"))));

    // Listeners: port, protocol and default action of both.
    lb.add(row("NLB listener port 80 -> 81", "lb",
        s -> elb.modifyListener(q -> q.listenerArn(s.nlbListener().listenerArn()).port(81)),
        s -> assertThat(s.nlbListener().port()).isEqualTo(80)));
    lb.add(row("NLB listener default action forwards to a stray target group", "lb",
        s -> elb.modifyListener(q -> q.listenerArn(s.nlbListener().listenerArn())
            .defaultActions(a -> a.type("forward").targetGroupArn(strayTargetGroup))),
        s -> assertForwardsOnlyTo(s.nlbListener(), s.albTargets().targetGroupArn())));
    lb.add(row("ALB listener port 80 -> 81", "lb",
        s -> elb.modifyListener(q -> q.listenerArn(s.albListener().listenerArn()).port(81)),
        s -> assertThat(s.albListener().port()).isEqualTo(80)));
    lb.add(row("ALB listener protocol HTTP -> HTTPS", "lb",
        s -> elb.modifyListener(q -> q.listenerArn(s.albListener().listenerArn()).protocol("HTTPS")
            .certificates(c -> c.certificateArn(certificate))),
        s -> assertThat(s.albListener().protocolAsString()).isEqualTo("HTTP")));
    lb.add(row("ALB listener default action replaced by a fixed 503 response", "lb",
        s -> elb.modifyListener(q -> q.listenerArn(s.albListener().listenerArn())
            .defaultActions(a -> a.type("fixed-response").fixedResponseConfig(f -> f.statusCode("503")))),
        s -> assertForwardsOnlyTo(s.albListener(), s.lambdaTargets().targetGroupArn())));
    lb.add(row("ALB listener default action also forwards to a stray target group (weighted)", "lb",
        s -> elb.modifyListener(q -> q.listenerArn(s.albListener().listenerArn()).defaultActions(a -> a.type("forward")
            .forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(s.lambdaTargets().targetGroupArn()).weight(1),
                t -> t.targetGroupArn(strayTargetGroup).weight(1))))),
        s -> assertForwardsOnlyTo(s.albListener(), s.lambdaTargets().targetGroupArn())));

    // Target groups: the alb group's health check, the lambda group's attribute.
    lb.add(row("alb target group health check path /healthz -> /elsewhere", "lb",
        s -> elb.modifyTargetGroup(q -> q.targetGroupArn(s.albTargets().targetGroupArn()).healthCheckPath("/elsewhere")),
        s -> assertThat(s.albTargets().healthCheckPath()).isEqualTo("/healthz")));
    lb.add(row("alb target group health check port 80 -> 81", "lb",
        s -> elb.modifyTargetGroup(q -> q.targetGroupArn(s.albTargets().targetGroupArn()).healthCheckPort("81")),
        s -> assertThat(s.albTargets().healthCheckPort()).isEqualTo("80")));
    lb.add(row("alb target group health check protocol HTTP -> TCP", "lb",
        s -> elb.modifyTargetGroup(q -> q.targetGroupArn(s.albTargets().targetGroupArn()).healthCheckProtocol("TCP")),
        s -> assertThat(s.albTargets().healthCheckProtocolAsString()).isEqualTo("HTTP")));
    lb.add(row("lambda target group attribute lambda.multi_value_headers.enabled false -> true", "lb",
        s -> elb.modifyTargetGroupAttributes(q -> q.targetGroupArn(s.lambdaTargets().targetGroupArn())
            .attributes(a -> a.key("lambda.multi_value_headers.enabled").value("true"))),
        s -> assertThat(elb.describeTargetGroupAttributes(q -> q.targetGroupArn(s.lambdaTargets().targetGroupArn())).attributes())
            .anySatisfy(a -> assertThat(a.key() + "=" + a.value()).isEqualTo("lambda.multi_value_headers.enabled=false"))));

    // Registrations of both target groups.
    lb.add(row("lambda target group: the function deregistered", "lb",
        s -> elb.deregisterTargets(q -> q.targetGroupArn(s.lambdaTargets().targetGroupArn()).targets(t -> t.id(s.functionArn()))),
        s -> assertThat(targets(s.lambdaTargets())).containsExactly(s.functionArn())));
    lb.add(row("alb target group: the ALB deregistered", "lb",
        s -> elb.deregisterTargets(q -> q.targetGroupArn(s.albTargets().targetGroupArn()).targets(t -> t.id(s.alb().loadBalancerArn()).port(80))),
        s -> assertThat(targets(s.albTargets())).containsExactly(s.alb().loadBalancerArn() + ":80")));

    // What AWS sets only at creation: the out-of-band change is a re-creation under the same name. Last on
    // their stack, as they replace resources.
    lb.add(new Row("NLB subnet mappings: a subnet added (a -> a, b; the NLB is replaced)", "lb",
        s -> elb.setSubnets(q -> q.loadBalancerArn(s.nlb().loadBalancerArn()).subnets(pre.subnets().get("a"), pre.subnets().get("b"))),
        s -> {
          assertThat(s.nlb().availabilityZones()).extracting(az -> az.subnetId()).containsExactly(pre.subnets().get("a"));
          assertForwardsOnlyTo(s.nlbListener(), s.albTargets().targetGroupArn());
        }, REPLACEMENT));
    lb.add(new Row("NLB scheme: re-created internet-facing under its name, with our tags (no API changes a scheme)", "lb",
        s -> recreate(s.nlb(), s, b -> b.type("network").scheme("internet-facing").subnetMappings(
            m -> m.subnetId(pre.subnets().get("a")).privateIPv4Address("10.20.0.10"))),
        s -> {
          assertThat(s.nlb().schemeAsString()).isEqualTo("internal");
          assertForwardsOnlyTo(s.nlbListener(), s.albTargets().targetGroupArn());
        }, REPLACEMENT));
    lb.add(new Row("ALB scheme: re-created internet-facing under its name, with our tags (no API changes a scheme)", "lb",
        s -> recreate(s.alb(), s, b -> b.type("application").scheme("internet-facing")
            .subnets(pre.subnets().get("b"), pre.subnets().get("c")).securityGroups(pre.albSecurityGroup())),
        s -> {
          assertThat(s.alb().schemeAsString()).isEqualTo("internal");
          assertForwardsOnlyTo(s.albListener(), s.lambdaTargets().targetGroupArn());
          assertThat(targets(s.albTargets())).containsExactly(s.alb().loadBalancerArn() + ":80");
        }, ALB_SIDE_REPLACEMENT));

    // The function's configuration and image.
    fn.add(row("function role swapped for another role", "fn",
        s -> lambda.updateFunctionConfiguration(q -> q.functionName(s.functionName()).role(otherRole)),
        s -> assertThat(s.function().configuration().role()).isEqualTo(pre.roleArn())));
    // Reserved concurrency (spec.lambda.function.reservedConcurrency: 20 on this stack).
    fn.add(row("function reserved concurrency 20 -> 5", "fn",
        s -> lambda.putFunctionConcurrency(q -> q.functionName(s.functionName()).reservedConcurrentExecutions(5)),
        s -> assertThat(reservedConcurrency(s)).contains(20)));
    fn.add(row("function reserved concurrency removed", "fn",
        s -> lambda.deleteFunctionConcurrency(q -> q.functionName(s.functionName())),
        s -> assertThat(reservedConcurrency(s)).contains(20)));
    fn.add(row("function timeout 30 s -> 60 s", "fn",
        s -> lambda.updateFunctionConfiguration(q -> q.functionName(s.functionName()).timeout(60)),
        s -> assertThat(s.function().configuration().timeout()).isEqualTo(30)));
    fn.add(row("function memory 512 MiB -> 1024 MiB", "fn",
        s -> lambda.updateFunctionConfiguration(q -> q.functionName(s.functionName()).memorySize(1024)),
        s -> assertThat(s.function().configuration().memorySize()).isEqualTo(512)));
    fn.add(row("function environment: a value changed (ENV hoge -> fuga)", "fn",
        s -> setEnvironment(s, env -> env.put("ENV", "fuga")),
        s -> assertThat(s.function().configuration().environment().variables())
            .isEqualTo(Map.of("ENV", "hoge", "LAMBDA_INGRESS_HEALTH_PATH", "/healthz"))));
    fn.add(row("function environment: a stray variable added", "fn",
        s -> setEnvironment(s, env -> env.put("STRAY", "1")),
        s -> assertThat(s.function().configuration().environment().variables())
            .isEqualTo(Map.of("ENV", "hoge", "LAMBDA_INGRESS_HEALTH_PATH", "/healthz"))));
    fn.add(row("function environment: LAMBDA_INGRESS_HEALTH_PATH removed", "fn",
        s -> setEnvironment(s, env -> env.remove("LAMBDA_INGRESS_HEALTH_PATH")),
        s -> assertThat(s.function().configuration().environment().variables())
            .isEqualTo(Map.of("ENV", "hoge", "LAMBDA_INGRESS_HEALTH_PATH", "/healthz"))));
    fn.add(row("function VPC: a subnet dropped and the security group swapped", "fn",
        s -> lambda.updateFunctionConfiguration(q -> q.functionName(s.functionName())
            .vpcConfig(v -> v.subnetIds(pre.subnets().get("d")).securityGroupIds(pre.albSecurityGroup()))),
        s -> assertSpecifiedVpc(s.function())));
    fn.add(row("function VPC: detached from the VPC", "fn",
        s -> lambda.updateFunctionConfiguration(q -> q.functionName(s.functionName())
            .vpcConfig(v -> v.subnetIds(List.of()).securityGroupIds(List.of()))),
        s -> assertSpecifiedVpc(s.function())));
    fn.add(row("function image: another digest of the repository deployed", "fn",
        s -> {
          String uri = s.function().code().imageUri();
          String other = uri.substring(0, uri.indexOf('@') + 1) + pre.pushImage(LocalWorld.uniqueName("drift"));
          lambda.updateFunctionCode(q -> q.functionName(s.functionName()).imageUri(other));
        },
        s -> assertThat(s.function().code().imageUri())
            .endsWith("@" + statusField(s, "imageDigest"))));

    // The invoke permission.
    fn.add(row("invoke permission removed", "fn",
        s -> lambda.removePermission(q -> q.functionName(s.functionName()).statementId(s.names().permissionStatementId())),
        s -> assertThat(permissionSource(s)).isEqualTo(s.lambdaTargets().targetGroupArn())));
    fn.add(row("invoke permission's source ARN changed to a stray target group", "fn",
        s -> {
          lambda.removePermission(q -> q.functionName(s.functionName()).statementId(s.names().permissionStatementId()));
          lambda.addPermission(q -> q.functionName(s.functionName()).statementId(s.names().permissionStatementId())
              .action("lambda:InvokeFunction").principal("elasticloadbalancing.amazonaws.com").sourceArn(strayTargetGroup));
        },
        s -> assertThat(permissionSource(s)).isEqualTo(s.lambdaTargets().targetGroupArn())));

    // Tags on each kind of resource: a spec tag and an owner tag, each changed and removed.
    Map<String, TagAccess> kinds = new LinkedHashMap<>();
    kinds.put("NLB", elbTags(s -> s.nlb().loadBalancerArn()));
    kinds.put("ALB", elbTags(s -> s.alb().loadBalancerArn()));
    kinds.put("alb target group", elbTags(s -> s.albTargets().targetGroupArn()));
    kinds.put("lambda target group", elbTags(s -> s.lambdaTargets().targetGroupArn()));
    kinds.put("function", new TagAccess(
        (s, kv) -> lambda.tagResource(q -> q.resource(s.functionArn()).tags(kv)),
        (s, k) -> lambda.untagResource(q -> q.resource(s.functionArn()).tagKeys(k)),
        s -> s.function().tags() == null ? Map.of() : s.function().tags()));
    kinds.forEach((kind, t) -> {
      Consumer<Stack> asSpecified = s -> {
        Map<String, String> wanted = new java.util.HashMap<>(s.ownerTags());
        wanted.put("team", "payments");
        assertThat(t.read().apply(s)).containsExactlyInAnyOrderEntriesOf(wanted);
      };
      tags.add(row(kind + ": spec tag team changed", "tags", s -> t.set().accept(s, Map.of("team", "other")), asSpecified));
      tags.add(row(kind + ": spec tag team removed", "tags", s -> t.remove().accept(s, "team"), asSpecified));
      tags.add(row(kind + ": owner tag lambdaingress.io/name changed", "tags",
          s -> t.set().accept(s, Map.of("lambdaingress.io/name", "someone-else")), asSpecified));
      tags.add(row(kind + ": owner tag lambdaingress.io/name removed", "tags",
          s -> t.remove().accept(s, "lambdaingress.io/name"), asSpecified));
    });
    // HTTPS (spec.alb.https on this stack): the ALB's HTTPS listener and its certificates, the NLB's listener of 443
    // and its alb target group.
    tags.add(row("ALB HTTPS listener: its SNI certificate removed", "tags",
        s -> elb.removeListenerCertificates(q -> q.listenerArn(s.listenerOn(s.alb(), 443).listenerArn()).certificates(c -> c.certificateArn(httpsSni))),
        s -> assertThat(sniCertificates(s.listenerOn(s.alb(), 443))).containsExactly(httpsSni)));
    tags.add(row("ALB HTTPS listener: default certificate replaced by the SNI one", "tags",
        s -> elb.modifyListener(q -> q.listenerArn(s.listenerOn(s.alb(), 443).listenerArn()).certificates(c -> c.certificateArn(httpsSni))),
        s -> {
          assertThat(s.listenerOn(s.alb(), 443).certificates().get(0).certificateArn()).isEqualTo(httpsDefault);
          assertThat(sniCertificates(s.listenerOn(s.alb(), 443))).containsExactly(httpsSni);
        }));
    tags.add(row("ALB HTTPS listener: security policy -> ELBSecurityPolicy-TLS13-1-3-2021-06", "tags",
        s -> elb.modifyListener(q -> q.listenerArn(s.listenerOn(s.alb(), 443).listenerArn()).sslPolicy("ELBSecurityPolicy-TLS13-1-3-2021-06")),
        s -> assertThat(s.listenerOn(s.alb(), 443).sslPolicy()).isEqualTo("ELBSecurityPolicy-TLS13-1-2-2021-06")));
    tags.add(row("NLB listener TCP:443 deleted", "tags",
        s -> elb.deleteListener(q -> q.listenerArn(s.listenerOn(s.nlb(), 443).listenerArn())),
        s -> assertForwardsOnlyTo(s.listenerOn(s.nlb(), 443), s.httpsAlbTargets().targetGroupArn())));
    tags.add(row("alb target group of port 443: the ALB deregistered", "tags",
        s -> elb.deregisterTargets(q -> q.targetGroupArn(s.httpsAlbTargets().targetGroupArn()).targets(t -> t.id(s.alb().loadBalancerArn()).port(443))),
        s -> assertThat(targets(s.httpsAlbTargets())).containsExactly(s.alb().loadBalancerArn() + ":443")));
    tags.add(row("alb target group of port 443: health check protocol HTTPS -> HTTP", "tags",
        s -> elb.modifyTargetGroup(q -> q.targetGroupArn(s.httpsAlbTargets().targetGroupArn()).healthCheckProtocol("HTTP")),
        s -> assertThat(s.httpsAlbTargets().healthCheckProtocolAsString()).isEqualTo("HTTPS")));
    // Load balancer attributes (spec.alb.attributes, spec.nlb.attributes on this stack).
    Map<String, String> albAttrs = Map.of("idle_timeout.timeout_seconds", "120", "routing.http.drop_invalid_header_fields.enabled", "true",
        "deletion_protection.enabled", "false", "routing.http.xff_header_processing.mode", "append");
    Map<String, String> albDrift = Map.of("idle_timeout.timeout_seconds", "30", "routing.http.drop_invalid_header_fields.enabled", "false",
        "deletion_protection.enabled", "true", "routing.http.xff_header_processing.mode", "remove");
    albAttrs.forEach((key, wanted) -> tags.add(row("ALB attribute " + key + " " + wanted + " -> " + albDrift.get(key), "tags",
        s -> elb.modifyLoadBalancerAttributes(q -> q.loadBalancerArn(s.alb().loadBalancerArn()).attributes(a -> a.key(key).value(albDrift.get(key)))),
        s -> assertThat(lbAttributes(s.alb().loadBalancerArn())).containsEntry(key, wanted))));
    tags.add(row("ALB access logs turned off", "tags",
        s -> elb.modifyLoadBalancerAttributes(q -> q.loadBalancerArn(s.alb().loadBalancerArn()).attributes(a -> a.key("access_logs.s3.enabled").value("false"))),
        s -> assertThat(lbAttributes(s.alb().loadBalancerArn())).containsEntry("access_logs.s3.enabled", "true")
            .containsEntry("access_logs.s3.bucket", logBucket).containsEntry("access_logs.s3.prefix", "drift")));
    tags.add(row("ALB access logs moved to another bucket and prefix", "tags",
        s -> elb.modifyLoadBalancerAttributes(q -> q.loadBalancerArn(s.alb().loadBalancerArn()).attributes(
            a -> a.key("access_logs.s3.bucket").value(otherLogBucket), a -> a.key("access_logs.s3.prefix").value("moved"))),
        s -> assertThat(lbAttributes(s.alb().loadBalancerArn())).containsEntry("access_logs.s3.enabled", "true")
            .containsEntry("access_logs.s3.bucket", logBucket).containsEntry("access_logs.s3.prefix", "drift")));
    Map<String, String> nlbAttrs = Map.of("deletion_protection.enabled", "false", "dns_record.client_routing_policy", "availability_zone_affinity");
    Map<String, String> nlbDrift = Map.of("deletion_protection.enabled", "true", "dns_record.client_routing_policy", "any_availability_zone");
    nlbAttrs.forEach((key, wanted) -> tags.add(row("NLB attribute " + key + " " + wanted + " -> " + nlbDrift.get(key), "tags",
        s -> elb.modifyLoadBalancerAttributes(q -> q.loadBalancerArn(s.nlb().loadBalancerArn()).attributes(a -> a.key(key).value(nlbDrift.get(key)))),
        s -> assertThat(lbAttributes(s.nlb().loadBalancerArn())).containsEntry(key, wanted))));
    // WAF (spec.alb.webAclArn on this stack).
    tags.add(row("NLB security groups swapped for another group", "tags",
        s -> elb.setSecurityGroups(q -> q.loadBalancerArn(s.nlb().loadBalancerArn()).securityGroups(pre.lambdaSecurityGroup())),
        s -> assertThat(s.nlb().securityGroups()).containsExactly(pre.albSecurityGroup())));
    tags.add(row("NLB security group inbound rules on PrivateLink traffic off -> on", "tags",
        s -> elb.setSecurityGroups(q -> q.loadBalancerArn(s.nlb().loadBalancerArn()).securityGroups(pre.albSecurityGroup())
            .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic("on")),
        s -> assertThat(s.nlb().enforceSecurityGroupInboundRulesOnPrivateLinkTraffic()).isEqualTo("off")));
    tags.add(row("ALB web ACL disassociated", "tags",
        s -> wafDo(waf -> waf.disassociateWebACL(q -> q.resourceArn(s.alb().loadBalancerArn()))),
        s -> assertThat(webAclOf(s.alb().loadBalancerArn())).isEqualTo(webAcl)));
    tags.add(row("ALB web ACL replaced by another one", "tags",
        s -> wafDo(waf -> waf.associateWebACL(q -> q.webACLArn(otherWebAcl).resourceArn(s.alb().loadBalancerArn()))),
        s -> assertThat(webAclOf(s.alb().loadBalancerArn())).isEqualTo(webAcl)));
    tags.add(row("function: a stray tag added", "tags", s -> lambda.tagResource(q -> q.resource(s.functionArn()).tags(Map.of("stray", "1"))),
        s -> assertThat(s.function().tags()).doesNotContainKey("stray")));

    return interleave(List.of(tags, fn, lb));
  }

  static Stream<NotInMoto> notInMoto() {
    return Stream.of(
        new NotInMoto("NLB listener protocol TCP -> UDP, TCP_UDP or TLS",
            "moto 5.2.1's ModifyListener answers UnsupportedProtocol for every NLB protocol but TCP (the one the operator sets)",
            s -> {
              for (String protocol : List.of("UDP", "TCP_UDP", "TLS")) {
                try {
                  elb.modifyListener(q -> q.listenerArn(s.nlbListener().listenerArn()).protocol(protocol)
                      .certificates(c -> c.certificateArn(certificate)));
                  throw new AssertionError("moto now accepts an NLB listener protocol " + protocol + ": move this field into the table");
                } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception e) {
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnsupportedProtocol");
                }
              }
            }),
        new NotInMoto("NLB static private IP of the subnet mapping",
            "settable only at creation, no API changes it; AWS (and the AWS rules layer) report it, and an NLB re-created "
                + "with another IP is replaced (LoadBalancerStep.compareImmutable, LoadBalancerStepTest)",
            s -> assertThat(s.nlb().availabilityZones()).allSatisfy(az -> assertThat(az.loadBalancerAddresses())
                .extracting(a -> a.privateIPv4Address()).singleElement().asString().startsWith("10.20.0."))),
        new NotInMoto("lambda target group: a stray function registered",
            "AWS holds one function per lambda target group (AWS rules layer: elb-one-function); a second is refused",
            s -> assertThatThrownBy(() -> elb.registerTargets(q -> q.targetGroupArn(s.lambdaTargets().targetGroupArn())
                .targets(t -> t.id(strayFunction)))).hasMessageContaining("only one Lambda function")),
        new NotInMoto("alb target group: the ALB registered on another port (8080)",
            "AWS registers an ALB only on a port it has a listener on (AWS rules layer: elb-alb-needs-listener)",
            s -> assertThatThrownBy(() -> elb.registerTargets(q -> q.targetGroupArn(s.albTargets().targetGroupArn())
                .targets(t -> t.id(s.alb().loadBalancerArn()).port(8080)))).hasMessageContaining("no listener on port 8080")));
  }

  // --- helpers ---

  /** One line of the table: kept for the end of the run, and written at once (a long run shows its progress). */
  private static void tableLine(String line) {
    report.add(line);
    write(List.of(line), java.nio.file.StandardOpenOption.APPEND);
  }

  private static void write(List<String> lines, java.nio.file.OpenOption mode) {
    try {
      Files.write(REPORT, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE, mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Row row(String field, String stack, Consumer<Stack> change, Consumer<Stack> asSpecified) {
    return new Row(field, stack, change, asSpecified, Duration.ZERO);
  }

  /** Round robin over the stacks' rows: a stack settles while the next row works on another. */
  private static Stream<Row> interleave(List<List<Row>> perStack) {
    List<Row> all = new ArrayList<>();
    int longest = perStack.stream().mapToInt(List::size).max().orElse(0);
    for (int i = 0; i < longest; i++) {
      for (List<Row> rows : perStack) {
        if (i < rows.size()) {
          all.add(rows.get(i));
        }
      }
    }
    return all.stream();
  }

  record TagAccess(java.util.function.BiConsumer<Stack, Map<String, String>> set, java.util.function.BiConsumer<Stack, String> remove,
      java.util.function.Function<Stack, Map<String, String>> read) {}

  private static TagAccess elbTags(java.util.function.Function<Stack, String> arn) {
    return new TagAccess(
        (s, kv) -> elb.addTags(q -> q.resourceArns(arn.apply(s)).tags(kv.entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())),
        (s, k) -> elb.removeTags(q -> q.resourceArns(arn.apply(s)).tagKeys(k)),
        s -> AwsInventory.tagsOf(elb, arn.apply(s)));
  }

  /**
   * Deletes the load balancer and creates one of the same name with other creation-only settings and our tags.
   * An ALB is deregistered from the alb target group first, and deleted once it has drained: AWS refuses to
   * delete an ALB registered (or draining) in an alb target group.
   */
  private static void recreate(LoadBalancer lb, Stack s,
      Consumer<software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest.Builder> settings) {
    Map<String, String> tags = AwsInventory.tagsOf(elb, lb.loadBalancerArn());
    if ("application".equals(lb.typeAsString())) {
      // The operator leaves a draining target alone, but may register it again in the moment between the drain's
      // end and the deletion: then it is deregistered again.
      String group = s.albTargets().targetGroupArn();
      long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        boolean registered = elb.describeTargetHealth(q -> q.targetGroupArn(group)).targetHealthDescriptions().stream()
            .anyMatch(d -> d.target().id().equals(lb.loadBalancerArn()) && !"draining".equals(d.targetHealth().stateAsString()));
        if (registered) {
          elb.deregisterTargets(q -> q.targetGroupArn(group).targets(t -> t.id(lb.loadBalancerArn()).port(80)));
        }
        try {
          elb.deleteLoadBalancer(q -> q.loadBalancerArn(lb.loadBalancerArn()));
          break;
        } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception e) {
          if (!"ResourceInUse".equals(e.awsErrorDetails().errorCode()) || System.nanoTime() > giveUp) {
            throw e;
          }
        }
        OperatorHarness.sleep(250);
      }
    } else {
      elb.deleteLoadBalancer(q -> q.loadBalancerArn(lb.loadBalancerArn()));
    }
    elb.createLoadBalancer(q -> {
      q.name(lb.loadBalancerName()).tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
      settings.accept(q);
    });
  }

  private static void setEnvironment(Stack s, Consumer<Map<String, String>> edit) {
    Map<String, String> env = new java.util.HashMap<>(s.function().configuration().environment().variables());
    edit.accept(env);
    lambda.updateFunctionConfiguration(q -> q.functionName(s.functionName()).environment(e -> e.variables(env)));
  }

  private static void assertSpecifiedVpc(GetFunctionResponse f) {
    assertThat(f.configuration().vpcConfig()).isNotNull();
    assertThat(f.configuration().vpcConfig().subnetIds()).containsExactlyInAnyOrder(pre.subnets().get("d"), pre.subnets().get("e"));
    assertThat(f.configuration().vpcConfig().securityGroupIds()).containsExactly(pre.lambdaSecurityGroup());
  }

  /** The function's reserved concurrency; empty when it has none (GetFunction then answers no Concurrency). */
  private static java.util.Optional<Integer> reservedConcurrency(Stack s) {
    return java.util.Optional.ofNullable(s.function().concurrency()).map(c -> c.reservedConcurrentExecutions());
  }

  private static Map<String, String> lbAttributes(String arn) {
    return elb.describeLoadBalancerAttributes(q -> q.loadBalancerArn(arn)).attributes().stream()
        .collect(Collectors.toMap(a -> a.key(), a -> a.value()));
  }

  private static void wafDo(Consumer<Wafv2Client> call) {
    try (Wafv2Client waf = Wafv2Client.create()) {
      call.accept(waf);
    }
  }

  private static String webAclOf(String albArn) {
    try (Wafv2Client waf = Wafv2Client.create()) {
      var acl = waf.getWebACLForResource(q -> q.resourceArn(albArn)).webACL();
      return acl == null ? null : acl.arn();
    }
  }

  private static List<String> sniCertificates(Listener l) {
    return elb.describeListenerCertificates(q -> q.listenerArn(l.listenerArn())).certificates().stream()
        .filter(c -> !Boolean.TRUE.equals(c.isDefault())).map(c -> c.certificateArn()).toList();
  }

  private static Listener onlyListener(String loadBalancerArn) {
    List<Listener> listeners = elb.describeListeners(q -> q.loadBalancerArn(loadBalancerArn)).listeners();
    assertThat(listeners).as("listeners of " + loadBalancerArn).hasSize(1);
    return listeners.get(0);
  }

  /** One default action, a forward to exactly this target group. */
  private static void assertForwardsOnlyTo(Listener l, String targetGroupArn) {
    assertThat(l.defaultActions()).singleElement().satisfies(a -> {
      assertThat(a.typeAsString()).isEqualTo("forward");
      assertThat(forwardedTo(a)).containsExactly(targetGroupArn);
    });
  }

  private static Set<String> forwardedTo(Action a) {
    if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
      return a.forwardConfig().targetGroups().stream().map(t -> t.targetGroupArn()).collect(Collectors.toSet());
    }
    return a.targetGroupArn() == null ? Set.of() : Set.of(a.targetGroupArn());
  }

  /** Registered targets as "id" or "id:port". */
  private static List<String> targets(TargetGroup tg) {
    return elb.describeTargetHealth(q -> q.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions().stream()
        .map(d -> d.target()).map(t -> t.port() == null || "lambda".equals(tg.targetTypeAsString()) ? t.id() : t.id() + ":" + t.port())
        .toList();
  }

  /** The source ARN of our invoke statement (principal ELB, action invoke), or null when there is none. */
  private static String permissionSource(Stack s) {
    try {
      JsonNode policy = JSON.readTree(lambda.getPolicy(q -> q.functionName(s.functionName())).policy());
      for (JsonNode st : policy.path("Statement")) {
        if (s.names().permissionStatementId().equals(st.path("Sid").asText())
            && "elasticloadbalancing.amazonaws.com".equals(st.path("Principal").path("Service").asText())
            && "lambda:InvokeFunction".equals(st.path("Action").asText())) {
          return st.path("Condition").path("ArnLike").path("AWS:SourceArn").asText(null);
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static String statusField(Stack s, String field) {
    Map<String, Object> status = (Map<String, Object>) operator.get(s.ns(), s.name()).getAdditionalProperties().get("status");
    return (String) ((Map<String, Object>) status.get("lambda")).get(field);
  }

  private static long operatorWrites() {
    return operator.awsCalls().snapshot().entrySet().stream().filter(e -> !AwsCallCounter.isRead(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

}
