package io.lambdaingress.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * Proves the local world is a real Kubernetes API server and a real AWS API emulator, not a stand-in:
 * each property below is one that a mock would not have and that the operator relies on.
 */
@WithLocalWorld
class LocalWorldIT {

  // A throw-away CRD of the tests' own: these tests check the server, not the operator's CRD.
  private static final String GROUP = "world.test.lambdaingress.io";
  private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
      .withGroup(GROUP).withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();

  private static KubernetesClient admin;
  private static String ns;

  @BeforeAll
  static void setUp(LocalWorld world) {
    admin = world.adminClient();
    ns = LocalWorld.uniqueName("world");
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
        .load(LocalWorldIT.class.getResourceAsStream("/world/widgets-crd.yaml")).item();
    admin.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())), 30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void tearDown() {
    if (admin != null) {
      admin.close();
    }
  }

  private static GenericKubernetesResource widget(String name, Object port) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(GROUP + "/v1").withKind("Widget")
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("port", port)))
        .build();
  }

  @Test
  void schemaViolationIsRefusedWith422AndValidObjectIsAccepted() {
    assertThatThrownBy(() -> admin.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(widget("bad", 70000)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("spec.port");
        });
    assertThatThrownBy(() -> admin.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(widget("wrong-type", "eighty")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));

    GenericKubernetesResource created = admin.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(widget("good", 80)).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void statusUpdateKeepsGenerationAndSpecUpdateBumpsIt() {
    var widgets = admin.genericKubernetesResources(WIDGETS).inNamespace(ns);
    GenericKubernetesResource w = widgets.resource(widget("gen", 80)).create();
    long gen = w.getMetadata().getGeneration();

    w.setAdditionalProperty("status", Map.of("observedGeneration", gen));
    GenericKubernetesResource afterStatus = widgets.resource(w).updateStatus();
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(gen);
    assertThat(afterStatus.<Integer>get("status", "observedGeneration")).isEqualTo((int) gen);

    // Through the main resource, status is ignored: the status subresource is really on.
    afterStatus.setAdditionalProperty("status", Map.of("observedGeneration", 99));
    afterStatus.setAdditionalProperty("spec", Map.of("port", 81));
    GenericKubernetesResource afterSpec = widgets.resource(afterStatus).update();
    assertThat(afterSpec.getMetadata().getGeneration()).isEqualTo(gen + 1);
    assertThat(afterSpec.<Integer>get("status", "observedGeneration")).isEqualTo((int) gen);
  }

  @Test
  void finalizerHoldsDeletionUntilRemoved() {
    var widgets = admin.genericKubernetesResources(WIDGETS).inNamespace(ns);
    GenericKubernetesResource w = widget("fin", 80);
    w.getMetadata().setFinalizers(List.of("world.test.lambdaingress.io/hold"));
    widgets.resource(w).create();

    widgets.withName("fin").delete();
    GenericKubernetesResource held = widgets.withName("fin").get();
    assertThat(held).isNotNull();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotBlank();

    widgets.withName("fin").edit(r -> {
      r.getMetadata().setFinalizers(List.of());
      return r;
    });
    widgets.withName("fin").waitUntilCondition(r -> r == null, 10, TimeUnit.SECONDS);
    assertThat(widgets.withName("fin").get()).isNull();
  }

  @Test
  void leaseCanBeCreatedAndRenewed() {
    ZonedDateTime now = ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS);
    Lease lease = admin.leases().inNamespace(ns).resource(new LeaseBuilder()
        .withNewMetadata().withName("leader").withNamespace(ns).endMetadata()
        .withNewSpec().withHolderIdentity("a").withLeaseDurationSeconds(15).withAcquireTime(now).withRenewTime(now).endSpec()
        .build()).create();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("a");

    ZonedDateTime later = now.plus(Duration.ofSeconds(5));
    Lease renewed = admin.leases().inNamespace(ns).withName("leader").edit(l -> {
      l.getSpec().setHolderIdentity("b");
      l.getSpec().setRenewTime(later);
      return l;
    });
    assertThat(renewed.getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(renewed.getMetadata().getResourceVersion()).isNotEqualTo(lease.getMetadata().getResourceVersion());
    assertThat(admin.leases().inNamespace(ns).withName("leader").get().getSpec().getRenewTime().toInstant())
        .isEqualTo(later.toInstant());
  }

  @Test
  void serviceAccountWithoutGrantsIsRefused403UntilARoleBindsIt(LocalWorld world) {
    admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder()
        .withNewMetadata().withName("nobody").endMetadata().build()).create();
    // A real token from the TokenRequest API, signed with the world's service-account key.
    String token = admin.serviceAccounts().inNamespace(ns).withName("nobody")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(600L).endSpec().build())
        .getStatus().getToken();
    Config admins = world.kubeConfig();
    Config asServiceAccount = new ConfigBuilder(Config.empty())
        .withMasterUrl(admins.getMasterUrl())
        .withCaCertData(admins.getCaCertData())
        .withOauthToken(token)
        .build();

    assertThat(admin.configMaps().inNamespace(ns).list().getItems()).isNotNull();
    try (KubernetesClient sa = new KubernetesClientBuilder().withConfig(asServiceAccount).build()) {
      assertThatThrownBy(() -> sa.configMaps().inNamespace(ns).list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      admin.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("read-cm").endMetadata()
          .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("list").endRule().build()).create();
      admin.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder()
          .withNewMetadata().withName("nobody-reads-cm").endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-cm").endRoleRef()
          .addNewSubject().withKind("ServiceAccount").withName("nobody").withNamespace(ns).endSubject().build()).create();

      assertThat(sa.configMaps().inNamespace(ns).list().getItems()).isEmpty();
      // The grant is exactly what the Role says: other resources stay forbidden.
      assertThatThrownBy(() -> sa.secrets().inNamespace(ns).list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void elbv2RoundTripsAgainstMotoWithTheEndpointFromTheStandardSettings(LocalWorld world) {
    // No endpointOverride, no region, no credentials in code: the SDK's default chains find moto.
    try (Ec2Client ec2 = Ec2Client.create(); ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
      String subnetA = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.1.0/24").availabilityZone(world.awsRegion() + "a"))
          .subnet().subnetId();
      String subnetB = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.2.0/24").availabilityZone(world.awsRegion() + "b"))
          .subnet().subnetId();
      String name = LocalWorld.uniqueName("world");

      LoadBalancer created = elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.APPLICATION)
          .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(subnetA, subnetB)).loadBalancers().get(0);
      LoadBalancer described = elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().get(0);

      assertThat(described.loadBalancerArn()).isEqualTo(created.loadBalancerArn());
      assertThat(described.vpcId()).isEqualTo(vpc);
      assertThat(described.scheme()).isEqualTo(LoadBalancerSchemeEnum.INTERNAL);
      assertThat(described.dnsName()).isNotBlank();
      assertThat(world.awsEndpoint().getHost()).isEqualTo("127.0.0.1");
    }
  }
}
