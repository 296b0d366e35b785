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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Ready=True means the NLB takes connections (issue 21): not while AWS still reports the NLB or the ALB
 * provisioning (LoadBalancerState), nor before the NLB's health check of the ALB, which passes through the
 * ALB's listener to the function, reports the ALB healthy (DescribeTargetHealth of the alb target group).
 * The object's status is watched throughout, and each time it says Ready=True AWS is asked at that moment:
 * both states only move forward, so an answer of provisioning or not healthy then means Ready came too early.
 */
// Beside the other classes: the longer provisioning and health check times are this class's key's only.
@WithLocalWorld
class ServingReadinessIT {

  private static final List<String> KNOBS = List.of("loadBalancerProvisioningSeconds", "targetHealthCheckSeconds");

  private static LocalWorld world;
  private static Map<String, Number> before;
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;

  @BeforeAll
  static void start(LocalWorld w) {
    world = w.asCaller("AKIDSERVINGREADINESS");
    pre = ArticlePrerequisites.create(w.awsRegion());
    before = world.awsRuleKnobs(KNOBS);
    // Long enough to be seen: health turns healthy only after both load balancers are active.
    world.setAwsRules(Map.of("loadBalancerProvisioningSeconds", 8, "targetHealthCheckSeconds", 12));
    operator = OperatorHarness.start(world, Duration.ofSeconds(5), 1);
    elb = world.aws(ElasticLoadBalancingV2Client.builder()).build();
  }

  @AfterAll
  static void stop() {
    world.setAwsRules(before);
    if (operator != null) {
      operator.close();
    }
    elb.close();
  }

  @Test
  void readyComesOnlyOnceBothLoadBalancersAreActiveAndTheAlbIsHealthy() {
    String ns = operator.namespace(0);
    List<String> early = new ArrayList<>();
    List<String> waits = new ArrayList<>();
    operator.apply(pre.articleStack(ns, "serving"));
    OperatorHarness.Watched w = OperatorHarness.watchUntil(
        operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("serving"), r -> {
          Map<String, Object> ready = OperatorHarness.readyCondition(r);
          if ("False".equals(ready.get("status")) && "Progressing".equals(ready.get("reason"))) {
            waits.add(String.valueOf(ready.get("message")));
          }
          if (!"True".equals(ready.get("status"))) {
            return false;
          }
          String seen = whatAwsSays(r);
          if (!seen.isEmpty()) {
            early.add(seen);
          }
          return true;
        }, Duration.ofSeconds(120));

    assertThat(w.satisfied()).as("Ready=True within 120 s; last Ready condition: %s", OperatorHarness.readyCondition(w.object())).isTrue();
    assertThat(early).as("what AWS said when the object first said Ready=True").isEmpty();
    assertThat(waits).as("the Progressing messages seen on the way").anyMatch(m -> m.contains("is provisioning"))
        .anyMatch(m -> m.contains("the NLB's health check of ALB"));

    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("serving").delete();
    await().atMost(Duration.ofSeconds(90)).until(() -> operator.get(ns, "serving") == null);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "serving")).isEmpty();
  }

  /** Empty when AWS says the chain serves now; otherwise what it says instead. */
  @SuppressWarnings("unchecked")
  private static String whatAwsSays(GenericKubernetesResource r) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    String nlbArn = (String) ((Map<String, Object>) status.get("nlb")).get("arn");
    String albArn = (String) ((Map<String, Object>) status.get("alb")).get("arn");
    String albGroupArn = (String) ((Map<String, Object>) status.get("nlb")).get("targetGroupArn");
    List<String> not = new ArrayList<>();
    elb.describeLoadBalancers(q -> q.loadBalancerArns(nlbArn, albArn)).loadBalancers().stream()
        .filter(lb -> !"active".equals(lb.state().codeAsString()))
        .forEach(lb -> not.add(lb.loadBalancerName() + " is " + lb.state().codeAsString()));
    var health = elb.describeTargetHealth(q -> q.targetGroupArn(albGroupArn)).targetHealthDescriptions();
    if (health.isEmpty()) {
      not.add("the alb target group has no target");
    }
    health.stream().filter(d -> !"healthy".equals(d.targetHealth().stateAsString()))
        .forEach(d -> not.add("target " + d.target().id() + " is " + d.targetHealth().stateAsString()));
    return String.join("; ", not);
  }
}
