package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * the retry annotation changes; rollout switched off and on with the target group never holding a target
 * ELB may not invoke. Pauses of 2 s keep the class short.
 */
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
  void aNewImageGoesThroughEveryStep() {
    AliasWatch watch = AliasWatch.start();
    String digest = pre.pushImage("latest");
    GenericKubernetesResource done = awaitStable(digest);
    watch.stop();
    String v = (String) rollout(done).get("stableVersion");
    assertThat(watch.seen()).containsSubsequence("1", "1 +" + v + "@0.1", "1 +" + v + "@0.5", v);
    assertThat(lambda.getFunction(r -> r.functionName(functionName).qualifier(v)).code().imageUri()).endsWith("@" + digest);
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
    AliasWatch watch = AliasWatch.start();
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
    awaitStable(bad);
  }

  @Test
  @Order(6)
  void switchingRolloutOffAndOnKeepsAnInvocableTarget() {
    String tg = field(operator.get(ns, NAME), "alb", "targetGroupArn");
    TargetWatch watch = TargetWatch.start(tg);
    operator.apply(stack(false));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      GenericKubernetesResource li = operator.awaitReady(ns, NAME, WAIT);
      assertThat(targets(tg)).containsExactly(field(li, "lambda", "functionArn"));
      assertThat(rollout(li)).isEmpty();
    });
    assertThatThrownBy(() -> lambda.getAlias(r -> r.functionName(functionName).name("live")))
        .isInstanceOf(software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class);
    operator.apply(stack(true));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      GenericKubernetesResource li = operator.awaitReady(ns, NAME, WAIT);
      assertThat(targets(tg)).containsExactly(field(li, "lambda", "functionArn") + ":live");
    });
    watch.stop();
    // Every target the group held was one ELB may invoke from it: the function or the alias, each with its
    // own permission in place before it was registered.
    assertThat(watch.uninvocable()).isEmpty();
    assertThat(watch.samples()).isGreaterThan(10);
    // AWS holds one function per group: the old target leaves right before the new one joins (two consecutive
    // calls, once the new permission had a run to propagate), which a 50 ms sample may catch once per switch.
    assertThat(watch.emptySamples()).as("samples of an empty group").isLessThanOrEqualTo(2);
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

  /** "1" (all to version 1) or "1 +2@0.1" (10 % to version 2). */
  private static String weights() {
    GetAliasResponse a = lambda.getAlias(r -> r.functionName(functionName).name("live"));
    Map<String, Double> w = a.routingConfig() == null ? Map.of() : new TreeMap<>(a.routingConfig().additionalVersionWeights());
    StringBuilder s = new StringBuilder(a.functionVersion());
    w.forEach((v, x) -> s.append(" +").append(v).append("@").append(x));
    return s.toString();
  }

  private static List<String> targets(String tg) {
    return elb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions().stream()
        .map(TargetHealthDescription::target).map(t -> t.id()).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rollout(GenericKubernetesResource li) {
    Map<String, Object> status = (Map<String, Object>) li.getAdditionalProperties().get("status");
    Map<String, Object> l = status == null ? null : (Map<String, Object>) status.get("lambda");
    Object r = l == null ? null : l.get("rollout");
    return r == null ? Map.of() : (Map<String, Object>) r;
  }

  @SuppressWarnings("unchecked")
  private static String field(GenericKubernetesResource li, String piece, String name) {
    return (String) ((Map<String, Object>) ((Map<String, Object>) li.getAdditionalProperties().get("status")).get(piece)).get(name);
  }

  /** A thread that takes a sample every {@code periodMillis} until stopped; a sample whose read fails is skipped. */
  private abstract static class Sampler {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Sampler(long periodMillis) {
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            sample();
          } catch (RuntimeException e) {
            // a read that fails is simply not a sample
          }
          OperatorHarness.sleep(periodMillis);
        }
      });
    }

    abstract void sample();

    void begin() {
      thread.start();
    }

    void stop() {
      running.set(false);
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Samples the alias every 100 ms and keeps each state once, in order of first sight. */
  private static final class AliasWatch extends Sampler {
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    private AliasWatch() {
      super(100);
    }

    @Override
    void sample() {
      String w = weights();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(w)) {
        seen.add(w);
      }
    }

    static AliasWatch start() {
      AliasWatch w = new AliasWatch();
      w.begin();
      return w;
    }

    List<String> seen() {
      return List.copyOf(seen);
    }
  }

  /** Samples a lambda target group every 50 ms: each target must be invocable by ELB from it at that moment. */
  private static final class TargetWatch extends Sampler {
    private final String tg;
    private final List<String> uninvocable = Collections.synchronizedList(new ArrayList<>());
    private int samples;
    private int empty;

    private TargetWatch(String tg) {
      super(50);
      this.tg = tg;
    }

    @Override
    void sample() {
      List<String> ids = targets(tg);
      samples++;
      if (ids.isEmpty()) {
        empty++;
      }
      for (String id : ids) {
        String policy;
        try {
          policy = lambda.getPolicy(r -> r.functionName(id)).policy();
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
          policy = "";
        }
        if (!policy.contains(tg)) {
          uninvocable.add(id);
        }
      }
    }

    static TargetWatch start(String tg) {
      TargetWatch w = new TargetWatch(tg);
      w.begin();
      return w;
    }

    List<String> uninvocable() {
      return List.copyOf(uninvocable);
    }

    int samples() {
      return samples;
    }

    int emptySamples() {
      return empty;
    }
  }
}
