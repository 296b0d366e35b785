package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lambdaingress.operator.model.LoadBalancerNames;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The operator process killed (SIGKILL) in the middle of creating the chain, after its n-th AWS write, then
 * started again: it must converge with no duplicate anywhere. moto would accept a second load balancer
 * with a taken name and a second permission with a taken statement id, so a duplicate would show here.
 */
@WithLocalWorld
class OperatorKilledIT {

  private static KubernetesClient client;
  private static ArticlePrerequisites pre;
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static int nextIp = 100;

  @BeforeAll
  static void setUp(LocalWorld world) {
    client = world.adminClient();
    OperatorHarness.installCrds(client);
    pre = ArticlePrerequisites.create(world.awsRegion());
    elb = ElasticLoadBalancingV2Client.create();
    lambda = LambdaClient.create();
  }

  @AfterAll
  static void tearDown() {
    client.close();
    elb.close();
    lambda.close();
  }

  // The chain takes 11 writes from nothing; kill after the first, in the middle, and just before the end.
  @ParameterizedTest(name = "killed after AWS write {0}")
  @ValueSource(ints = {1, 3, 6, 9})
  void killedDuringCreationConvergesWithoutDuplicates(int killAfter, LocalWorld world) throws Exception {
    String ns = LocalWorld.uniqueName("kill");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    String cluster = LocalWorld.uniqueName("kill");
    String yaml = pre.articleStack(ns, "crash").replace("10.20.0.10", "10.20.0." + (nextIp++));

    try (OperatorProcess first = OperatorProcess.start(world, cluster, ns, 5)) {
      client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns)
          .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
      assertThat(first.killAfterWrites(killAfter, 60)).as("operator reached write " + killAfter + " and was killed").isTrue();
    }

    try (OperatorProcess second = OperatorProcess.start(world, cluster, ns, 5)) {
      client.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("crash")
          .waitUntilCondition(r -> isReady(r), 90, TimeUnit.SECONDS);
    }

    LoadBalancerNames names = LoadBalancerNames.of(cluster, ns, "crash");
    List<LoadBalancer> all = elb.describeLoadBalancersPaginator(q -> q.pageSize(400)).loadBalancers().stream().toList();
    assertThat(all).filteredOn(lb -> lb.loadBalancerName().equals(names.nlb())).hasSize(1);
    assertThat(all).filteredOn(lb -> lb.loadBalancerName().equals(names.alb())).hasSize(1);
    assertThat(AwsInventory.ownedBy(cluster, ns, "crash")).as("resources owned by the object").hasSize(5);
    for (LoadBalancer lb : all.stream().filter(lb -> lb.loadBalancerName().equals(names.nlb()) || lb.loadBalancerName().equals(names.alb())).toList()) {
      assertThat(elb.describeListeners(q -> q.loadBalancerArn(lb.loadBalancerArn())).listeners()).hasSize(1);
    }
    String functionName = "crash-" + ns;
    String policy = lambda.getPolicy(q -> q.functionName(functionName)).policy();
    assertThat(policy.split("\"Sid\"", -1)).as("one permission statement").hasSize(2);
  }

  private static boolean isReady(GenericKubernetesResource r) {
    Map<String, Object> ready = OperatorHarness.readyCondition(r);
    return "True".equals(ready.get("status"))
        && ready.get("observedGeneration") instanceof Number g && r.getMetadata().getGeneration() == g.longValue();
  }

}
