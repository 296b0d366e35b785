package io.lambdaingress.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The files in examples/, as users apply them: every LambdaIngress in them accepted by the real API server
 * (server-side dry-run, after crds/ is installed: the CRD's schema and CEL rules run), and the
 * existing-function and Retain stacks converged by the operator against moto, the Retain one keeping its
 * AWS resources after deletion; Argo CD's health check reads a converged object as Healthy. (The Argo CD
 * Applications need Argo CD's CRD, which this world does not have: {@link ExamplesTest} checks them.)
 */
@WithLocalWorld
class ExamplesIT {

  static final Path EXAMPLES = LocalWorld.repoRoot().resolve("examples");

  @Test
  void everyLambdaIngressInExamplesIsAcceptedByTheApiServer(LocalWorld world) throws IOException {
    try (KubernetesClient admin = world.adminClient()) {
      OperatorHarness.installCrds(admin);
      int checked = 0;
      for (Path file : exampleFiles()) {
        for (GenericKubernetesResource object : objects(file)) {
          if ("argoproj.io/v1alpha1".equals(object.getApiVersion()) && "Application".equals(object.getKind())) {
            continue;
          }
          assertThat(object.getKind()).as(file.getFileName() + ": examples hold LambdaIngresses and Argo CD Applications")
              .isEqualTo("LambdaIngress");
          GenericKubernetesResource answered = admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES)
              .inNamespace(object.getMetadata().getNamespace()).resource(object).dryRun().serverSideApply();
          assertThat(answered.getMetadata().getUid()).as(file.getFileName() + " accepted").isNotBlank();
          assertThat(spec(answered)).as(file.getFileName() + ": defaults filled in by the API server").containsKey("deletionPolicy");
          assertThat(admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(object.getMetadata().getNamespace())
              .withName(object.getMetadata().getName()).get()).as("dry-run: not stored").isNull();
          checked++;
        }
      }
      assertThat(checked).as("LambdaIngress objects in examples/").isGreaterThanOrEqualTo(3);

      // The control: the dry-run does run the CRD's rules (both function and functionArn is refused).
      GenericKubernetesResource broken = objects(EXAMPLES.resolve("existing-function.yaml")).get(0);
      @SuppressWarnings("unchecked")
      Map<String, Object> lambda = (Map<String, Object>) spec(broken).get("lambda");
      lambda.put("function", Map.of("image", Map.of("repository", "x"), "roleArn", "arn:aws:iam::123456789012:role/x"));
      assertThatThrownBy(() -> admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace("default")
          .resource(broken).dryRun().serverSideApply())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("set exactly one of spec.lambda.function and spec.lambda.functionArn");
    }
  }

  @Test
  void theExistingFunctionAndRetainExamplesConvergeAndRetainKeepsItsResources(LocalWorld world) throws IOException {
    ArticlePrerequisites pre = ArticlePrerequisites.create(world.awsRegion());
    try (OperatorHarness operator = OperatorHarness.start(world, Duration.ofSeconds(30), 1);
        LambdaClient lambda = LambdaClient.create(); EcrClient ecr = EcrClient.create()) {
      String ns = operator.namespace(0);

      // existing-function.yaml: a function created beforehand, outside the operator.
      String repositoryUri = ecr.describeRepositories(r -> r.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
      String existing = LocalWorld.uniqueName("existing-orders"); // allowed by the harness: see OperatorHarness.EXISTING_FUNCTIONS
      String existingArn = lambda.createFunction(r -> r.functionName(existing).packageType("Image").role(pre.roleArn())
          .code(c -> c.imageUri(repositoryUri + "@" + pre.pushImage("orders")))).functionArn();
      String orders = withIds(pre, Files.readString(EXAMPLES.resolve("existing-function.yaml")), ns)
          .replace("arn:aws:lambda:us-east-1:123456789012:function:orders", existingArn);
      operator.apply(orders);
      var ready = operator.awaitReady(ns, "orders", Duration.ofSeconds(90));
      assertThat(statusField(ready, "lambda", "functionArn")).isEqualTo(existingArn);
      // What Argo CD's health check (docs/argocd/) makes of the live object.
      @SuppressWarnings("unchecked")
      Map<String, Object> live = Serialization.unmarshal(Serialization.asJson(ready), Map.class);
      assertThat(ArgoCdHealthCheck.evaluate(live))
          .isEqualTo(new ArgoCdHealthCheck.Health("Healthy", "Ready: " + ((Map<?, ?>) live.get("status")).get("endpoint")));
      assertThat(lambda.listTags(r -> r.resource(existingArn)).tags()).as("the existing function is not the operator's")
          .doesNotContainKey("lambdaingress.io/cluster");

      // retain.yaml: converges, and its AWS resources outlive the object.
      pre.pushImage("v1.4.2");
      String payments = withIds(pre, Files.readString(EXAMPLES.resolve("retain.yaml")), ns)
          .replace("repository: payments", "repository: " + pre.repository())
          .replace("arn:aws:iam::123456789012:role/lambda-ingress/payments-lambda", pre.roleArn());
      operator.apply(payments);
      operator.awaitReady(ns, "payments", Duration.ofSeconds(90));
      List<String> owned = AwsInventory.ownedBy(operator.clusterName(), ns, "payments");
      assertThat(owned).as("NLB, ALB, two target groups, function").hasSize(5);

      operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns).withName("payments").delete();
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> operator.get(ns, "payments") == null);
      assertThat(AwsInventory.ownedBy(operator.clusterName(), ns, "payments")).as("Retain: all still there")
          .containsExactlyInAnyOrderElementsOf(owned);
    }
  }

  /** The placeholder ids shared by the examples, replaced by the test's real ones; the namespace too. */
  private static String withIds(ArticlePrerequisites pre, String yaml, String namespace) {
    String result = yaml.replace("namespace: default", "namespace: " + namespace)
        .replace("sg-0123456789abcdef0", pre.albSecurityGroup());
    for (String zone : List.of("a", "b", "c", "d", "e")) {
      result = result.replace("subnet-0" + zone + "1b2c3d4e5f60718", pre.subnets().get(zone));
    }
    assertThat(result).as("every placeholder id replaced").doesNotContain("1b2c3d4e5f60718", "sg-0123456789abcdef0");
    return result;
  }

  static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  static List<GenericKubernetesResource> objects(Path file) throws IOException {
    String yaml = Files.readString(file);
    return Stream.of(yaml.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#")))
        .map(doc -> Serialization.unmarshal(doc, GenericKubernetesResource.class)).toList();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static String statusField(GenericKubernetesResource r, String part, String field) {
    Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
    return (String) ((Map<String, Object>) status.get(part)).get(field);
  }
}
