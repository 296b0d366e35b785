package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Discovery and clean-up by owner tags against the real API server and moto: whatever carries an object's
 * owner tags but is no longer part of its chain goes once the chain serves; orphans of objects deleted
 * while the operator was down are reported, and deleted only when the operator is told to.
 */
@WithLocalWorld
class OwnerTagCleanupIT {

  private static final Duration RESYNC = Duration.ofSeconds(4);
  private static final Duration READY = Duration.ofSeconds(60);
  // Discovery lists at most twice per resync period, the orphan sweep runs once per period.
  private static final Duration WITHIN_TWO_RESYNCS = RESYNC.multipliedBy(2).plusSeconds(10);

  private static LocalWorld world;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static int nextIp = 100;
  private final List<OperatorHarness> harnesses = new ArrayList<>();

  @BeforeAll
  static void start(LocalWorld w) {
    world = w;
    pre = ArticlePrerequisites.create(world.awsRegion());
    elb = ElasticLoadBalancingV2Client.create();
    lambda = LambdaClient.create();
  }

  @AfterAll
  static void stop() {
    elb.close();
    lambda.close();
  }

  @AfterEach
  void closeOperator() {
    if (!harnesses.isEmpty()) {
      harnesses.get(harnesses.size() - 1).close();
    }
  }

  private OperatorHarness started(OperatorHarness h) {
    harnesses.add(h);
    return h;
  }

  private static String stack(String namespace, String name) {
    return pre.articleStack(namespace, name).replace("10.20.0.10", "10.20.0." + (nextIp++));
  }

  @SuppressWarnings("unchecked")
  private static String functionArn(GenericKubernetesResource r) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    return (String) ((Map<String, Object>) status.get("lambda")).get("functionArn");
  }

  private static boolean functionExists(String arn) {
    try {
      lambda.getFunction(q -> q.functionName(arn));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  /**
   * The Pending-first path of real AWS: a new function starts Pending, the run stops there and the status
   * records the NEW function's ARN, so no later run knows the old one. moto's functions are Active at once,
   * so the test puts the status exactly where that path leaves it, with the operator down.
   */
  @Test
  void aRenamedFunctionWhoseOldArnTheStatusNoLongerKnowsIsDeleted() {
    OperatorHarness first = started(OperatorHarness.start(world, RESYNC, 1));
    String ns = first.namespace(0);
    String yaml = stack(ns, "rename");
    first.apply(yaml);
    String oldArn = functionArn(first.awaitReady(ns, "rename", READY));

    first.stopOperator();
    first.apply(yaml.replace("      name: rename-" + ns + "\n", "      name: renamed-" + ns + "\n"));
    String newArn = oldArn.replace(":function:rename-" + ns, ":function:renamed-" + ns);
    first.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("rename").subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"lambda\":{\"functionArn\":\"" + newArn + "\"}}}");
    assertThat(functionArn(first.get(ns, "rename"))).isEqualTo(newArn);

    OperatorHarness second = started(first.startAgain(s -> s, null));
    assertThat(functionArn(second.awaitReady(ns, "rename", READY))).isEqualTo(newArn);
    await().atMost(WITHIN_TWO_RESYNCS).untilAsserted(() -> assertThat(functionExists(oldArn)).as("old function").isFalse());
    assertThat(functionExists(newArn)).isTrue();
    assertThat(AwsInventory.ownedBy(second.clusterName(), ns, "rename")).hasSize(5).contains(newArn).doesNotContain(oldArn);
  }

  @Test
  void aClusterNameChangeLeavesNothingTaggedWithTheFormerName() {
    OperatorHarness first = started(OperatorHarness.start(world, RESYNC, 1));
    String ns = first.namespace(0);
    first.apply(stack(ns, "moved"));
    String functionArn = functionArn(first.awaitReady(ns, "moved", READY));
    String formerName = first.clusterName();
    List<String> former = AwsInventory.ownedBy(formerName, ns, "moved");
    assertThat(former).hasSize(5);

    String newName = LocalWorld.uniqueName("it");
    OperatorHarness second = started(first.startAgain(s -> new OperatorSettings(newName, s.resyncPeriod(), s.namespaces())
        .withOrphanHandling(false, Set.of(formerName)), null));

    await().atMost(READY).untilAsserted(() -> {
      assertThat(AwsInventory.ownedBy(formerName, ns, "moved")).as("tagged with the former cluster name").isEmpty();
      assertThat(AwsInventory.ownedBy(newName, ns, "moved")).as("tagged with the new cluster name").hasSize(5);
    });
    second.awaitReady(ns, "moved", READY);
    // The function has a name of its own (spec.lambda.function.name): taken over and retagged, not recreated.
    assertThat(AwsInventory.ownedBy(newName, ns, "moved")).contains(functionArn);
    // Its invoke permission for the former lambda target group went with that group.
    String policy = lambda.getPolicy(q -> q.functionName(functionArn)).policy();
    former.stream().filter(a -> a.contains(":targetgroup/")).forEach(tg -> assertThat(policy).doesNotContain(tg));
    // Everything of the former name is gone from AWS, not only untagged.
    List<String> left = new ArrayList<>();
    elb.describeLoadBalancersPaginator(q -> q.pageSize(400)).loadBalancers().forEach(lb -> left.add(lb.loadBalancerArn()));
    elb.describeTargetGroupsPaginator(q -> q.pageSize(400)).targetGroups().forEach(tg -> left.add(tg.targetGroupArn()));
    assertThat(left).doesNotContainAnyElementsOf(former);
  }

  @Test
  void orphansOfAnObjectDeletedWhileTheOperatorWasDownAreReportedAndDeletedOnlyWhenToldTo() throws InterruptedException {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorHarness first = started(OperatorHarness.start(world, RESYNC, 1));
    String ns = first.namespace(0);
    first.apply(stack(ns, "lost"));
    first.apply(stack(ns, "alive"));
    first.apply(stack(ns, "kept").replace("deletionPolicy: Delete", "deletionPolicy: Retain"));
    first.awaitReady(ns, "lost", READY);
    first.awaitReady(ns, "alive", READY);
    first.awaitReady(ns, "kept", READY);
    String cluster = first.clusterName();
    // Retain: deleted with the operator up, its resources stay on purpose and are never orphans.
    var objects = first.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns);
    objects.withName("kept").delete();
    await().atMost(READY).untilAsserted(() -> assertThat(first.get(ns, "kept")).isNull());

    // The operator is down; the object is deleted and its finalizer removed by hand.
    first.stopOperator();
    objects.withName("lost").delete();
    // As a person would (kubectl patch --type merge): no resourceVersion, so nothing written to the object since
    // its deletion (the stopping operator's last status write) makes the patch conflict.
    objects.withName("lost").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(first.get(ns, "lost")).isNull());

    // Up again, orphans off: reported by the gauge, left alone.
    OperatorHarness reporting = started(first.startAgain(s -> s, metrics));
    await().atMost(WITHIN_TWO_RESYNCS).untilAsserted(() -> assertThat(orphans(metrics)).isEqualTo(5));
    assertThat(metrics.scrape()).as("on /metrics").contains("lambdaingress_orphans 5.0");
    Thread.sleep(RESYNC.toMillis());
    assertThat(AwsInventory.ownedBy(cluster, ns, "lost")).hasSize(5);
    assertThat(AwsInventory.ownedBy(cluster, ns, "alive")).hasSize(5);
    assertThat(AwsInventory.ownedBy(cluster, ns, "kept")).hasSize(5);

    // Told to delete orphans: the lost object's resources go, the live and the retained stay.
    SimpleMeterRegistry deleting = new SimpleMeterRegistry();
    started(reporting.startAgain(s -> s.withOrphanHandling(true, Set.of()), deleting));
    await().atMost(WITHIN_TWO_RESYNCS.plus(RESYNC)).untilAsserted(() -> {
      assertThat(AwsInventory.ownedBy(cluster, ns, "lost")).isEmpty();
      assertThat(orphans(deleting)).isZero();
    });
    assertThat(AwsInventory.ownedBy(cluster, ns, "alive")).hasSize(5);
    assertThat(AwsInventory.ownedBy(cluster, ns, "kept")).hasSize(5);
  }

  private static double orphans(MeterRegistry registry) {
    Gauge g = registry.find("lambdaingress.orphans").gauge();
    return g == null ? -1 : g.value();
  }
}
