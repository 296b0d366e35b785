package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.model.LoadBalancerNames;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Bad input gets a clear answer and loses nothing: refused by the API server at apply (422, the field
 * named) where the schema can say so, otherwise Ready=False with a reason and a message naming the field
 * or resource. Throttling and AccessDenied are in AwsFaultsIT (moto cannot produce them). A role or an existing
 * function outside the operator's allow-lists is refused before AWS is asked (moto evaluates no IAM policy).
 */
@WithLocalWorld
class BadInputIT {

  private static final Duration ANSWER = Duration.ofSeconds(60);
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static int nextIp = 60;
  private static int nextName;

  @BeforeAll
  static void start(LocalWorld world) {
    operator = OperatorHarness.start(world, Duration.ofSeconds(5), 1);
    pre = ArticlePrerequisites.create(world.awsRegion());
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  private static String ns() {
    return operator.namespace(0);
  }

  /** The article's stack under a fresh name and static IP, changed by {@code edit}. */
  private static String stack(String name, UnaryOperator<String> edit) {
    String yaml = pre.articleStack(ns(), name).replace("10.20.0.10", "10.20.0." + (nextIp++));
    String edited = edit.apply(yaml);
    assertThat(edited).as("the edit changed the stack").isNotEqualTo(yaml);
    return edited;
  }

  private static String name(String prefix) {
    return prefix + (nextName++);
  }

  @ParameterizedTest(name = "{0} is refused at apply, naming {2}")
  @CsvSource(delimiter = '|', textBlock = """
      no NLB subnets               | 'subnetMappings:\\n      - subnetId: SUBNET_A\\n        privateIPv4Address: STATIC_IP' > 'subnetMappings: []' | spec.nlb.subnetMappings
      one ALB subnet               | 'subnets: [SUBNET_B, SUBNET_C]' > 'subnets: [SUBNET_B]'                           | spec.alb.subnets
      port 0                       | 'listener:\\n      port: 80\\n    healthCheck' > 'listener:\\n      port: 0\\n    healthCheck'   | spec.nlb.listener.port
      port 70000                   | 'listener:\\n      port: 80\\n  lambda' > 'listener:\\n      port: 70000\\n  lambda'            | spec.alb.listener.port
      a malformed role ARN         | 'roleArn: ROLE' > 'roleArn: sample-lambda'                                        | spec.lambda.function.roleArn
      a function name over 64      | 'name: FN' > 'name: FN-this-name-is-far-too-long-for-aws-lambda-which-allows-64'  | spec.lambda.function.name
      a malformed static IP        | 'privateIPv4Address: STATIC_IP' > 'privateIPv4Address: 10.20.0.300'                      | privateIPv4Address
      an unknown scheme            | 'scheme: internal\\n    crossZone' > 'scheme: private\\n    crossZone'           | spec.nlb.scheme
      a reserved tag prefix        | 'team: payments' > 'lambdaingress.io/name: someone-else'                          | reserved prefixes
      the operator's env variable  | 'ENV: hoge' > 'LAMBDA_INGRESS_HEALTH_PATH: /other'                                | LAMBDA_INGRESS_HEALTH_PATH
      an ALB attribute off the list| 'listener:\\n      port: 80\\n  lambda' > 'listener:\\n      port: 80\\n    attributes:\\n      extra: {deletion_protection.enabled: "true"}\\n  lambda' | spec.alb.attributes.extra takes only these keys
      an NLB attribute off the list| 'path: /healthz' > 'path: /healthz\\n    attributes:\\n      extra: {load_balancing.cross_zone.enabled: "false"}' | spec.nlb.attributes.extra takes only these keys
      an idle timeout over 4000    | 'listener:\\n      port: 80\\n  lambda' > 'listener:\\n      port: 80\\n    attributes: {idleTimeoutSeconds: 4001}\\n  lambda' | spec.alb.attributes.idleTimeoutSeconds
      HTTPS on the HTTP port       | 'listener:\\n      port: 80\\n  lambda' > 'listener:\\n      port: 80\\n    https: {port: 80, certificateArns: [arn:aws:acm:us-east-1:123456789012:certificate/a]}\\n  lambda' | spec.alb.https.port
      both function and functionArn| '    multiValueHeaders' > '    functionArn: arn:aws:lambda:us-east-1:123456789012:function:other\\n    multiValueHeaders' | exactly one of spec.lambda.function and spec.lambda.functionArn
      """)
  void refusedByTheApiServer(String what, String edit, String field) {
    String[] fromTo = edit.split(" > ");
    String name = name("refused");
    String yaml = pre.articleStack(ns(), name);
    String ip = "10.20.0." + (nextIp++);
    yaml = yaml.replace("10.20.0.10", ip);
    String from = placeholders(unquote(fromTo[0]), name, ip);
    String to = placeholders(unquote(fromTo[1]), name, ip);
    assertThat(yaml).as(what + ": the stack contains the text to change").contains(from);
    String bad = yaml.replace(from, to);

    assertThatThrownBy(() -> operator.apply(bad)).as(what)
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains(field);
        });
    assertThat(operator.get(ns(), name)).as("nothing was stored").isNull();
  }

  private static String unquote(String s) {
    String t = s.trim();
    return (t.startsWith("'") ? t.substring(1, t.length() - 1) : t).replace("\\n", "\n");
  }

  private static String placeholders(String s, String name, String ip) {
    return s.replace("SUBNET_A", pre.subnets().get("a")).replace("SUBNET_B", pre.subnets().get("b"))
        .replace("SUBNET_C", pre.subnets().get("c")).replace("ROLE", pre.roleArn()).replace("FN", name + "-" + ns()).replace("STATIC_IP", ip);
  }

  @Test
  void changingTheNlbSchemeIsRefusedAsImmutable() {
    String name = name("immutable");
    String yaml = stack(name, s -> s.replace("team: payments", "team: immutable"));
    operator.apply(yaml);
    assertThatThrownBy(() -> operator.apply(yaml.replaceFirst("scheme: internal", "scheme: internet-facing")))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.nlb.scheme is immutable");
        });
  }

  private static void assertNotReady(String yaml, String reason, String... messageParts) {
    operator.applyAndAwaitNotReady(yaml, reason, ANSWER, messageParts);
  }

  @Test
  void subnetsInTwoVpcs() {
    String other;
    try (Ec2Client ec2 = Ec2Client.create()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.40.0.0/16")).vpc().vpcId();
      other = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.40.1.0/24").availabilityZone("us-east-1c")).subnet().subnetId();
    }
    String name = name("vpcs");
    String c = pre.subnets().get("c");
    assertNotReady(stack(name, s -> s.replace(", " + c + "]", ", " + other + "]")), "InvalidSpec",
        "spec.alb.subnets[1]: subnet " + other, "one VPC");
  }

  @Test
  void staticIpOutsideItsSubnet() {
    String name = name("cidr");
    assertNotReady(stack(name, s -> s.replaceAll("privateIPv4Address: 10\\.20\\.0\\.\\d+", "privateIPv4Address: 10.20.7.7")),
        "InvalidSpec", "spec.nlb.subnetMappings[0].privateIPv4Address: 10.20.7.7 is outside subnet " + pre.subnets().get("a"));
  }

  @Test
  void albSubnetsInOneZone() {
    String name = name("zones");
    // Subnets a and d are both in zone a (ArticlePrerequisites spreads a..e over three zones).
    assertNotReady(stack(name, s -> s.replace(pre.subnets().get("b") + ", " + pre.subnets().get("c"),
        pre.subnets().get("a") + ", " + pre.subnets().get("d"))), "InvalidSpec", "spec.alb.subnets: an ALB needs subnets in at least two");
  }

  @Test
  void unknownSubnet() {
    String name = name("nosubnet");
    assertNotReady(stack(name, s -> s.replace(", " + pre.subnets().get("c") + "]", ", subnet-0000000000000dead]")),
        "DependencyNotFound", "spec.alb.subnets[1]", "subnet-0000000000000dead");
  }

  @Test
  void unknownSecurityGroup() {
    String name = name("nosg");
    assertNotReady(stack(name, s -> s.replace("securityGroups: [" + pre.albSecurityGroup() + "]", "securityGroups: [sg-0000000000000dead]")),
        "DependencyNotFound", "sg-0000000000000dead");
  }

  @Test
  void ecrRepositoryThatDoesNotExist() {
    String name = name("norepo");
    assertNotReady(stack(name, s -> s.replace("repository: " + pre.repository(), "repository: no-such-repository")),
        "DependencyNotFound", "ECR repository no-such-repository");
  }

  @Test
  void tagThatDoesNotExistYetThenIsPushed() {
    String name = name("notag");
    String tag = "release-" + name;
    assertNotReady(stack(name, s -> s.replace("tag: latest", "tag: " + tag)), "DependencyNotFound",
        "ECR image " + pre.repository() + ":" + tag);

    // Recovery: the image is pushed; nothing else changes, and the stack becomes Ready.
    pre.pushImage(tag);
    operator.awaitReady(ns(), name, Duration.ofSeconds(90));
  }

  @Test
  void aLoadBalancerNameTakenByAResourceWithoutOurTags() {
    String name = name("conflict");
    String taken = LoadBalancerNames.of(operator.clusterName(), ns(), name).alb();
    LoadBalancer foreign;
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      foreign = elb.createLoadBalancer(r -> r.name(taken).type("application").scheme("internal")
          .subnets(pre.subnets().get("b"), pre.subnets().get("c")).tags(t -> t.key("owner").value("someone-else"))).loadBalancers().get(0);

      assertNotReady(stack(name, s -> s.replace("team: payments", "team: conflict")), "NameConflict", "ALB " + taken, "not owned by this LambdaIngress");

      // A person sees it in kubectl describe as a Warning.
      assertThat(operator.client().v1().events().inNamespace(ns()).list().getItems())
          .filteredOn(e -> name.equals(e.getInvolvedObject().getName()))
          .anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("NameConflict");
            assertThat(e.getMessage()).contains(taken);
          });

      // Untouched, and still untouched after the object is deleted.
      operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns()).withName(name).delete();
      org.awaitility.Awaitility.await().atMost(ANSWER).until(() -> operator.get(ns(), name) == null);
      LoadBalancer after = elb.describeLoadBalancers(r -> r.names(taken)).loadBalancers().get(0);
      assertThat(after.loadBalancerArn()).isEqualTo(foreign.loadBalancerArn());
      assertThat(elb.describeTags(r -> r.resourceArns(after.loadBalancerArn())).tagDescriptions().get(0).tags())
          .extracting(t -> Map.entry(t.key(), t.value())).containsExactly(Map.entry("owner", "someone-else"));
      assertThat(elb.describeListeners(r -> r.loadBalancerArn(after.loadBalancerArn())).listeners()).isEmpty();
    }
  }

  @Test
  void anImageUriFromAnotherRegionIsRefusedAndOneFromOurRegionIsResolvedInItsRegistry() {
    String name = name("otherregion");
    assertNotReady(stack(name, s -> s.replace("repository: " + pre.repository() + "\n        tag: latest",
        "uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/" + pre.repository() + ":latest")),
        "InvalidSpec", "spec.lambda.function.image.uri: the image is in eu-west-1");

    // The same registry named by URI in our region: resolved like repository/tag.
    String ours = name("uri");
    operator.apply(stack(ours, s -> s.replace("repository: " + pre.repository() + "\n        tag: latest",
        "uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/" + pre.repository() + ":latest")));
    var ready = operator.awaitReady(ns(), ours, ANSWER);
    @SuppressWarnings("unchecked")
    var lambda = (Map<String, Object>) ((Map<String, Object>) ready.getAdditionalProperties().get("status")).get("lambda");
    assertThat((String) lambda.get("imageDigest")).startsWith("sha256:");
  }

  @Test
  void aRoleOutsideTheAllowedSetIsRefusedBeforeAwsIsAskedAndAnAllowedOneConverges() {
    String name = name("role");
    String outside;
    try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).build()) {
      // A real role that trusts Lambda, but not under /lambda-ingress/: IAM would refuse iam:PassRole.
      outside = iam.createRole(r -> r.roleName("outside-" + name + "-" + ns()).assumeRolePolicyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
              + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}]}")).role().arn();
    }
    String good = stack(name, s -> s.replace("team: payments", "team: role"));
    assertNotReady(good.replace("roleArn: " + pre.roleArn(), "roleArn: " + outside), "InvalidSpec",
        "spec.lambda.function.roleArn: role " + outside + " is not one this operator may pass to Lambda",
        "(allowed: arn:aws:iam::*:role/lambda-ingress/*)", "chart value allowedRoleArns");
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), name)).as("nothing created: refused before any AWS write").isEmpty();

    // What the message says to do: a role under the allowed path.
    operator.apply(good);
    operator.awaitReady(ns(), name, ANSWER);
  }

  @Test
  void anExistingFunctionNotInTheAllowListIsRefusedAndNotExposed() {
    String name = name("unlisted");
    String function = "unlisted-" + name + "-" + ns(); // not existing-*: outside OperatorHarness.EXISTING_FUNCTIONS
    String arn;
    try (LambdaClient lambda = LambdaClient.create(); EcrClient ecr = EcrClient.create()) {
      String repositoryUri = ecr.describeRepositories(r -> r.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
      arn = lambda.createFunction(r -> r.functionName(function).packageType("Image").role(pre.roleArn())
          .code(c -> c.imageUri(repositoryUri + "@" + pre.pushImage("unlisted")))).functionArn();
      String yaml = stack(name, s -> s.substring(0, s.indexOf("    function:\n")) + "    functionArn: " + arn + "\n"
          + s.substring(s.indexOf("    multiValueHeaders:")));
      assertNotReady(yaml, "InvalidSpec", "spec.lambda.functionArn: function " + arn + " is not an existing function this operator may expose",
          "(allowed: " + OperatorHarness.EXISTING_FUNCTIONS + ")", "chart value allowedFunctionArns");
      assertThatThrownBy(() -> lambda.getPolicy(r -> r.functionName(arn))).as("no invoke permission added")
          .isInstanceOf(ResourceNotFoundException.class);
    }
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), name)).as("nothing created").isEmpty();
  }
}
