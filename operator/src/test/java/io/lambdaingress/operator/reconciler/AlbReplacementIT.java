package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.Sampler;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * An ALB scheme change (AWS sets a scheme only at creation) on the article stack, with the world as strict as
 * AWS (an ALB registered or draining in an alb target group cannot be deleted; an alb target group holds one
 * ALB; a target group serves one load balancer; a deregistered target drains): the new ALB serves before the
 * NLB moves to it, the old one is drained and deleted, and one ALB is left (issue 21). Throughout, a sampler
 * reads the alb target group the NLB's listener forwards to at that moment and asks AWS for its targets'
 * health: every sample must find a healthy ALB there. The drain is a wait that heals by itself, so the object
 * shows no Warning Event.
 */
@WithLocalWorld
class AlbReplacementIT {

  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;

  @BeforeAll
  static void start(LocalWorld world) {
    operator = OperatorHarness.start(world, Duration.ofSeconds(4), 1);
    pre = ArticlePrerequisites.create(world.awsRegion());
    elb = ElasticLoadBalancingV2Client.create();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    elb.close();
  }

  @Test
  void aSchemeChangeServesThroughoutAndLeavesOneAlb() {
    String ns = operator.namespace(0);
    String internal = pre.articleStack(ns, "rescheme");
    operator.apply(internal);
    GenericKubernetesResource ready = operator.awaitReady(ns, "rescheme", Duration.ofSeconds(60));
    String nlbArn = status(ready, "nlb", "arn");
    String firstAlb = status(ready, "alb", "arn");

    ServingSampler serving = new ServingSampler(nlbArn);
    String internetFacing = internal.replace("  alb:\n    scheme: internal\n", "  alb:\n    scheme: internet-facing\n");
    assertThat(internetFacing).isNotEqualTo(internal);
    operator.apply(internetFacing);
    String secondAlb = awaitOneAlb(ns, nlbArn, "internet-facing");
    assertThat(secondAlb).isNotEqualTo(firstAlb);

    // And back: the first names are free again, and the same holds.
    operator.apply(internal);
    String thirdAlb = awaitOneAlb(ns, nlbArn, "internal");
    assertThat(thirdAlb).isNotIn(firstAlb, secondAlb);
    serving.stop();

    assertThat(serving.failures).as("samples where the NLB's current alb target group had no healthy ALB").isEmpty();
    assertThat(serving.count.get()).as("samples taken").isGreaterThan(10);
    assertThat(serving.groups).as("alb target groups the NLB forwarded to, in order").hasSize(3);
    List<String> owned = AwsInventory.ownedBy(operator.clusterName(), ns, "rescheme");
    assertThat(albs(ns, nlbArn)).containsExactly(thirdAlb);
    assertThat(owned).filteredOn(a -> a.contains(":targetgroup/")).as("the alb and the lambda target group").hasSize(2);

    var events = operator.client().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "rescheme".equals(e.getInvolvedObject().getName())).toList();
    assertThat(events).noneMatch(e -> "Warning".equals(e.getType()));
    assertThat(events).filteredOn(e -> "Deregistered".equals(e.getReason()) && e.getMessage().startsWith("alb target group"))
        .as("the old ALB deregistered, each time").hasSize(2).allMatch(e -> "Normal".equals(e.getType()));
  }

  /** Waits for Ready at the current generation with exactly one ALB of ours, of this scheme, the status's; returns its ARN. */
  private static String awaitOneAlb(String ns, String nlbArn, String scheme) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      // Shorter than the whole wait, so that a failure says the last Ready condition.
      GenericKubernetesResource r = operator.awaitReady(ns, "rescheme", Duration.ofSeconds(20));
      List<String> albs = albs(ns, nlbArn);
      assertThat(albs).containsExactly(status(r, "alb", "arn"));
      assertThat(elb.describeLoadBalancers(q -> q.loadBalancerArns(albs)).loadBalancers().get(0).schemeAsString()).isEqualTo(scheme);
    });
    return status(operator.get(ns, "rescheme"), "alb", "arn");
  }

  /** Our load balancers but the NLB (moto's NLB ARNs read loadbalancer/app/ too, so the ARN cannot tell). */
  private static List<String> albs(String ns, String nlbArn) {
    return AwsInventory.ownedBy(operator.clusterName(), ns, "rescheme").stream()
        .filter(a -> a.contains(":loadbalancer/") && !a.equals(nlbArn)).toList();
  }

  @SuppressWarnings("unchecked")
  private static String status(GenericKubernetesResource r, String piece, String field) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    return (String) ((Map<String, Object>) status.get(piece)).get(field);
  }

  /** Every 200 ms: the NLB listener's alb target group now, and whether AWS reports a healthy target in it. */
  private static final class ServingSampler extends Sampler {
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> groups = new CopyOnWriteArrayList<>();
    final AtomicInteger count = new AtomicInteger();
    private final String nlbArn;

    ServingSampler(String nlbArn) {
      super(200);
      this.nlbArn = nlbArn;
      begin();
    }

    @Override
    protected void sample() {
      List<Listener> listeners = elb.describeListeners(q -> q.loadBalancerArn(nlbArn)).listeners();
      if (listeners.size() != 1) {
        failures.add("the NLB has " + listeners.size() + " listeners");
        return;
      }
      String group = listeners.get(0).defaultActions().get(0).targetGroupArn();
      List<TargetHealthDescription> health = elb.describeTargetHealth(q -> q.targetGroupArn(group)).targetHealthDescriptions();
      count.incrementAndGet();
      if (groups.isEmpty() || !groups.get(groups.size() - 1).equals(group)) {
        groups.add(group);
      }
      if (health.stream().noneMatch(d -> "healthy".equals(d.targetHealth().stateAsString()))) {
        failures.add(group + ": " + health.stream().map(d -> d.target().id() + " " + d.targetHealth().stateAsString()).toList());
      }
    }
  }
}
