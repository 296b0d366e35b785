package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.kinds.ListenerStep;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.ServingPathSampler;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * Canary rollouts on one live object, in order: a rollout through every step with the alias's weights seen
 * at each step; the operator stopped mid-rollout and started again carrying on at the same step; a newer
 * digest mid-rollout starting again from step 1; an alarm rolling back, the bad digest left alone until
 * the retry annotation changes; rollout switched off and on, the listener moving between the alias's and
 * the function's target groups (and a route's rule between its two), never forwarding to a group without a
 * target ELB may invoke ({@link io.lambdaingress.operator.testing.ServingPathSampler}); a route's function rolling out
 * through its own steps; the object deleted with both alias groups in use, nothing of it left. Pauses of 2 s keep the class short.
 */
// Among the longest classes: started early, after the crash table (see ChartOnNodeIT).
@Order(2)
@WithLocalWorld
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutIT {

  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final String NAME = "canary";
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static LambdaClient lambda;
  private static ElasticLoadBalancingV2Client elb;
  private static CloudWatchClient cloudWatch;
  private static String alarm;
  private static String ns;
  private static String functionName;

  @BeforeAll
  static void start(LocalWorld world) {
    // A tag moved in ECR is seen at the resync (no event): short, so that each rollout starts at once.
    operator = OperatorHarness.start(world, Duration.ofSeconds(3), 1);
    pre = ArticlePrerequisites.create(world.awsRegion());
    lambda = LambdaClient.create();
    elb = ElasticLoadBalancingV2Client.create();
    cloudWatch = CloudWatchClient.create();
    alarm = LocalWorld.uniqueName("orders-5xx");
    cloudWatch.putMetricAlarm(r -> r.alarmName(alarm).namespace("AWS/ApplicationELB").metricName("HTTPCode_Target_5XX_Count")
        .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(1.0)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    setAlarm(StateValue.OK);
    ns = operator.namespace(0);
  }

  @AfterAll
  static void stop() {
    operator.close();
    lambda.close();
    elb.close();
    cloudWatch.close();
  }

  private static String stack(boolean rollout) {
    String yaml = pre.articleStack(ns, NAME).replace("10.20.0.10", "10.20.0.90");
    if (!rollout) {
      return yaml;
    }
    String withRollout = yaml.replace("    multiValueHeaders: false", "      rollout:\n"
        + "        steps:\n"
        + "          - {weight: 10, pauseSeconds: 2}\n"
        + "          - {weight: 50, pauseSeconds: 2}\n"
        + "        alarms: [" + alarm + "]\n"
        + "    multiValueHeaders: false");
    assertThat(withRollout).isNotEqualTo(yaml);
    return withRollout;
  }

  @Test
  @Order(0)
  void badRolloutsAreRefusedAtApply() {
    String yaml = stack(true);
    for (String[] bad : new String[][] {
        {"{weight: 50, pauseSeconds: 2}", "{weight: 10, pauseSeconds: 2}", "weights must increase"},
        {"{weight: 50, pauseSeconds: 2}", "{weight: 100, pauseSeconds: 2}", "weight"},
        {"{weight: 10, pauseSeconds: 2}", "{weight: 10, pauseSeconds: 0}", "pauseSeconds"},
        {"alarms: [" + alarm + "]", "alarms: [" + alarm + ", " + alarm + "]", "listed twice"}}) {
      String edited = yaml.replace(bad[0], bad[1]);
      assertThat(edited).isNotEqualTo(yaml);
      assertThatThrownBy(() -> operator.apply(edited)).isInstanceOf(KubernetesClientException.class).hasMessageContaining(bad[2]);
    }
    String provisionedWithoutRollout = stack(false).replace("    multiValueHeaders: false", "      provisionedConcurrency: 2\n    multiValueHeaders: false");
    assertThat(provisionedWithoutRollout).isNotEqualTo(stack(false));
    assertThatThrownBy(() -> operator.apply(provisionedWithoutRollout)).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("provisionedConcurrency needs rollout");
  }

  @Test
  @Order(1)
  void theFirstImageServesThroughTheAlias() {
    operator.apply(stack(true));
    GenericKubernetesResource li = operator.awaitReady(ns, NAME, WAIT);
    functionName = field(li, "lambda", "functionArn").replaceAll(".*:function:", "");
    assertThat(rollout(li)).containsEntry("result", "Succeeded").containsEntry("stableVersion", "1");
    GetAliasResponse alias = lambda.getAlias(r -> r.functionName(functionName).name("live"));
    assertThat(alias.functionVersion()).isEqualTo("1");
    String tg = field(li, "alb", "targetGroupArn");
    assertThat(targets(tg)).containsExactly(alias.aliasArn());
    assertThat(lambda.getPolicy(r -> r.functionName(functionName).qualifier("live")).policy()).contains(tg);
  }

  @Test
  @Order(2)
  void aNewImageGoesThroughEveryStepWithItsConcurrencyKept() {
    // Reserved concurrency on the function, provisioned concurrency on the alias: set, READY before Ready.
    String concurrent = withConcurrency(stack(true), 2, 20);
    operator.apply(concurrent);
    GenericKubernetesResource set = awaitRollout(r -> "READY".equals(provisioned(r).get("status")));
    assertThat(provisioned(rollout(set))).containsEntry("qualifier", "live").containsEntry("functionVersion", "1")
        .containsEntry("requested", 2).containsEntry("allocated", 2);
    assertThat(lambda.getFunction(r -> r.functionName(functionName)).concurrency().reservedConcurrentExecutions()).isEqualTo(20);

    AliasWatch watch = AliasWatch.start(lambda, functionName);
    String digest = pre.pushImage("latest");
    // During the canary the alias is weighted: Lambda would refuse a Put, and the one made before stays in force.
    awaitRollout(r -> Integer.valueOf(1).equals(r.get("step")) && digest.equals(r.get("canaryDigest")));
    assertThat(lambda.getProvisionedConcurrencyConfig(r -> r.functionName(functionName).qualifier("live"))
        .requestedProvisionedConcurrentExecutions()).isEqualTo(2);
    GenericKubernetesResource done = awaitStable(digest);
    watch.stop();
    String v = (String) rollout(done).get("stableVersion");
    assertThat(watch.seen()).containsSubsequence("1", "1 +" + v + "@0.1", "1 +" + v + "@0.5", v);
    assertThat(lambda.getFunction(r -> r.functionName(functionName).qualifier(v)).code().imageUri()).endsWith("@" + digest);
    // The alias moved to the new version: Lambda provisions it (IN_PROGRESS, then READY), on the same configuration.
    GenericKubernetesResource after = awaitRollout(r -> "READY".equals(provisioned(r).get("status")) && v.equals(provisioned(r).get("functionVersion")));
    assertThat(provisioned(rollout(after))).containsEntry("requested", 2);

    // Changed in place, then removed.
    operator.apply(withConcurrency(stack(true), 3, 10));
    awaitRollout(r -> Integer.valueOf(3).equals(provisioned(r).get("requested")) && "READY".equals(provisioned(r).get("status")));
    assertThat(lambda.getFunction(r -> r.functionName(functionName)).concurrency().reservedConcurrentExecutions()).isEqualTo(10);
    operator.apply(stack(true));
    awaitRollout(r -> !r.containsKey("provisionedConcurrency"));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> lambda.getFunction(r -> r.functionName(functionName)).concurrency() == null);
    assertThatThrownBy(() -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName(functionName).qualifier("live")))
        .isInstanceOf(software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException.class);
  }

  /** The function with provisioned concurrency (on the alias) and reserved concurrency. */
  private static String withConcurrency(String yaml, int provisioned, int reserved) {
    String with = yaml.replace("      rollout:\n", "      provisionedConcurrency: " + provisioned + "\n      reservedConcurrency: " + reserved
        + "\n      rollout:\n");
    assertThat(with).isNotEqualTo(yaml);
    return with;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> provisioned(Map<String, Object> rollout) {
    Object pc = rollout.get("provisionedConcurrency");
    return pc == null ? Map.of() : (Map<String, Object>) pc;
  }

  @Test
  @Order(3)
  void anOperatorStartedAgainCarriesOnAtTheSameStep() {
    String stable = stableVersion();
    String digest = pre.pushImage("latest");
    GenericKubernetesResource atStep1 = awaitRollout(r -> Integer.valueOf(1).equals(r.get("step")) && digest.equals(r.get("canaryDigest")));
    String canary = (String) rollout(atStep1).get("canaryVersion");
    String startedAt = (String) rollout(atStep1).get("startedAt");
    operator.stopOperator();
    OperatorHarness.sleep(2500); // past the step's pause: nothing moves while no operator runs
    assertThat(weights()).isEqualTo(stable + " +" + canary + "@0.1");
    AliasWatch watch = AliasWatch.start(lambda, functionName);
    operator = operator.startAgain(s -> s, null);
    awaitStable(digest);
    watch.stop();
    // Step 2 next (never step 1 again), then everything; the rollout kept its start.
    assertThat(watch.seen()).containsSubsequence(stable + " +" + canary + "@0.5", canary).doesNotContain(stable);
    assertThat(watch.seen().indexOf(stable + " +" + canary + "@0.1")).isLessThanOrEqualTo(0);
    assertThat(startedAt).isNotNull();
  }

  @Test
  @Order(4)
  void aNewerDigestMidRolloutStartsAgainFromStepOne() {
    String stable = stableVersion();
    String first = pre.pushImage("latest");
    awaitRollout(r -> first.equals(r.get("canaryDigest")));
    String newer = pre.pushImage("latest");
    awaitRollout(r -> newer.equals(r.get("canaryDigest")) && Integer.valueOf(1).equals(r.get("step")));
    GenericKubernetesResource done = awaitStable(newer);
    String v = (String) rollout(done).get("stableVersion");
    // Old versions the operator published are pruned: only the stable one is left (no other alias).
    assertThat(lambda.listVersionsByFunction(r -> r.functionName(functionName)).versions())
        .extracting(c -> c.version()).containsExactlyInAnyOrder("$LATEST", v);
    assertThat(v).isNotEqualTo(stable);
  }

  @Test
  @Order(5)
  void aConfigurationChangeAloneReachesWhatTheAliasServes() {
    // Memory only, the same image: $LATEST has it at once, and so must the version the alias serves (a version is a
    // snapshot of code and configuration): a new version, the alias on it at once (no canary: no new code to try).
    String stable = stableVersion();
    String digest = (String) rollout(operator.get(ns, NAME)).get("stableDigest");
    String moreMemory = stack(true).replace("memoryMiB: 512", "memoryMiB: 1024");
    assertThat(moreMemory).isNotEqualTo(stack(true));
    operator.apply(moreMemory);
    GenericKubernetesResource moved = awaitRollout(r -> !stable.equals(r.get("stableVersion")));
    String v = (String) rollout(moved).get("stableVersion");
    assertThat(rollout(moved)).containsEntry("stableDigest", digest).containsEntry("result", "Succeeded");
    assertThat(lambda.getAlias(r -> r.functionName(functionName).name("live")).functionVersion()).isEqualTo(v);
    assertThat(lambda.getFunctionConfiguration(r -> r.functionName(functionName).qualifier(v)).memorySize()).isEqualTo(1024);
    operator.awaitReady(ns, NAME, WAIT);
    // Back: the same again, and the version before it pruned like any the operator published.
    operator.apply(stack(true));
    GenericKubernetesResource back = awaitRollout(r -> !v.equals(r.get("stableVersion")));
    String w = (String) rollout(back).get("stableVersion");
    assertThat(lambda.getFunctionConfiguration(r -> r.functionName(functionName).qualifier(w)).memorySize()).isEqualTo(512);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
        lambda.listVersionsByFunction(r -> r.functionName(functionName)).versions()).extracting(c -> c.version())
        .containsExactlyInAnyOrder("$LATEST", w));
    operator.awaitReady(ns, NAME, WAIT);
  }

  @Test
  @Order(6)
  void anAlarmRollsBackAndTheDigestWaitsForTheAnnotation() {
    String stable = stableVersion();
    String bad = pre.pushImage("latest");
    awaitRollout(r -> bad.equals(r.get("canaryDigest")));
    setAlarm(StateValue.ALARM);
    GenericKubernetesResource aborted = operator.awaitCondition(ns, NAME, "False", "RolloutAborted", WAIT);
    assertThat((String) OperatorHarness.readyCondition(aborted).get("message")).contains(alarm, bad);
    assertThat(weights()).isEqualTo(stable);
    assertThat(operator.client().v1().events().inNamespace(ns).list().getItems())
        .anyMatch(e -> "RolloutAborted".equals(e.getReason()) && "Warning".equals(e.getType()));

    setAlarm(StateValue.OK);
    OperatorHarness.sleep(3000);
    assertThat(rollout(operator.get(ns, NAME))).containsEntry("result", "Aborted").containsEntry("abortedDigest", bad);
    assertThat(weights()).isEqualTo(stable);

    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(NAME)
        .edit(r -> {
          r.getMetadata().setAnnotations(Map.of("lambdaingress.io/retry-rollout", "1"));
          return r;
        });
    // The retried digest is what the alias serves at the end: a version of its code. (The abort had deleted its version
    // while $LATEST stayed as it was; Lambda publishes no version of an unchanged $LATEST but answers with an existing
    // one, which ran the old code: the status said the new digest while the alias served the old one.)
    String v = (String) rollout(awaitStable(bad)).get("stableVersion");
    assertThat(lambda.getAlias(r -> r.functionName(functionName).name("live")).functionVersion()).isEqualTo(v);
    assertThat(lambda.getFunction(r -> r.functionName(functionName).qualifier(v)).code().imageUri()).endsWith("@" + bad);
  }

  @Test
  @Order(7)
  void aRoutesFunctionRollsOutThroughItsSteps() {
    String mainWeights = weights();
    pre.pushImage("route");
    operator.apply(withRoute(stack(true), true));
    Map<String, Object> route = awaitRoute(r -> "Succeeded".equals(rolloutOf(r).get("result")) && Boolean.TRUE.equals(r.get("ready")));
    String routeFunctionArn = (String) route.get("functionArn");
    String aliasGroup = (String) route.get("targetGroupArn");
    assertThat(aliasGroup).contains("-rta/");
    assertThat(targets(aliasGroup)).containsExactly(routeFunctionArn + ":live");
    assertThat(policy(routeFunctionArn + ":live")).contains(aliasGroup);

    AliasWatch watch = AliasWatch.start(lambda, name(routeFunctionArn));
    String digest = pre.pushImage("route");
    route = awaitRoute(r -> "Succeeded".equals(rolloutOf(r).get("result")) && digest.equals(rolloutOf(r).get("stableDigest")));
    watch.stop();
    String v = (String) rolloutOf(route).get("stableVersion");
    assertThat(watch.seen()).containsSubsequence("1", "1 +" + v + "@0.1", "1 +" + v + "@0.5", v);
    assertThat(operator.client().v1().events().inNamespace(ns).list().getItems())
        .anyMatch(e -> "RolloutStepped".equals(e.getReason()) && e.getMessage().startsWith("route orders: step 2"));
    // spec.lambda's function took no part: its alias is as it was.
    assertThat(weights()).isEqualTo(mainWeights);
  }

  @Test
  @Order(8)
  void switchingRolloutOffAndOnKeepsAnInvocableTarget() {
    GenericKubernetesResource before = operator.get(ns, NAME);
    String listener = field(before, "alb", "listenerArn");
    String aliasGroup = field(before, "alb", "targetGroupArn");
    String functionArn = field(before, "lambda", "functionArn");
    Map<String, Object> routeBefore = awaitRoute(r -> true);
    String routeFunctionArn = (String) routeBefore.get("functionArn");
    String routeAliasGroup = (String) routeBefore.get("targetGroupArn");
    // A group the listener left stays checked for half the operator's drain (LambdaSwitch.DRAIN): a sample sees a move up
    // to a read late.
    ServingPathSampler watch = ServingPathSampler.start(elb, lambda, listener, LambdaSwitch.DRAIN.dividedBy(2));

    // Off, for spec.lambda's function and the route's at once: each moves to its function's own group.
    operator.apply(withRoute(stack(false), false));
    GenericKubernetesResource off = awaitSwitched(functionArn);
    String functionGroup = field(off, "alb", "targetGroupArn");
    assertThat(functionGroup).isNotEqualTo(aliasGroup);
    Map<String, Object> route = awaitRoute(r -> true);
    assertThat(rolloutOf(route)).isEmpty();
    String routeFunctionGroup = (String) route.get("targetGroupArn");
    assertThat(routeFunctionGroup).contains("-rtg/");
    assertThat(targets(routeFunctionGroup)).containsExactly(routeFunctionArn);
    assertThat(ListenerStep.forwardedTo(elb.describeRules(r -> r.ruleArns((String) route.get("ruleArn"))).rules().get(0).actions().get(0)))
        .containsExactly(routeFunctionGroup);
    for (String fn : List.of(functionArn, routeFunctionArn)) {
      assertThatThrownBy(() -> lambda.getAlias(r -> r.functionName(name(fn)).name("live")))
          .isInstanceOf(software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class);
    }
    for (String gone : List.of(aliasGroup, routeAliasGroup)) {
      assertThatThrownBy(() -> elb.describeTargetGroups(r -> r.targetGroupArns(gone)))
          .isInstanceOf(software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException.class);
    }

    operator.apply(withRoute(stack(true), true));
    GenericKubernetesResource on = awaitSwitched(functionArn + ":live");
    watch.stop();
    assertThatThrownBy(() -> elb.describeTargetGroups(r -> r.targetGroupArns(functionGroup)))
        .isInstanceOf(software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException.class);
    // The function's own permission went with its group; the alias's is the only one, from the alias's group.
    assertThat(policy(functionName)).doesNotContain("lambda-ingress-");
    assertThat(policy(functionArn + ":live")).contains(field(on, "alb", "targetGroupArn"));
    assertThat(targets((String) awaitRoute(r -> true).get("targetGroupArn"))).containsExactly(routeFunctionArn + ":live");

    // At every sample the listener forwarded to a group holding a target ELB may invoke from it (the
    // function or the alias, each with its own permission in place before the listener moved to it), and
    // the group it left stayed so while ELB may still route by the previous configuration.
    assertThat(watch.problems()).isEmpty();
    assertThat(watch.targetsSeen()).containsSubsequence(aliasGroup + " -> " + functionArn + ":live", functionGroup + " -> " + functionArn,
        field(on, "alb", "targetGroupArn") + " -> " + functionArn + ":live");
    assertThat(watch.samples()).isGreaterThan(10);
  }

  @Test
  @Order(9)
  void deletingTheObjectLeavesNoGroupOfEitherTarget() {
    String routeFunctionArn = (String) awaitRoute(r -> true).get("functionArn");
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, NAME)).as("NLB, ALB, the alb group, both alias groups, both functions")
        .hasSize(7).anyMatch(arn -> arn.contains("-lta/")).anyMatch(arn -> arn.contains("-rta/"));

    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName(NAME).delete();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> operator.get(ns, NAME) == null);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, NAME)).isEmpty();
    assertThatThrownBy(() -> lambda.getFunction(r -> r.functionName(routeFunctionArn)))
        .isInstanceOf(software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class);
  }

  private static String name(String functionArn) {
    return functionArn.replaceAll(".*:function:", "");
  }

  /** The object with one route, orders, whose function runs the tag "route" of the same repository. */
  private static String withRoute(String yaml, boolean rollout) {
    String route = "  routes:\n"
        + "    - name: orders\n"
        + "      match:\n"
        + "        pathPatterns: [\"/orders\"]\n"
        + "      lambda:\n"
        + "        function:\n"
        + "          image: {repository: " + pre.repository() + ", tag: route}\n"
        + "          roleArn: " + pre.roleArn() + "\n"
        + (rollout ? "          rollout:\n"
            + "            steps:\n"
            + "              - {weight: 10, pauseSeconds: 2}\n"
            + "              - {weight: 50, pauseSeconds: 2}\n" : "");
    String with = yaml.replace("  tags:\n", route + "  tags:\n");
    assertThat(with).isNotEqualTo(yaml);
    return with;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> awaitRoute(java.util.function.Predicate<Map<String, Object>> condition) {
    Map<String, Object>[] found = new Map[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Map<String, Object> status = (Map<String, Object>) operator.get(ns, NAME).getAdditionalProperties().get("status");
      List<Map<String, Object>> routes = status == null ? null : (List<Map<String, Object>>) status.get("routes");
      found[0] = routes == null || routes.isEmpty() ? null : routes.get(0);
      return found[0] != null && condition.test(found[0]);
    });
    return found[0];
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rolloutOf(Map<String, Object> route) {
    Object r = route.get("rollout");
    return r == null ? Map.of() : (Map<String, Object>) r;
  }

  /** Ready, the listener forwarding to the status's lambda target group, which holds {@code target} alone. */
  private static GenericKubernetesResource awaitSwitched(String target) {
    GenericKubernetesResource[] found = new GenericKubernetesResource[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      found[0] = operator.awaitReady(ns, NAME, WAIT);
      String tg = field(found[0], "alb", "targetGroupArn");
      assertThat(ServingPathSampler.forwardedTo(elb, field(found[0], "alb", "listenerArn"))).containsExactly(tg);
      assertThat(targets(tg)).containsExactly(target);
      assertThat(rollout(found[0]).isEmpty()).isEqualTo(!target.endsWith(":live"));
    });
    return found[0];
  }

  // --- helpers ---

  private static void setAlarm(StateValue state) {
    cloudWatch.setAlarmState(r -> r.alarmName(alarm).stateValue(state).stateReason("set by RolloutIT"));
  }

  private static String stableVersion() {
    return (String) rollout(operator.get(ns, NAME)).get("stableVersion");
  }

  private static GenericKubernetesResource awaitStable(String digest) {
    return awaitRollout(r -> "Succeeded".equals(r.get("result")) && digest.equals(r.get("stableDigest")));
  }

  private static GenericKubernetesResource awaitRollout(java.util.function.Predicate<Map<String, Object>> condition) {
    GenericKubernetesResource[] found = new GenericKubernetesResource[1];
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      found[0] = operator.get(ns, NAME);
      return condition.test(rollout(found[0]));
    });
    return found[0];
  }

  private static String weights() {
    return AliasWatch.weights(lambda, functionName);
  }

  private static List<String> targets(String tg) {
    return elb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions().stream()
        .map(TargetHealthDescription::target).map(t -> t.id()).toList();
  }

  /** The resource policy of a function or one of its qualifiers ("arn:…:live"); empty when it has none. */
  private static String policy(String function) {
    try {
      return lambda.getPolicy(r -> r.functionName(function)).policy();
    } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
      return "";
    }
  }

  private static Map<String, Object> rollout(GenericKubernetesResource li) {
    return AliasWatch.rollout(li);
  }

  @SuppressWarnings("unchecked")
  private static String field(GenericKubernetesResource li, String piece, String name) {
    return (String) ((Map<String, Object>) ((Map<String, Object>) li.getAdditionalProperties().get("status")).get(piece)).get(name);
  }
}
