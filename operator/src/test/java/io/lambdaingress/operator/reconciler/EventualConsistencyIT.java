package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The article stack converges while AWS is only eventually consistent (the AWS rules layer hides what was
 * just created from reads and listings for a few seconds): the operator's "not found, so create" must not
 * make a second of anything, and nothing leaks on delete.
 */
// Beside the other classes: the rules layer's consistency delay is on for this class's own key only.
@WithLocalWorld
class EventualConsistencyIT {

  private static LocalWorld world;
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;

  @BeforeAll
  static void start(LocalWorld w) {
    world = w.asCaller("AKIDEVENTUALCONSISTENCY");
    pre = ArticlePrerequisites.create(w.awsRegion());
    // On for this class's operator only: the other tests keep the layer's default (off) and stay fast.
    world.setAwsRules(Map.of("consistencySeconds", 4));
    operator = OperatorHarness.start(world, Duration.ofSeconds(5), 1);
  }

  @AfterAll
  static void stop() {
    world.setAwsRules(Map.of("consistencySeconds", 0));
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void theArticleStackConvergesWithNoDuplicateAndDeletesWithNoLeak() {
    String ns = operator.namespace(0);
    operator.apply(pre.articleStack(ns, "late"));
    operator.awaitReady(ns, "late", Duration.ofSeconds(120));

    // Listings (ours included) show the newest resources only once the consistency window has passed.
    await().atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "late")).hasSize(5));
    // moto alone shows everything, the hidden included: one load balancer and one target group per name.
    try (var elb = ElasticLoadBalancingV2Client.builder().endpointOverride(world.motoEndpoint()).build()) {
      Map<String, Long> loadBalancers = elb.describeLoadBalancersPaginator(r -> r.pageSize(400)).loadBalancers().stream()
          .collect(Collectors.groupingBy(lb -> lb.loadBalancerName(), Collectors.counting()));
      Map<String, Long> targetGroups = elb.describeTargetGroupsPaginator(r -> r.pageSize(400)).targetGroups().stream()
          .collect(Collectors.groupingBy(tg -> tg.targetGroupName(), Collectors.counting()));
      assertThat(loadBalancers).allSatisfy((name, count) -> assertThat(count).as("load balancers named " + name).isEqualTo(1));
      assertThat(targetGroups).allSatisfy((name, count) -> assertThat(count).as("target groups named " + name).isEqualTo(1));
    }

    operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("late").delete();
    await().atMost(Duration.ofSeconds(90)).until(() -> operator.get(ns, "late") == null);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "late")).isEmpty();
  }
}
