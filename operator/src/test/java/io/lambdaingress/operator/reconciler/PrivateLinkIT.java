package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.ConsumerAccount;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * PrivateLink end to end, one object through its life: the NLB offered as an endpoint service with allowed
 * principals and a private DNS name; a consumer account's endpoint accepted, another's left pending; drift
 * repaired; an NLB replacement refused with what to do; endpointService removed and added back; the service deleted
 * out of band created again; deletion in AWS's order (connections rejected, service gone, then the NLB), including the NLB
 * refused (ResourceInUse) while an endpoint service the operator does not own uses it. Consumers are other
 * moto accounts (STS AssumeRole into them), as the rules layer models connections.
 */
@WithLocalWorld
class PrivateLinkIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Duration RESYNC = Duration.ofSeconds(3);
  private static final String ALLOWED = "111122223333";
  private static final String OTHER = "444455556666";

  private static LocalWorld world;
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static Ec2Client ec2;
  private static ElasticLoadBalancingV2Client elb;

  @BeforeAll
  static void start(LocalWorld w) {
    world = w;
    operator = OperatorHarness.start(w, RESYNC, 1);
    pre = ArticlePrerequisites.create(w.awsRegion());
    ec2 = Ec2Client.create();
    elb = ElasticLoadBalancingV2Client.create();
  }

  @AfterAll
  static void stop() {
    operator.close();
    ec2.close();
    elb.close();
  }

  private static String ns() {
    return operator.namespace(0);
  }

  /** The article's stack with an endpoint service block under spec.nlb (YAML lines indented for it). */
  private static String stack(String name, String ip, String endpointService) {
    return pre.articleStack(ns(), name).replace("10.20.0.10", ip)
        .replace("    healthCheck:\n      path: /healthz\n", "    healthCheck:\n      path: /healthz\n    endpointService:\n" + endpointService);
  }

  @ParameterizedTest(name = "{0} is refused at apply")
  @CsvSource(delimiter = '|', textBlock = """
      a principal that is no ARN            | '      allowedPrincipals: [\"111122223333\"]\\n'                                    | allowedPrincipals
      a principal of an 11-digit account    | '      allowedPrincipals: [arn:aws:iam::11112222333:root]\\n'                        | allowedPrincipals
      a principal of another service        | '      allowedPrincipals: [arn:aws:s3:::bucket]\\n'                                  | allowedPrincipals
      an account id with letters            | '      allowedPrincipals: [\"*\"]\\n      acceptConnectionsFrom: [\"11112222333a\"]\\n' | acceptConnectionsFrom
      an account not allowed to connect     | '      allowedPrincipals: [arn:aws:iam::111122223333:root]\\n      acceptConnectionsFrom: [\"444455556666\"]\\n' | must also be allowed
      accepting without acceptance          | '      acceptanceRequired: false\\n      allowedPrincipals: [\"*\"]\\n      acceptConnectionsFrom: [\"111122223333\"]\\n' | no effect
      a DNS name with an underscore         | '      privateDnsName: api_v1.example.com\\n'                                         | privateDnsName
      a DNS name of one label               | '      privateDnsName: localhost\\n'                                                  | privateDnsName
      a principal listed twice              | '      allowedPrincipals: [\"*\", \"*\"]\\n'                                          | listed twice
      """)
  void refusedAtApply(String what, String block, String field) {
    String name = LocalWorld.uniqueName("bad");
    String yaml = stack(name, "10.20.0.250", block.replace("\\n", "\n").replace("\\\"", "\""));

    assertThatThrownBy(() -> operator.apply(yaml)).as(what).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(422);
      assertThat(e.getMessage()).contains(field);
    });
    assertThat(operator.get(ns(), name)).as("nothing was stored").isNull();
  }

  @Test
  void anEndpointServiceThroughItsLife() {
    String name = LocalWorld.uniqueName("pl");
    // The endpoint service of examples/privatelink.yaml, the file users copy: ALLOWED and OTHER allowed, ALLOWED accepted.
    String yaml = stack(name, "10.20.0.201", exampleEndpointService());
    operator.apply(yaml);
    GenericKubernetesResource ready = operator.awaitReady(ns(), name, READY);

    // Created: on our NLB, tagged as ours, with the spec's principals, acceptance and private DNS name.
    Map<String, Object> es = endpointServiceStatus(ready);
    String serviceId = (String) es.get("serviceId");
    ServiceConfiguration service = service(serviceId);
    String nlbArn = (String) nested(ready, "status", "nlb", "arn");
    assertThat(service.networkLoadBalancerArns()).containsExactly(nlbArn);
    assertThat(service.acceptanceRequired()).isTrue();
    assertThat(service.privateDnsName()).isEqualTo("api.example.com");
    assertThat(service.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())))
        .containsEntry("lambdaingress.io/name", name).containsEntry("lambdaingress.io/namespace", ns()).containsEntry("team", "payments");
    assertThat(principals(serviceId)).containsExactlyInAnyOrder("arn:aws:iam::" + ALLOWED + ":root", "arn:aws:iam::" + OTHER + ":root");
    assertThat(es.get("serviceName")).isEqualTo(service.serviceName());
    @SuppressWarnings("unchecked")
    Map<String, Object> dns = (Map<String, Object>) es.get("privateDns");
    assertThat(dns.get("state")).isEqualTo("pendingVerification");
    assertThat((String) dns.get("txtRecordName")).startsWith("_").endsWith(".api.example.com");
    assertThat(dns.get("txtRecordValue")).isEqualTo(service.privateDnsNameConfiguration().value());

    try (ConsumerAccount allowed = ConsumerAccount.of(ALLOWED, world.awsEndpoint());
        ConsumerAccount other = ConsumerAccount.of(OTHER, world.awsEndpoint())) {
      // Connections: the listed account's request accepted, the other's left for a person.
      String accepted = allowed.connect(service.serviceName()).vpcEndpointId();
      String pending = other.connect(service.serviceName()).vpcEndpointId();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(connections(name))
          .containsEntry(accepted, ALLOWED + "/available").containsEntry(pending, OTHER + "/pendingAcceptance"));
      assertThat(allowed.state(accepted)).isEqualTo("available");
      assertThat(reasons(name)).contains("Accepted", "ConnectionPending");

      // Drift of each field, repaired within a resync.
      ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).removeAllowedPrincipals("arn:aws:iam::" + OTHER + ":root")
          .addAllowedPrincipals("arn:aws:iam::999999999999:root"));
      ec2.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(serviceId).acceptanceRequired(false).privateDnsName("drifted.example.com"));
      ec2.deleteTags(r -> r.resources(serviceId).tags(t -> t.key("team")));
      ec2.createTags(r -> r.resources(serviceId).tags(t -> t.key("added-by-hand").value("x")));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        ServiceConfiguration s = service(serviceId);
        assertThat(s.acceptanceRequired()).isTrue();
        assertThat(s.privateDnsName()).isEqualTo("api.example.com");
        assertThat(s.tags()).extracting(t -> t.key()).contains("team").doesNotContain("added-by-hand");
        assertThat(principals(serviceId)).containsExactlyInAnyOrder("arn:aws:iam::" + ALLOWED + ":root", "arn:aws:iam::" + OTHER + ":root");
      });

      // A new subnet mapping would replace the NLB, which the service cannot follow: refused, saying what to do.
      String moved = yaml.replace("      - subnetId: " + pre.subnets().get("a") + "\n        privateIPv4Address: 10.20.0.201\n",
          "      - subnetId: " + pre.subnets().get("b") + "\n");
      assertThat(moved).isNotEqualTo(yaml);
      operator.applyAndAwaitNotReady(moved, "InvalidSpec", READY, "cannot move", "remove spec.nlb.endpointService first", serviceId);

      // Removing endpointService deletes only the service, its connections rejected first; the NLB stays.
      String without = yaml.substring(0, yaml.indexOf("    endpointService:\n")) + yaml.substring(yaml.indexOf("  alb:\n"));
      operator.apply(without);
      GenericKubernetesResource plain = operator.awaitReady(ns(), name, READY);
      assertThat(endpointServiceStatus(plain)).isEmpty();
      assertThat(nested(plain, "status", "nlb", "arn")).isEqualTo(nlbArn);
      assertThat(List.of(allowed.state(accepted), other.state(pending))).containsOnly("rejected");
      assertThat(ec2.describeVpcEndpointServiceConfigurationsPaginator().serviceConfigurations().stream().toList())
          .noneMatch(x -> x.serviceId().equals(serviceId) && "Available".equals(x.serviceStateAsString()));

      // Added back: a new service. Then deleted out of band: created again.
      operator.apply(yaml);
      String second = (String) endpointServiceStatus(operator.awaitReady(ns(), name, READY)).get("serviceId");
      assertThat(second).isNotNull().isNotEqualTo(serviceId);
      assertThat(ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(second)).unsuccessful()).isEmpty();
      String recreated = await().atMost(Duration.ofSeconds(30)).until(
          () -> (String) endpointServiceStatus(operator.get(ns(), name)).get("serviceId"), id -> id != null && !id.equals(second));
      String again = allowed.connect(service(recreated).serviceName()).vpcEndpointId();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(connections(name)).containsEntry(again, ALLOWED + "/available"));

      // Someone else's endpoint service on our NLB: the operator leaves it alone, and AWS refuses to delete the NLB.
      String foreign = ec2.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn).acceptanceRequired(true))
          .serviceConfiguration().serviceId();
      operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns()).withName(name).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        Object message = operator.readyCondition(ns(), name).get("message");
        return message != null && message.toString().contains(foreign) && message.toString().contains("deletionPolicy: Retain");
      });
      assertThat(allowed.state(again)).as("our service's connections rejected before its deletion").isEqualTo("rejected");
      assertThat(ec2.describeVpcEndpointServiceConfigurationsPaginator().serviceConfigurations().stream().toList()).extracting(ServiceConfiguration::serviceId)
          .as("ours is gone, the foreign one is untouched").contains(foreign).doesNotContain(recreated);
      assertThat(elb.describeLoadBalancersPaginator().loadBalancers().stream().toList()).anySatisfy(lb -> assertThat(lb.loadBalancerArn()).isEqualTo(nlbArn));

      // Once that service is gone, the deletion completes: nothing of ours left.
      ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(foreign));
      await().atMost(Duration.ofSeconds(60)).until(() -> operator.get(ns(), name) == null);
      assertThat(elb.describeLoadBalancersPaginator().loadBalancers().stream().toList()).noneSatisfy(lb -> assertThat(lb.loadBalancerArn()).isEqualTo(nlbArn));
      assertThat(io.lambdaingress.operator.testing.AwsInventory.ownedBy(operator.clusterName(), ns(), name)).isEmpty();
    }
  }

  private static String exampleEndpointService() {
    try {
      String example = java.nio.file.Files.readString(LocalWorld.repoRoot().resolve("examples/privatelink.yaml"));
      String start = "    endpointService:\n";
      return example.substring(example.indexOf(start) + start.length(), example.indexOf("  alb:\n"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> endpointServiceStatus(GenericKubernetesResource r) {
    Object es = nested(r, "status", "endpointService");
    return es == null ? Map.of() : (Map<String, Object>) es;
  }

  @SuppressWarnings("unchecked")
  private static Object nested(GenericKubernetesResource r, String... path) {
    Object at = r == null ? null : r.getAdditionalProperties();
    for (String p : path) {
      at = at instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(p) : null;
    }
    return at;
  }

  /** endpoint id -> "owner/state", from the object's status. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> connections(String name) {
    Object list = endpointServiceStatus(operator.get(ns(), name)).get("connections");
    if (!(list instanceof List<?> l)) {
      return Map.of();
    }
    return l.stream().map(c -> (Map<String, Object>) c).collect(Collectors.toMap(c -> (String) c.get("endpointId"),
        c -> c.get("ownerAccount") + "/" + c.get("state")));
  }

  private static ServiceConfiguration service(String id) {
    return ec2.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(id)).serviceConfigurations().get(0);
  }

  private static Set<String> principals(String id) {
    return ec2.describeVpcEndpointServicePermissions(r -> r.serviceId(id)).allowedPrincipals().stream().map(p -> p.principal())
        .collect(Collectors.toSet());
  }

  private static List<String> reasons(String name) {
    return operator.client().v1().events().inNamespace(ns()).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
  }
}
