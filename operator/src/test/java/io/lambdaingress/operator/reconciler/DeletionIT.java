package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsFaultProxy;
import io.lambdaingress.operator.testing.AwsFaultProxy.Fault;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * What deleting (and replacing) does, as a person sees it: one {@code Deleted} Event per AWS resource
 * actually deleted; a deletion AWS refuses shows on the object (Ready=False, reason, what to do) and as one
 * Warning Event whose count grows with the retries; and a replacement deletes only the listeners it must.
 * Creations and updates the same way: said once AWS accepted them, never once per refused attempt.
 * The operator runs as a process behind {@link AwsFaultProxy}, which answers chosen calls as AWS would refuse them.
 */
// Among the longest classes: started early, after the crash table (see ChartOnNodeIT).
@Order(2)
@WithLocalWorld
class DeletionIT {

  private static final Duration READY = Duration.ofSeconds(90);

  private static KubernetesClient client;
  private static AwsFaultProxy proxy;
  private static OperatorProcess operator;
  private static String ns;
  private static String cluster;
  private static String region;
  private static int nextIp = 170;

  @BeforeAll
  static void setUp(LocalWorld world) throws Exception {
    client = world.adminClient();
    OperatorHarness.installCrds(client);
    ns = LocalWorld.uniqueName("del");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    cluster = LocalWorld.uniqueName("del");
    region = world.awsRegion();
    proxy = new AwsFaultProxy(world.awsEndpoint());
    operator = OperatorProcess.start(world, cluster, ns, 30, Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString()));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (operator != null) {
      operator.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    client.close();
  }

  private static String stack(String name) {
    return stack(ArticlePrerequisites.create(region), name);
  }

  private static String stack(ArticlePrerequisites pre, String name) {
    return pre.articleStack(ns, name).replace("10.20.0.10", "10.20.0." + (nextIp++));
  }

  private static GenericKubernetesResource apply(String yaml) {
    return client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).forceConflicts().serverSideApply();
  }

  private static GenericKubernetesResource get(String name) {
    return client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).get();
  }

  private static GenericKubernetesResource awaitReady(String name) {
    return await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get(name), r -> r != null
        && "True".equals(OperatorHarness.readyCondition(r).get("status"))
        && Long.valueOf(r.getMetadata().getGeneration()).equals(((Number) OperatorHarness.readyCondition(r).get("observedGeneration")).longValue()));
  }

  private static void delete(String name) {
    client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(name).delete();
  }

  private static List<Event> events(String name, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
  }

  /** "NLB li-...: object deleted" -> "NLB li-...": the resource each Deleted Event names. */
  private static List<String> deletedResources(String name) {
    return events(name, "Deleted").stream().map(e -> e.getMessage().substring(0, e.getMessage().indexOf(": "))).toList();
  }

  @Test
  void aNormalDeleteGivesOneDeletedEventPerResource() {
    apply(stack("plain"));
    awaitReady("plain");
    delete("plain");
    await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get("plain") == null);

    List<Event> deleted = events("plain", "Deleted");
    assertThat(deletedResources("plain")).as("one Deleted Event per resource").doesNotHaveDuplicates()
        .extracting(r -> r.substring(0, r.indexOf(' ')))
        .containsExactlyInAnyOrder("NLB", "alb", "ALB", "lambda", "function");
    assertThat(deleted).allSatisfy(e -> assertThat(e.getCount()).as(e.getMessage()).isEqualTo(1));
    assertThat(AwsInventory.ownedBy(cluster, ns, "plain")).as("nothing left in AWS").isEmpty();
  }

  @Test
  void aDeleteAwsRefusesShowsOnTheObjectAndAsOneWarningCountingTheRetries(LocalWorld world) throws Exception {
    apply(stack("denied"));
    awaitReady("denied");
    proxy.inject("DeleteLoadBalancer", Fault.accessDenied("DeleteLoadBalancer"), Integer.MAX_VALUE);
    try {
      delete("denied");

      // The condition: reason from our Reason enum, a one-line message that says what happened and what to do.
      Map<String, Object> ready = await().atMost(READY).pollInterval(Duration.ofMillis(200))
          .until(() -> OperatorHarness.readyCondition(get("denied")), c -> "AwsAccessDenied".equals(c.get("reason")));
      assertThat(ready).containsEntry("status", "False");
      assertThat((String) ready.get("message")).startsWith("deletion failed: ")
          .contains("elasticloadbalancing:DeleteLoadBalancer").contains("spec.deletionPolicy: Retain").doesNotContain("\n");
      assertThat(get("denied").getMetadata().getDeletionTimestamp()).as("still Terminating").isNotNull();

      // The Warning: one Event object, its count bumped by each retry (JOSDK's backoff: 2 s, 4 s, ...).
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(events("denied", "AwsAccessDenied")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getCount()).isGreaterThan(1);
            assertThat(e.getMessage()).contains("DeleteLoadBalancer");
          }));
      assertThat(deletedResources("denied")).as("nothing was deleted: no Deleted Event yet").isEmpty();
      assertThat(proxy.injected()).isGreaterThan(1);

      // A restarted operator (or a new leader) knows nothing of the count: it carries on the same Event.
      int before = events("denied", "AwsAccessDenied").get(0).getCount();
      operator.close();
      operator = OperatorProcess.start(world, cluster, ns, 30, Map.of("AWS_ENDPOINT_URL", proxy.endpoint().toString()));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(events("denied", "AwsAccessDenied")).singleElement()
              .satisfies(e -> assertThat(e.getCount()).isGreaterThan(before)));
    } finally {
      proxy.clear(); // the permission is granted
    }

    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> get("denied") == null);
    assertThat(deletedResources("denied")).as("after several refused attempts, still one Deleted Event per resource")
        .doesNotHaveDuplicates().hasSize(5);
    assertThat(events("denied", "Deleted")).allSatisfy(e -> assertThat(e.getCount()).as(e.getMessage()).isEqualTo(1));
    assertThat(AwsInventory.ownedBy(cluster, ns, "denied")).as("nothing left in AWS").isEmpty();
  }

  @Test
  void deletionProtectionKeepsTheObjectWithAClearStatusUntilTheSpecTurnsItOff() {
    String plain = stack("protected");
    String on = plain.replace("      path: /healthz\n", "      path: /healthz\n    attributes: {deletionProtection: true}\n")
        .replace("      port: 80\n  lambda:", "      port: 80\n    attributes: {deletionProtection: true, idleTimeoutSeconds: 120}\n  lambda:");
    assertThat(on).contains("attributes: {deletionProtection: true}").contains("idleTimeoutSeconds: 120");
    apply(on);
    GenericKubernetesResource ready = awaitReady("protected");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, String>> status = (Map<String, Map<String, String>>) ready.getAdditionalProperties().get("status");
    String nlbArn = status.get("nlb").get("arn");
    String albArn = status.get("alb").get("arn");
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      assertThat(attributes(elb, nlbArn)).containsEntry("deletion_protection.enabled", "true");
      assertThat(attributes(elb, albArn)).containsEntry("deletion_protection.enabled", "true")
          .containsEntry("idle_timeout.timeout_seconds", "120");

      delete("protected");
      Map<String, Object> refused = await().atMost(READY).pollInterval(Duration.ofMillis(200))
          .until(() -> OperatorHarness.readyCondition(get("protected")), c -> "InvalidSpec".equals(c.get("reason")));
      assertThat((String) refused.get("message")).startsWith("deletion failed: ").contains("has deletion protection on")
          .contains("spec.nlb.attributes.deletionProtection: true").contains("deletionPolicy: Retain");
      assertThat(get("protected").getMetadata().getDeletionTimestamp()).as("still Terminating").isNotNull();
      assertThat(elb.describeLoadBalancers(q -> q.loadBalancerArns(nlbArn)).loadBalancers()).as("the NLB stays").hasSize(1);

      // The spec turns it off (a Terminating object's spec can still change): the operator turns it off in AWS and deletes.
      apply(plain);
      await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get("protected") == null);
      assertThat(events("protected", "Updated")).extracting(Event::getMessage)
          .anySatisfy(m -> assertThat(m).startsWith("NLB ").contains("deletion protection turned off"))
          .anySatisfy(m -> assertThat(m).startsWith("ALB ").contains("deletion protection turned off"));
    }
    assertThat(AwsInventory.ownedBy(cluster, ns, "protected")).as("nothing left in AWS").isEmpty();
  }

  private static Map<String, String> attributes(ElasticLoadBalancingV2Client elb, String arn) {
    return elb.describeLoadBalancerAttributes(q -> q.loadBalancerArn(arn)).attributes().stream()
        .collect(java.util.stream.Collectors.toMap(a -> a.key(), a -> a.value()));
  }

  @Test
  void aTargetGroupReplacementLeavesAForeignListenerOnOurLoadBalancerAlone() {
    String yaml = stack("replace");
    GenericKubernetesResource before = awaitReady(apply(yaml).getMetadata().getName());
    String nlbArn = status(before, "nlb", "arn");
    String oldGroup = status(before, "nlb", "targetGroupArn");
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      String vpc = elb.describeTargetGroups(r -> r.targetGroupArns(oldGroup)).targetGroups().get(0).vpcId();
      String theirs = elb.createTargetGroup(r -> r.name(LocalWorld.uniqueName("theirs")).protocol("TCP").port(9000)
          .targetType("ip").vpcId(vpc)).targetGroups().get(0).targetGroupArn();
      String foreign = elb.createListener(r -> r.loadBalancerArn(nlbArn).protocol("TCP").port(9000)
          .defaultActions(a -> a.type("forward").targetGroupArn(theirs))).listeners().get(0).listenerArn();
      try {
        // The ALB's listener port is the alb target group's port, which AWS fixes at creation: a replacement.
        String changed = yaml.replace("    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 8080\n  lambda:");
        assertThat(changed).isNotEqualTo(yaml);
        apply(changed);
        GenericKubernetesResource after = awaitReady("replace");
        String newGroup = status(after, "nlb", "targetGroupArn");
        assertThat(newGroup).as("the alb target group was replaced").isNotEqualTo(oldGroup);

        List<Listener> listeners = elb.describeListeners(r -> r.loadBalancerArn(nlbArn)).listeners();
        assertThat(listeners).as("the foreign listener survived the replacement")
            .anySatisfy(l -> assertThat(l.listenerArn()).isEqualTo(foreign));
        assertThat(listeners).as("ours forwards to the new group").anySatisfy(l -> {
          assertThat(l.port()).isEqualTo(80);
          assertThat(ListenerStep.forwardsTo(l, newGroup)).isTrue();
        });
        assertThat(events("replace", "Deleted")).as("the detached listener is announced")
            .anySatisfy(e -> assertThat(e.getMessage()).startsWith("NLB listener TCP:80"));
      } finally {
        delete("replace");
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get("replace") == null);
        elb.deleteTargetGroup(r -> r.targetGroupArn(theirs));
      }
    }
  }

  /**
   * AWS refuses to delete a target group while a listener, a rule or a load balancer being deleted still
   * holds it, and the operator tries again a few seconds later. The Event says Deleted only once AWS took
   * the deletion: one Event with count 1, never one per refused attempt.
   */
  private static final Fault IN_USE = new Fault(400, "ResourceInUse", "Target group is currently in use by a listener or a rule");

  /** The Deleted Events whose resource starts with {@code resource}: after refusals, exactly one, counted once. */
  private static void deletedOnce(String name, String resource) {
    // The Event is written after AWS accepted the delete, so a moment after the resource is gone from AWS.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
        events(name, "Deleted").stream().anyMatch(e -> e.getMessage().startsWith(resource)));
    assertThat(events(name, "Deleted")).as("Deleted Events of " + resource)
        .filteredOn(e -> e.getMessage().startsWith(resource)).singleElement()
        .satisfies(e -> assertThat(e.getCount()).as(e.getMessage()).isEqualTo(1));
  }

  @Test
  void aRouteGroupAwsStillHoldsIsAnnouncedOnlyOnceItIsDeleted() {
    ArticlePrerequisites pre = ArticlePrerequisites.create(region);
    String route = "  routes:\n    - name: orders\n      match:\n        pathPatterns: [\"/orders\"]\n      lambda:\n        function:\n"
        + "          image: {repository: " + pre.repository() + ", tag: latest}\n          roleArn: " + pre.roleArn() + "\n";
    String yaml = stack(pre, "routed");
    String withRoute = yaml.replace("  tags:\n", route + "  tags:\n");
    assertThat(withRoute).isNotEqualTo(yaml);
    apply(withRoute);
    awaitReady("routed");
    int before = proxy.injected();
    proxy.inject("DeleteTargetGroup", IN_USE, 2);
    try {
      delete("routed");
      await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get("routed") == null);
    } finally {
      proxy.clear();
    }
    assertThat(proxy.injected() - before).as("the route's group was refused twice").isEqualTo(2);
    deletedOnce("routed", "route orders target group");
    assertThat(events("routed", "Deleted")).allSatisfy(e -> assertThat(e.getCount()).as(e.getMessage()).isEqualTo(1));
    assertThat(AwsInventory.ownedBy(cluster, ns, "routed")).as("nothing left in AWS").isEmpty();
  }

  @Test
  void aGroupARolloutSwitchLeavesIsAnnouncedOnlyOnceItIsDeleted() {
    ArticlePrerequisites pre = ArticlePrerequisites.create(region);
    String yaml = stack(pre, "switch");
    String withRollout = yaml.replace("    multiValueHeaders: false", "      rollout:\n        steps:\n"
        + "          - {weight: 50, pauseSeconds: 1}\n    multiValueHeaders: false");
    assertThat(withRollout).isNotEqualTo(yaml);
    GenericKubernetesResource on = awaitReady(apply(withRollout).getMetadata().getName());
    String aliasGroup = status(on, "alb", "targetGroupArn");
    int before = proxy.injected();
    proxy.inject("DeleteTargetGroup", IN_USE, 2);
    try {
      apply(yaml);
      awaitReady("switch");
    } finally {
      proxy.clear();
    }
    assertThat(proxy.injected() - before).as("the alias's group was refused twice").isEqualTo(2);
    String aliasGroupName = aliasGroup.replaceAll(".*:targetgroup/([^/]+)/.*", "$1");
    deletedOnce("switch", "lambda target group " + aliasGroupName);
    delete("switch");
    await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get("switch") == null);
  }

  @Test
  void aLeftoverGroupAwsStillHoldsIsAnnouncedOnlyOnceItIsDeleted() {
    String yaml = stack("leftover");
    awaitReady(apply(yaml).getMetadata().getName());
    String leftover = LocalWorld.uniqueName("left");
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      // A lambda target group with the object's owner tags that its chain does not use: clean-up deletes it.
      elb.createTargetGroup(r -> r.name(leftover).targetType("lambda").tags(
          t -> t.key(ChainModel.TAG_CLUSTER).value(cluster), t -> t.key(ChainModel.TAG_NAMESPACE).value(ns),
          t -> t.key(ChainModel.TAG_NAME).value("leftover")));
      int before = proxy.injected();
      proxy.inject("DeleteTargetGroup", IN_USE, 2);
      try {
        // A spec change: a run that converges, after which the clean-up by owner tags runs.
        apply(touched(yaml));
        await().atMost(READY).pollInterval(Duration.ofMillis(500)).until(() -> !groupExists(elb, leftover));
      } finally {
        proxy.clear();
      }
      assertThat(proxy.injected() - before).as("the leftover group was refused twice").isEqualTo(2);
      deletedOnce("leftover", "lambda target group " + leftover);
    } finally {
      delete("leftover");
      await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get("leftover") == null);
    }
  }

  private static String touched(String yaml) {
    String changed = yaml.replace("  tags:\n", "  tags:\n    touched: \"yes\"\n");
    assertThat(changed).isNotEqualTo(yaml);
    return changed;
  }

  private static boolean groupExists(ElasticLoadBalancingV2Client elb, String name) {
    try {
      return !elb.describeTargetGroups(r -> r.names(name)).targetGroups().isEmpty();
    } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException e) {
      return false;
    }
  }

  /**
   * A creation and an update AWS refuses (the run fails, JOSDK tries again) are said once they are made:
   * one {@code Created} and one {@code Updated} Event, each counted once, never one per refused attempt.
   */
  @Test
  void aCreationAndAnUpdateAwsRefusedAreAnnouncedOnlyOnceMade() {
    String yaml = stack("writes");
    try {
      int before = proxy.injected();
      proxy.inject("CreateTargetGroup", Fault.accessDenied("CreateTargetGroup"), 2);
      try {
        awaitReady(apply(yaml).getMetadata().getName());
      } finally {
        proxy.clear();
      }
      assertThat(proxy.injected() - before).as("the first target group's creation was refused twice").isEqualTo(2);
      assertThat(events("writes", "Created")).as("Created Events of the lambda target group")
          .filteredOn(e -> e.getMessage().startsWith("lambda target group ")).singleElement()
          .satisfies(e -> assertThat(e.getCount()).as(e.getMessage()).isEqualTo(1));

      String multiValue = yaml.replace("multiValueHeaders: false", "multiValueHeaders: true");
      assertThat(multiValue).isNotEqualTo(yaml);
      before = proxy.injected();
      proxy.inject("ModifyTargetGroupAttributes", Fault.accessDenied("ModifyTargetGroupAttributes"), 2);
      try {
        apply(multiValue);
        awaitReady("writes");
      } finally {
        proxy.clear();
      }
      assertThat(proxy.injected() - before).as("the attribute change was refused twice").isEqualTo(2);
      assertThat(events("writes", "Updated")).as("Updated Events of the lambda target group's attributes")
          .filteredOn(e -> e.getMessage().startsWith("lambda target group ") && e.getMessage().contains("multi_value_headers"))
          .singleElement().satisfies(e -> assertThat(e.getCount()).as(e.getMessage()).isEqualTo(1));
    } finally {
      delete("writes");
      await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> get("writes") == null);
    }
  }

  @SuppressWarnings("unchecked")
  private static String status(GenericKubernetesResource r, String piece, String field) {
    return (String) ((Map<String, Object>) ((Map<String, Object>) r.getAdditionalProperties().get("status")).get(piece)).get(field);
  }
}
