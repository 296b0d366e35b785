package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Bad input that only AWS's answers reveal, beyond BadInputIT: subnets that share an Availability Zone
 * (AWS takes one per zone; moto would accept them on create), a function name taken by a function without
 * our tags, a functionArn or role that does not exist. Each is Ready=False with a reason and a message
 * naming the field or resource, and nothing of anyone else's is changed.
 */
@WithLocalWorld
class BadReferenceIT {

  // A missing role is Propagating for about 30 s of backoff before it is InvalidSpec.
  private static final Duration ANSWER = Duration.ofSeconds(90);
  private static final Duration READY = Duration.ofSeconds(90);
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  private static String region;
  private static int nextName;
  // Its own key: aRepositoryLambdaMayNotPullFrom... makes this operator a caller without ECR policy permissions.
  private static LocalWorld world;

  @BeforeAll
  static void start(LocalWorld w) {
    world = w.asCaller("AKIDBADREFERENCE");
    operator = OperatorHarness.start(world, Duration.ofSeconds(5), 1);
    region = world.awsRegion();
    pre = ArticlePrerequisites.create(region);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  private static String ns() {
    return operator.namespace(0);
  }

  private static String name(String prefix) {
    return prefix + (nextName++);
  }

  /** The article's stack under {@code name}, changed by {@code edit}. */
  private static String stack(String name, UnaryOperator<String> edit) {
    String yaml = pre.articleStack(ns(), name);
    String edited = edit.apply(yaml);
    assertThat(edited).as("the edit changed the stack").isNotEqualTo(yaml);
    return edited;
  }

  private static void assertNotReady(String yaml, String reason, String... messageParts) {
    operator.applyAndAwaitNotReady(yaml, reason, ANSWER, messageParts);
  }

  private static String subnet(String zone) {
    return pre.subnets().get(zone);
  }

  /** spec.alb.https with these certificates (first the default). */
  private static String https(String name, String... certificates) {
    return stack(name, s -> s.replace("    listener:\n      port: 80\n  lambda:", "    listener:\n      port: 80\n    https:\n"
        + "      certificateArns: [" + String.join(", ", certificates) + "]\n  lambda:").replace("team: payments", "team: " + name));
  }

  @Test
  void aCertificatePendingValidationOrOfAnotherRegionIsRefusedNamingIt() {
    String ca = "arn:aws:acm-pca:" + region + ":123456789012:certificate-authority/bad-reference-it";
    String pending;
    String issued;
    String west;
    try (AcmClient acm = AcmClient.create();
        AcmClient westAcm = AcmClient.builder().region(software.amazon.awssdk.regions.Region.US_WEST_2).build()) {
      pending = acm.requestCertificate(r -> r.domainName("pending.example.com")).certificateArn();
      issued = acm.requestCertificate(r -> r.domainName("issued.example.com").certificateAuthorityArn(ca)).certificateArn();
      west = westAcm.requestCertificate(r -> r.domainName("west.example.com").certificateAuthorityArn(ca)).certificateArn();
    }
    assertNotReady(https(name("certpending"), pending), "DependencyNotFound",
        "spec.alb.https.certificateArns[0]: certificate " + pending + " is PENDING_VALIDATION, not ISSUED",
        "complete its validation");
    String foreign = name("certregion");
    assertNotReady(https(foreign, issued, west), "InvalidSpec",
        "spec.alb.https.certificateArns[1]: certificate " + west + " is in us-west-2 but the ALB is in " + region,
        "request or import the certificate in " + region);
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), foreign)).as("nothing created").isEmpty();
  }

  @Test
  void nlbSubnetsInOneZoneAreRefusedBeforeAnythingIsCreated() {
    String name = name("nlbzone");
    // Subnets a and d are both in zone a (ArticlePrerequisites spreads a..e over three zones).
    String yaml = stack(name, s -> s.replace("        privateIPv4Address: 10.20.0.10\n",
        "        privateIPv4Address: 10.20.0.10\n      - subnetId: " + subnet("d") + "\n"));
    assertNotReady(yaml, "InvalidSpec", "spec.nlb.subnetMappings[1].subnetId: subnet " + subnet("d") + " is in",
        "like spec.nlb.subnetMappings[0]; an NLB takes one subnet per Availability Zone");
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), name)).as("nothing created").isEmpty();
  }

  @Test
  void twoAlbSubnetsInOneZoneAreRefusedAndTheFixedSpecBecomesReady() {
    String name = name("albzone");
    String ok = stack(name, s -> s.replace("team: payments", "team: albzone"));
    String twoInZoneB = ok.replace("subnets: [" + subnet("b") + ", " + subnet("c") + "]",
        "subnets: [" + subnet("b") + ", " + subnet("c") + ", " + subnet("e") + "]");
    assertThat(twoInZoneB).isNotEqualTo(ok);
    assertNotReady(twoInZoneB, "InvalidSpec", "spec.alb.subnets[2]: subnet " + subnet("e") + " is in",
        "like spec.alb.subnets[0]; an ALB takes one subnet per Availability Zone");
    assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), name)).as("nothing created").isEmpty();

    // Recovery: the third subnet removed, the same object converges.
    operator.apply(ok);
    operator.awaitReady(ns(), name, READY);
  }

  @Test
  void aFunctionNameTakenByAFunctionWithoutOurTagsIsANameConflictAndStaysUntouched() {
    String name = name("fnconflict");
    String taken = name + "-" + ns(); // the function name articleStack gives this object
    String yaml = stack(name, s -> s.replace("team: payments", "team: fnconflict"));
    assertThat(yaml).contains("      name: " + taken + "\n");

    try (LambdaClient lambda = LambdaClient.create(); EcrClient ecr = EcrClient.create()) {
      String repositoryUri = ecr.describeRepositories(r -> r.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
      String image = repositoryUri + "@" + pre.pushImage("foreign-" + name);
      CreateFunctionResponse foreign = lambda.createFunction(r -> r.functionName(taken).packageType("Image").role(pre.roleArn())
          .code(c -> c.imageUri(image)).timeout(3).memorySize(128).tags(Map.of("owner", "someone-else")));

      assertNotReady(yaml, "NameConflict", "function " + taken, "not owned by this LambdaIngress");
      assertForeignFunctionUntouched(lambda, foreign, image);

      // Recovery: the user picks another name; the chain converges on a function of its own.
      operator.apply(yaml.replace("      name: " + taken + "\n", "      name: " + taken + "-own\n"));
      operator.awaitReady(ns(), name, READY);
      assertForeignFunctionUntouched(lambda, foreign, image);

      // Deleting the object deletes what it owns, and still not the foreign function.
      operator.client().genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns()).withName(name).delete();
      Awaitility.await().atMost(ANSWER).until(() -> operator.get(ns(), name) == null);
      assertThat(AwsInventory.ownedBy(operator.clusterName(), ns(), name)).as("ours deleted").isEmpty();
      assertForeignFunctionUntouched(lambda, foreign, image);
    }
  }

  private static void assertForeignFunctionUntouched(LambdaClient lambda, CreateFunctionResponse foreign, String image) {
    var now = lambda.getFunction(r -> r.functionName(foreign.functionName()));
    assertThat(now.configuration().functionArn()).isEqualTo(foreign.functionArn());
    assertThat(now.configuration().timeout()).isEqualTo(3);
    assertThat(now.configuration().memorySize()).isEqualTo(128);
    assertThat(now.configuration().environment() == null ? Map.of() : now.configuration().environment().variables())
        .doesNotContainKey("LAMBDA_INGRESS_HEALTH_PATH");
    assertThat(now.code().imageUri()).isEqualTo(image);
    assertThat(now.tags()).containsExactly(Map.entry("owner", "someone-else"));
    assertThatThrownBy(() -> lambda.getPolicy(r -> r.functionName(foreign.functionName())))
        .as("no invoke permission added").isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void aFunctionArnThatDoesNotExist() {
    String name = name("noarn");
    // Named like the existing functions the harness allows: this one is allowed, and missing.
    String missing = "arn:aws:lambda:" + region + ":123456789012:function:existing-but-missing-" + name;
    String yaml = stack(name, s -> s.substring(0, s.indexOf("    function:\n")) + "    functionArn: " + missing + "\n"
        + s.substring(s.indexOf("    multiValueHeaders:")));
    assertNotReady(yaml, "DependencyNotFound", "spec.lambda.functionArn: function " + missing + " does not exist");
  }

  /**
   * CreateFunction from a repository whose policy does not let Lambda pull, by an operator whose role may not set that
   * policy (AWS rules layer, lambda-ecr-pull-permission): AwsAccessDenied naming the repository and both fixes. The
   * documented repository policy (docs/ecr-lambda-pull-policy.json) set, the same object converges.
   */
  @Test
  void aRepositoryLambdaMayNotPullFromNamesTheRepositoryAndTheFix() throws Exception {
    ArticlePrerequisites fresh = ArticlePrerequisites.create(region);  // its repository has no policy
    String name = name("nopull");
    String yaml = fresh.articleStack(ns(), name);  // its own VPC: the static IP is free there
    world.setAwsRules(Map.of("callerMaySetRepositoryPolicy", 0));
    try {
      assertNotReady(yaml, "AwsAccessDenied", "Lambda does not have permission to access the ECR image",
          "ECR repository " + fresh.repository() + " does not let Lambda pull", "docs/ecr-lambda-pull-policy.json",
          "ecr:SetRepositoryPolicy");
      String documented = java.nio.file.Files.readString(LocalWorld.repoRoot().resolve("docs/ecr-lambda-pull-policy.json"));
      try (EcrClient ecr = EcrClient.create()) {
        ecr.setRepositoryPolicy(r -> r.repositoryName(fresh.repository()).policyText(documented));
      }
      operator.awaitReady(ns(), name, READY);
    } finally {
      world.setAwsRules(Map.of("callerMaySetRepositoryPolicy", 1));
    }
  }

  @Test
  void aRoleThatDoesNotExist() {
    String name = name("norole");
    // On the allowed path (so the allow-list lets it through), but missing. AWS says the same of a role still
    // propagating, so the operator first waits (Propagating), then takes it at its word (InvalidSpec).
    String role = pre.roleArn().substring(0, pre.roleArn().lastIndexOf('/') + 1) + "no-such-role-" + name;
    assertNotReady(stack(name, s -> s.replace("roleArn: " + pre.roleArn(), "roleArn: " + role)), "InvalidSpec",
        "function " + name + "-" + ns(), "role", "not a propagation delay");
  }

  @Test
  void anUpdateAwsAbortsIsAnAwsErrorWithAwsOwnWordsNotAnEndlessUpdate() {
    String name = name("imagegone");
    String function = name + "-" + ns();
    try (EcrClient ecr = EcrClient.create(); LambdaClient lambda = LambdaClient.create()) {
      String repositoryUri = ecr.describeRepositories(r -> r.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
      String digest = pre.pushImage("gone-" + name);
      // By digest: the spec names the image itself, so nothing but the function's own update tells what became of it.
      String yaml = stack(name, s -> s.replace("        repository: " + pre.repository() + "\n        tag: latest\n",
          "        uri: " + repositoryUri + "@" + digest + "\n"));
      operator.apply(yaml);
      operator.awaitReady(ns(), name, READY);

      // The image leaves ECR (a lifecycle policy, a person): AWS accepts the next update, then aborts it.
      ecr.batchDeleteImage(r -> r.repositoryName(pre.repository()).imageIds(i -> i.imageDigest(digest)));
      String longer = yaml.replace("timeoutSeconds: 30", "timeoutSeconds: 31");
      assertThat(longer).isNotEqualTo(yaml);
      assertNotReady(longer, "AwsError", "function " + function + ": AWS aborted its update (timeout 30s -> 31s)",
          "LastUpdateStatus Failed, ImageDeleted: The function is trying to use a deleted image.", "previous code and configuration still serve");
      assertThat(lambda.getFunctionConfiguration(r -> r.functionName(function)).timeout()).as("AWS kept the previous configuration")
          .isEqualTo(30);

      // Recovery: a new image in the spec goes first, then the configuration.
      String fresh = pre.pushImage("fresh-" + name);
      operator.apply(longer.replace(digest, fresh));
      operator.awaitReady(ns(), name, READY);
      var now = lambda.getFunction(r -> r.functionName(function));
      assertThat(now.configuration().timeout()).isEqualTo(31);
      assertThat(now.code().imageUri()).isEqualTo(repositoryUri + "@" + fresh);
    }
  }

  @Test
  void anExistingFunctionWhosePolicyIsFullIsInvalidSpecNamingTheFunction() {
    String name = name("policyfull");
    String existing = "existing-" + name + "-" + ns();
    try (LambdaClient lambda = LambdaClient.create(); EcrClient ecr = EcrClient.create()) {
      String repositoryUri = ecr.describeRepositories(r -> r.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
      String arn = lambda.createFunction(r -> r.functionName(existing).packageType("Image").role(pre.roleArn())
          .code(c -> c.imageUri(repositoryUri + ":latest")).timeout(3).memorySize(128)).functionArn();
      // Other objects' and routes' statements fill its policy first (shorter than ours: ours cannot fit either).
      int statements = 0;
      while (statements < 200) {
        String sid = "other-" + statements;
        try {
          lambda.addPermission(r -> r.functionName(arn).statementId(sid).action("lambda:InvokeFunction")
              .principal("elasticloadbalancing.amazonaws.com")
              .sourceArn("arn:aws:elasticloadbalancing:" + region + ":123456789012:targetgroup/" + sid + "/0"));
          statements++;
        } catch (software.amazon.awssdk.services.lambda.model.PolicyLengthExceededException full) {
          break;
        }
      }
      assertThat(statements).as("the policy filled up below 200 statements").isBetween(1, 199);

      String yaml = stack(name, s -> s.substring(0, s.indexOf("    function:\n")) + "    functionArn: " + arn + "\n"
          + s.substring(s.indexOf("    multiValueHeaders:")));
      assertNotReady(yaml, "InvalidSpec", "function " + arn + ": its resource policy is full (AWS allows 20 KB: PolicyLengthExceededException",
          "let fewer objects or routes share this function, or give some of them a function of their own");
    }
  }
}
