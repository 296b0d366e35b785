package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.ArticleStack;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.ServingPathSampler;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Adoption (issue 23) of the article's stack as Terraform leaves it ({@link ArticleStack}, made with the AWS SDK): what
 * spec.adopt names is checked against the spec before any write, refused with nothing written when AWS would have to
 * replace it (the operator's call log shows no write), refused as a NameConflict when another object owns it, else
 * tagged as the object's and converged in place: the NLB keeps its ARN and its static IP, nothing is created or
 * deleted, and a sampler following the wiring (NLB listener -> healthy ALB in its group -> the ALB's listener -> the
 * function registered in its group, with a permission from that group) finds a serving path at every sample. Adopting
 * only the NLB and its listener builds the rest (its listener created with the owner tags) and moves the listener once,
 * when the new path serves ({@link ServingPathSampler}). Letting go:
 * Retain leaves every resource, without the owner tags; Delete deletes what was adopted. One world, two stacks made in
 * parallel; the methods share them in order.
 */
@WithLocalWorld
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdoptionIT {

  private static final Duration WAIT = Duration.ofSeconds(40);
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static ArticleStack whole;
  private static ArticleStack partial;
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static String ns;

  @BeforeAll
  static void start(LocalWorld world) {
    pre = ArticlePrerequisites.create(world.awsRegion());
    // The article's names for the stack adopted whole; the other one's carry a suffix.
    CompletableFuture<ArticleStack> first = CompletableFuture.supplyAsync(() -> ArticleStack.create(pre, "", "10.20.0.21"));
    CompletableFuture<ArticleStack> second = CompletableFuture.supplyAsync(() -> ArticleStack.create(pre, "-partial", "10.20.0.22"));
    operator = OperatorHarness.start(world, Duration.ofSeconds(3), 1);
    ns = operator.namespace(0);
    elb = ElasticLoadBalancingV2Client.create();
    lambda = LambdaClient.create();
    whole = first.join();
    partial = second.join();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    for (ArticleStack s : new ArticleStack[] {whole, partial}) {
      if (s != null) {
        s.destroy();
      }
    }
    elb.close();
    lambda.close();
  }

  /** The article's LambdaIngress adopting {@code adopt} (YAML lines under spec.adopt), changed by {@code edit}. */
  private static String object(String name, String staticIp, String adopt, String deletionPolicy, UnaryOperator<String> edit) {
    String yaml = """
        apiVersion: lambdaingress.io/v1alpha1
        kind: LambdaIngress
        metadata: {name: NAME, namespace: NS}
        spec:
          nlb:
            scheme: internal
            crossZoneLoadBalancing: true
            subnetMappings: [{subnetId: SUBNET_A, privateIPv4Address: STATIC_IP}]
            listener: {port: 80}
            healthCheck: {path: /healthz}
          alb:
            scheme: internal
            subnets: [SUBNET_B, SUBNET_C]
            securityGroups: [ALB_SG]
            listener: {port: 80}
          lambda:
            function:
              image: {repository: REPOSITORY, tag: latest}
              roleArn: ROLE
              timeoutSeconds: 30
              memoryMiB: 512
              environment: {ENV: hoge}
              vpc: {subnetIds: [SUBNET_D, SUBNET_E], securityGroupIds: [FN_SG]}
          tags: {team: payments}
          deletionPolicy: POLICY
          adopt:
        ADOPT""".replace("NAME", name).replace("NS", ns).replace("STATIC_IP", staticIp)
        .replace("SUBNET_A", pre.subnets().get("a")).replace("SUBNET_B", pre.subnets().get("b")).replace("SUBNET_C", pre.subnets().get("c"))
        .replace("SUBNET_D", pre.subnets().get("d")).replace("SUBNET_E", pre.subnets().get("e")).replace("ALB_SG", pre.albSecurityGroup())
        .replace("FN_SG", pre.lambdaSecurityGroup()).replace("REPOSITORY", pre.repository()).replace("ROLE", pre.roleArn())
        .replace("POLICY", deletionPolicy).replace("ADOPT", adopt);
    String edited = edit.apply(yaml);
    return edited;
  }

  /** spec.adopt naming all of a stack: load balancers and target groups by name or ARN, listeners by ARN, the function by name. */
  private static String all(ArticleStack s) {
    return "    nlb: " + s.nlbArn() + "\n    nlbListener: " + s.nlbListenerArn() + "\n    albTargetGroup: nlb-tg" + s.nlbName().substring("nlb".length()) + "\n    alb: " + s.albName()
        + "\n    albListener: " + s.albListenerArn() + "\n    lambdaTargetGroup: " + s.lambdaTargetGroupArn() + "\n    function: "
        + s.functionName() + "\n";
  }

  @Test
  @Order(0)
  void malformedAdoptionIsRefusedAtApply() {
    String good = object("refused", whole.staticIp(), all(whole), "Delete", y -> y);
    for (String[] bad : new String[][] {
        {"    nlb: " + whole.nlbArn() + "\n", "", "name the NLB in spec.adopt.nlb too"},
        {"    alb: alb\n", "", "name the ALB in spec.adopt.alb too"},
        {"    nlb: " + whole.nlbArn() + "\n", "    nlb: " + whole.albTargetGroupArn() + "\n", "spec.adopt.nlb"},
        // An ARN says the load balancer's type (net/, app/): the other type's is refused at once.
        {"    nlb: " + whole.nlbArn() + "\n", "    nlb: " + whole.albArn() + "\n", "spec.adopt.nlb"},
        {"    albListener: " + whole.albListenerArn() + "\n", "    albListener: " + whole.nlbListenerArn() + "\n", "spec.adopt.albListener"},
        {"    albTargetGroup: nlb-tg\n", "    albTargetGroup: nlb_tg\n", "spec.adopt.albTargetGroup"},
        {"    function: sample\n", "    function: " + whole.functionArn() + ":live\n", "spec.adopt.function"}}) {
      String edited = good.replace(bad[0], bad[1]);
      assertThat(edited).isNotEqualTo(good);
      assertThatThrownBy(() -> operator.apply(edited)).isInstanceOf(KubernetesClientException.class).hasMessageContaining(bad[2]);
    }
    String unmanaged = good.replaceAll("(?s)    function:\n      image:.*?securityGroupIds: \\[[^]]*]}\n", "    functionArn: " + whole.functionArn() + "\n");
    assertThat(unmanaged).contains("functionArn").doesNotContain("roleArn");
    assertThatThrownBy(() -> operator.apply(unmanaged)).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.adopt.function is managed once adopted");
  }

  @Test
  @Order(1)
  void whatAwsSetsOnlyAtCreationIsRefusedWithNothingWritten() {
    Map<String, Long> writesBefore = writes();
    Map<String, Map<String, String>> tagsBefore = tags(whole);
    Map<String, String[]> cases = new TreeMap<>(Map.of(
        "scheme", new String[] {"  nlb:\n    scheme: internal\n", "  nlb:\n    scheme: internet-facing\n",
            "NLB nlb: spec.nlb.scheme is internal on the resource but internet-facing in the spec",
            ", privateIPv4Address: " + whole.staticIp() + "}", "}"},
        "static-ip", new String[] {"privateIPv4Address: " + whole.staticIp(), "privateIPv4Address: 10.20.0.99",
            "spec.nlb.subnetMappings[].privateIPv4Address (" + pre.subnets().get("a") + ") is " + whole.staticIp()
                + " on the resource but 10.20.0.99 in the spec"},
        "subnet", new String[] {"{subnetId: " + pre.subnets().get("a") + ", privateIPv4Address: " + whole.staticIp() + "}",
            "{subnetId: " + pre.subnets().get("b") + "}", "spec.nlb.subnetMappings[].subnetId is [" + pre.subnets().get("a")
                + "] on the resource but [" + pre.subnets().get("b") + "] in the spec"},
        "alb-port", new String[] {"    listener: {port: 80}\n  lambda:", "    listener: {port: 8080}\n  lambda:",
            "alb target group nlb-tg: port (spec.alb.listener.port) is 80 on the resource but 8080 in the spec"},
        "alb-scheme", new String[] {"  alb:\n    scheme: internal\n", "  alb:\n    scheme: internet-facing\n",
            "ALB alb: spec.alb.scheme is internal on the resource but internet-facing in the spec"}));
    cases.forEach((name, c) -> {
      // An internet-facing NLB takes no private address (the CRD says so): that case drops it too.
      String yaml = object("mismatch-" + name, whole.staticIp(), all(whole), "Delete",
          y -> c.length > 3 ? y.replace(c[0], c[1]).replace(c[3], c[4]) : y.replace(c[0], c[1]));
      assertThat(yaml).contains(c[1]);
      operator.apply(yaml);
    });
    // A target the chain would have to swap inside an adopted group (AWS: one ALB per alb group, one function per lambda
    // group) would leave a moment without a target: refused too.
    operator.apply(object("mismatch-alb-group", whole.staticIp(), "    albTargetGroup: nlb-tg\n", "Delete", y -> y));
    operator.apply(object("mismatch-lambda-group", whole.staticIp(), "    lambdaTargetGroup: alb-tg\n", "Delete",
        y -> y.replace("    function:\n      image:", "    function:\n      name: another\n      image:")));
    operator.apply(object("mismatch-type", whole.staticIp(), "    nlb: " + whole.albName() + "\n", "Delete", y -> y));
    // The NLB's listener on the spec's port, not named: the chain could only change it, and what is not named is not touched.
    operator.apply(object("mismatch-unnamed-listener", whole.staticIp(), all(whole).replace("    nlbListener: " + whole.nlbListenerArn() + "\n", ""),
        "Delete", y -> y));
    cases.put("type", new String[] {"", "", "NLB alb: type is application on the resource but network in the spec"});
    cases.put("unnamed-listener", new String[] {"", "", "spec.adopt.nlbListener: listener " + whole.nlbListenerArn() + " of nlb is on port 80 "
        + "(spec.nlb.listener.port) but spec.adopt does not name it: name it in spec.adopt.nlbListener to adopt it"});
    cases.put("alb-group", new String[] {"", "", "alb target group nlb-tg holds " + whole.albArn() + ", not the ALB the chain makes"});
    cases.put("lambda-group", new String[] {"", "", "lambda target group alb-tg holds " + whole.functionArn() + ", not function another"});
    cases.forEach((name, c) -> {
      operator.awaitCondition(ns, "mismatch-" + name, "False", "InvalidSpec", WAIT);
      assertThat((String) operator.readyCondition(ns, "mismatch-" + name).get("message")).contains(c[2]).contains("nothing was changed in AWS");
    });
    // spec.adopt is fixed at creation: a refused object is corrected by a new one, never by moving it onto other resources.
    assertThatThrownBy(() -> operator.apply(object("mismatch-alb-scheme", whole.staticIp(), all(partial), "Delete",
        y -> y.replace(cases.get("alb-scheme")[0], cases.get("alb-scheme")[1])))).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.adopt is immutable");
    cases.keySet().forEach(name -> operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns)
        .withName("mismatch-" + name).delete());
    cases.keySet().forEach(name -> delete("mismatch-" + name));

    assertThat(writes()).as("the operator's AWS writes").isEqualTo(writesBefore);
    assertThat(tags(whole)).as("the stack's tags").isEqualTo(tagsBefore);
    assertThat(loadBalancer(whole.nlbName()).loadBalancerArn()).isEqualTo(whole.nlbArn());
  }

  @Test
  @Order(2)
  void theArticleStackIsAdoptedWholeWithItsIpsAndNothingCreatedOrDeleted() {
    Map<String, Long> writesBefore = writes();
    Map<String, Integer> countsBefore = counts("article");
    ServingPathSampler watch = watch(whole.nlbListenerArn());

    operator.apply(object("article", whole.staticIp(), all(whole), "Delete", y -> y));
    GenericKubernetesResource li = operator.awaitReady(ns, "article", WAIT);
    watch.stop();

    assertThat(watch.problems()).as("a serving path at every sample").isEmpty();
    assertThat(watch.samples()).isGreaterThan(5);
    assertThat(watch.forwardsSeen()).as("the NLB listener forwarded to nlb-tg throughout").containsExactly(whole.albTargetGroupArn());
    LoadBalancer nlb = loadBalancer("nlb");
    assertThat(nlb.loadBalancerArn()).isEqualTo(whole.nlbArn()).isEqualTo(status(li, "nlb", "arn"));
    assertThat(nlb.availabilityZones()).flatExtracting(az -> az.loadBalancerAddresses()).extracting(a -> a.privateIPv4Address())
        .containsExactly(whole.staticIp());
    assertThat(status(li, "nlb", "listenerArn")).isEqualTo(whole.nlbListenerArn());
    assertThat(status(li, "alb", "targetGroupArn")).isEqualTo(whole.lambdaTargetGroupArn());
    assertThat(counts("article")).as("load balancers, listeners, target groups and functions in the stack's VPC").isEqualTo(countsBefore);
    Map<String, Long> written = delta(writesBefore, writes());
    assertThat(written.keySet()).as("AWS writes of the adoption").noneMatch(a -> a.contains(":Create") || a.contains(":Delete"));
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "article")).as("owned by tags").containsExactlyInAnyOrder(
        whole.nlbArn(), whole.albTargetGroupArn(), whole.albArn(), whole.lambdaTargetGroupArn(), whole.functionArn());
    tags(whole).forEach((arn, tags) -> assertThat(tags).as(arn).containsEntry("lambdaingress.io/name", "article")
        .containsEntry("lambdaingress.io/namespace", ns).containsEntry("lambdaingress.io/cluster", operator.clusterName()));

    // What differed was changed in place, each field said in an Event and recorded in the status.
    List<Map<String, Object>> adopted = adopted(li);
    assertThat(adopted).extracting(a -> a.get("arn")).containsExactlyElementsOf(whole.arns());
    assertThat(adopted).flatExtracting(a -> changed(a)).contains("spec.lambda.function.memoryMiB: 128 -> 512", "spec.tags: keys [] -> keys [team]")
        .anyMatch(c -> c.startsWith("spec.nlb.healthCheck.path: ") && c.endsWith(" -> /healthz"));
    var fn = lambda.getFunction(r -> r.functionName("sample")).configuration();
    assertThat(fn.memorySize()).isEqualTo(512);
    assertThat(fn.environment().variables()).containsEntry("LAMBDA_INGRESS_HEALTH_PATH", "/healthz");
    assertThat(elb.describeTargetGroups(r -> r.names("nlb-tg")).targetGroups().get(0).healthCheckPath()).isEqualTo("/healthz");
    assertThat(operator.client().v1().events().inNamespace(ns).list().getItems()).filteredOn(e -> "AdoptionChange".equals(e.getReason()))
        .extracting(e -> e.getMessage())
        .contains("function sample: spec.lambda.function.memoryMiB: 128 -> 512 (changed in place)",
            "NLB nlb: spec.tags: keys [] -> keys [team] (changed in place)")
        .anyMatch(m -> m.startsWith("alb target group nlb-tg: spec.nlb.healthCheck.path: "));
  }

  @Test
  @Order(3)
  void whatAnotherObjectAdoptedIsANameConflict() {
    Map<String, Long> writesBefore = writes();
    operator.applyAndAwaitNotReady(object("second", whole.staticIp(), "    nlb: nlb\n", "Delete", y -> y), "NameConflict", WAIT,
        "spec.adopt.nlb: NLB nlb is owned by LambdaIngress " + ns + "/article");
    delete("second");
    assertThat(writes()).isEqualTo(writesBefore);
    assertThat(loadBalancer("nlb").loadBalancerArn()).isEqualTo(whole.nlbArn());
  }

  @Test
  @Order(4)
  void adoptingOnlyTheNlbBuildsTheRestAndMovesTheListenerOnceTheNewPathServes() {
    ServingPathSampler watch = watch(partial.nlbListenerArn());
    operator.apply(object("partial", partial.staticIp(), "    nlb: " + partial.nlbName() + "\n    nlbListener: " + partial.nlbListenerArn()
        + "\n", "Delete", y -> y.replace("    function:\n      image:", "    function:\n      name: partial-new\n      image:")));
    GenericKubernetesResource li = operator.awaitReady(ns, "partial", WAIT);
    watch.stop();

    assertThat(watch.problems()).as("a serving path at every sample").isEmpty();
    String created = status(li, "nlb", "targetGroupArn");
    assertThat(created).contains("-atg/");
    assertThat(watch.forwardsSeen()).as("moved once, from the stack's group to the new one").containsExactly(partial.albTargetGroupArn(), created);
    assertThat(status(li, "nlb", "arn")).isEqualTo(partial.nlbArn());
    assertThat(status(li, "nlb", "listenerArn")).isEqualTo(partial.nlbListenerArn());
    assertThat(loadBalancer(partial.nlbName()).availabilityZones()).flatExtracting(az -> az.loadBalancerAddresses())
        .extracting(a -> a.privateIPv4Address()).containsExactly(partial.staticIp());
    // The stack's own ALB side is not the object's: untouched, still there.
    Map<String, Map<String, String>> tags = tags(partial);
    assertThat(tags.get(partial.nlbArn())).containsEntry("lambdaingress.io/name", "partial");
    assertThat(tags.get(partial.nlbListenerArn())).containsEntry("lambdaingress.io/name", "partial");
    for (String other : List.of(partial.albTargetGroupArn(), partial.albArn(), partial.lambdaTargetGroupArn(), partial.functionArn())) {
      assertThat(tags.get(other)).as(other).doesNotContainKey("lambdaingress.io/name");
    }
    assertThat(adopted(li)).extracting(a -> a.get("arn")).containsExactly(partial.nlbArn(), partial.nlbListenerArn());
    // The listener the operator created carries the owner tags from its CreateListener on: the IAM policy lets the
    // operator change a listener that is not on a li-* load balancer (an adopted one's) by that tag only.
    assertThat(AwsInventory.tagsOf(elb, status(li, "alb", "listenerArn"))).as("the created ALB listener")
        .containsEntry("lambdaingress.io/name", "partial").containsEntry("lambdaingress.io/namespace", ns)
        .containsEntry("lambdaingress.io/cluster", operator.clusterName());
  }

  @Test
  @Order(5)
  void retainLeavesEveryAdoptedResourceWithoutTheOwnerTags() {
    operator.apply(object("article", whole.staticIp(), all(whole), "Retain", y -> y));
    operator.awaitReady(ns, "article", WAIT);
    delete("article");

    assertThat(loadBalancer("nlb").loadBalancerArn()).isEqualTo(whole.nlbArn());
    tags(whole).forEach((arn, tags) -> assertThat(tags.keySet()).as(arn).noneMatch(k -> k.startsWith("lambdaingress.io/")));
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "article")).isEmpty();
    assertThat(elb.describeListeners(r -> r.listenerArns(whole.nlbListenerArn())).listeners()).singleElement()
        .satisfies(l -> assertThat(ListenerStep.forwardedTo(l.defaultActions().get(0))).containsExactly(whole.albTargetGroupArn()));
    assertThat(lambda.getFunction(r -> r.functionName("sample")).configuration().functionArn()).isEqualTo(whole.functionArn());
  }

  @Test
  @Order(6)
  void deleteRemovesWhatWasAdoptedWithTheRest() {
    delete("partial");
    assertThatThrownBy(() -> elb.describeLoadBalancers(r -> r.loadBalancerArns(partial.nlbArn())))
        .isInstanceOf(LoadBalancerNotFoundException.class);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "partial")).isEmpty();
    // What it never adopted stays: the stack's ALB side.
    assertThat(loadBalancer(partial.albName()).loadBalancerArn()).isEqualTo(partial.albArn());
    assertThat(lambda.getFunction(r -> r.functionName(partial.functionName())).configuration().functionArn()).isEqualTo(partial.functionArn());
  }

  private static void delete(String name) {
    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).delete();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> operator.get(ns, name) == null);
  }

  /** The operator's AWS writes so far, by IAM action. */
  private static Map<String, Long> writes() {
    Map<String, Long> w = new TreeMap<>(operator.awsCalls().snapshot());
    w.keySet().removeIf(AwsCallCounter::isRead);
    return w;
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach((k, v) -> {
      if (v - before.getOrDefault(k, 0L) > 0) {
        d.put(k, v - before.getOrDefault(k, 0L));
      }
    });
    return d;
  }

  /**
   * Load balancers, their listeners, target groups and functions of the stacks' VPC. A lambda target group has no VPC:
   * those counted are the stacks' and any under the names the operator derives for {@code name} (other classes make
   * lambda groups of their own meanwhile).
   */
  private static Map<String, Integer> counts(String name) {
    List<LoadBalancer> lbs = elb.describeLoadBalancersPaginator().loadBalancers().stream().filter(lb -> pre.vpcId().equals(lb.vpcId())).toList();
    int listeners = lbs.stream().mapToInt(lb -> elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().size()).sum();
    var derived = io.lambdaingress.operator.model.LoadBalancerNames.of(operator.clusterName(), ns, name);
    List<String> lambdaGroups = List.of("alb-tg", "alb-tg-partial", derived.lambdaTargetGroup(), derived.lambdaAliasTargetGroup(),
        derived.second().lambdaTargetGroup(), derived.second().lambdaAliasTargetGroup());
    long groups = elb.describeTargetGroupsPaginator().targetGroups().stream()
        .filter(tg -> pre.vpcId().equals(tg.vpcId()) || lambdaGroups.contains(tg.targetGroupName())).count();
    long functions = lambda.listFunctionsPaginator().functions().stream().filter(f -> f.vpcConfig() != null && pre.vpcId().equals(f.vpcConfig().vpcId()))
        .count();
    return Map.of("load balancers", lbs.size(), "listeners", listeners, "target groups", (int) groups, "functions", (int) functions);
  }

  /** Each resource's tags, by ARN. */
  private static Map<String, Map<String, String>> tags(ArticleStack s) {
    Map<String, Map<String, String>> tags = new TreeMap<>();
    for (String arn : s.arns()) {
      tags.put(arn, arn.contains(":lambda:") ? lambda.listTags(r -> r.resource(arn)).tags() : AwsInventory.tagsOf(elb, arn));
    }
    return tags;
  }

  private static LoadBalancer loadBalancer(String name) {
    return elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0);
  }

  @SuppressWarnings("unchecked")
  private static String status(GenericKubernetesResource li, String piece, String field) {
    return (String) ((Map<String, Object>) ((Map<String, Object>) li.getAdditionalProperties().get("status")).get(piece)).get(field);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> adopted(GenericKubernetesResource li) {
    return (List<Map<String, Object>>) ((Map<String, Object>) li.getAdditionalProperties().get("status")).get("adopted");
  }

  @SuppressWarnings("unchecked")
  private static List<String> changed(Map<String, Object> adopted) {
    return adopted.get("changedFields") == null ? List.of() : (List<String>) adopted.get("changedFields");
  }

  /** A serving path from the NLB listener, sampled until stopped; the grace of a group it left is RolloutIT's. */
  private static ServingPathSampler watch(String nlbListenerArn) {
    return ServingPathSampler.start(elb, lambda, nlbListenerArn, LambdaSwitch.DRAIN.dividedBy(2));
  }
}
