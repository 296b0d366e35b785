package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaFunctionClient.PolicyStatement;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.FunctionCatalog;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.OwnedResource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.EnvironmentResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.VpcConfig;
import software.amazon.awssdk.services.lambda.model.VpcConfigResponse;

/** Which differences of a managed function's configuration are updated (all of them, in place). */
class FunctionStepTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/sample-lambda";

  private static final CreateFunctionRequest DESIRED = CreateFunctionRequest.builder().functionName("sample").packageType("Image")
      .role(ROLE).timeout(30).memorySize(512)
      .environment(e -> e.variables(Map.of("ENV", "hoge", "LAMBDA_INGRESS_HEALTH_PATH", "/healthz")))
      .vpcConfig(v -> v.subnetIds("subnet-d", "subnet-e").securityGroupIds("sg-fn")).build();

  private static final FunctionConfiguration AS_CREATED = FunctionConfiguration.builder().functionName("sample")
      .role(ROLE).timeout(30).memorySize(512)
      .environment(EnvironmentResponse.builder().variables(Map.of("ENV", "hoge", "LAMBDA_INGRESS_HEALTH_PATH", "/healthz")).build())
      .vpcConfig(VpcConfigResponse.builder().subnetIds("subnet-e", "subnet-d").securityGroupIds("sg-fn").vpcId("vpc-1").build()).build();

  @Test
  void aFunctionAsCreatedNeedsNothing() {
    assertThat(FunctionStep.configurationChange(DESIRED, AS_CREATED)).isNull();
  }

  @Test
  void roleTimeoutAndMemoryAreNamedWithTheirValues() {
    assertThat(FunctionStep.configurationChange(DESIRED.toBuilder().timeout(60).build(), AS_CREATED)).isEqualTo("timeout 30s -> 60s");
    assertThat(FunctionStep.configurationChange(DESIRED.toBuilder().memorySize(1024).build(), AS_CREATED))
        .isEqualTo("memory 512 MiB -> 1024 MiB");
    assertThat(FunctionStep.configurationChange(DESIRED.toBuilder().role(ROLE + "-v2").build(), AS_CREATED))
        .isEqualTo("role " + ROLE + " -> " + ROLE + "-v2");
  }

  @Test
  void environmentChangesNameTheKeysNeverTheValues() {
    var secret = DESIRED.toBuilder().environment(e -> e.variables(
        Map.of("ENV", "hoge", "DB_PASSWORD", "s3cr3t", "LAMBDA_INGRESS_HEALTH_PATH", "/healthz"))).build();
    assertThat(FunctionStep.configurationChange(secret, AS_CREATED)).isEqualTo("environment keys changed: [DB_PASSWORD]");

    var changed = DESIRED.toBuilder().environment(e -> e.variables(Map.of("ENV", "prod", "LAMBDA_INGRESS_HEALTH_PATH", "/healthz"))).build();
    assertThat(FunctionStep.configurationChange(changed, AS_CREATED)).isEqualTo("environment keys changed: [ENV]").doesNotContain("prod", "hoge");

    // A variable added out of band is removed; so is a health path changed by hand.
    var tampered = AS_CREATED.toBuilder().environment(EnvironmentResponse.builder()
        .variables(Map.of("ENV", "hoge", "LAMBDA_INGRESS_HEALTH_PATH", "/", "DEBUG", "1")).build()).build();
    String change = FunctionStep.configurationChange(DESIRED, tampered);
    assertThat(change).startsWith("environment keys changed: [").endsWith("]");
    assertThat(change.substring(change.indexOf('[') + 1, change.length() - 1).split(", "))
        .containsExactlyInAnyOrder("DEBUG", "LAMBDA_INGRESS_HEALTH_PATH");
  }

  @Test
  void theVpcAttachmentIsComparedAsSetsAndCanBeDropped() {
    var reordered = DESIRED.toBuilder().vpcConfig(v -> v.subnetIds("subnet-e", "subnet-d").securityGroupIds("sg-fn")).build();
    assertThat(FunctionStep.configurationChange(reordered, AS_CREATED)).isNull();

    var oneSubnet = DESIRED.toBuilder().vpcConfig(v -> v.subnetIds("subnet-d").securityGroupIds("sg-fn")).build();
    assertThat(FunctionStep.configurationChange(oneSubnet, AS_CREATED)).startsWith("VPC subnets ").contains("-> [subnet-d]");

    var noVpc = DESIRED.toBuilder().vpcConfig((VpcConfig) null).build();
    assertThat(FunctionStep.configurationChange(noVpc, AS_CREATED)).contains("-> []");
    // AWS reports a function outside any VPC with empty lists: that matches a spec without vpc.
    var outside = AS_CREATED.toBuilder().vpcConfig(VpcConfigResponse.builder().vpcId("").build()).build();
    assertThat(FunctionStep.configurationChange(noVpc, outside)).isNull();
    assertThat(FunctionStep.configurationChange(noVpc, AS_CREATED.toBuilder().vpcConfig((VpcConfigResponse) null).build())).isNull();
  }

  // --- deletion: the one place a function or our permission is deleted, against a fake of the Lambda adapter ---

  private static final Map<String, String> OURS = Map.of(ChainModel.TAG_CLUSTER, "c", ChainModel.TAG_NAMESPACE, "ns", ChainModel.TAG_NAME, "sample");
  private final List<String> log = new ArrayList<>();
  private final FakeLambda lambda = new FakeLambda(log);

  private FunctionStep step() {
    return new FunctionStep(lambda, Ownership.byTags(OURS, Set.of()), (action, resource, why) -> log.add(action + " " + resource));
  }

  @Test
  void aFunctionDeletionIsAnnouncedOnceAwsAcceptedIt() {
    lambda.addFunction("sample", OURS);
    step().deleteIfOurs("function sample", "sample", "object deleted");
    assertThat(log).containsExactly("DeleteFunction sample", "Deleted function sample");
  }

  @Test
  void aDeletionAwsRefusesIsNotAnnounced() {
    lambda.addFunction("sample", OURS);
    lambda.refuseDeletions(new AwsFailure(Reason.AwsError, "The operation cannot be performed at this time", "ResourceConflictException", null));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> step().deleteIfOurs("function sample", "sample", "object deleted"))
        .isInstanceOf(AwsFailure.class);
    assertThat(log).containsExactly("DeleteFunction sample");
  }

  @Test
  void aFunctionNotOursOnlyLosesOurPermissionAnnouncedOnceRemoved() {
    lambda.addFunction("theirs", Map.of("team", "payments"), new PolicyStatement("lambda-ingress-x", INVOKE_ACTION, ELB, "arn:tg"),
        new PolicyStatement("theirs", INVOKE_ACTION, ELB, "arn:other"));
    step().deleteIfOurs("function theirs", "theirs", "object deleted");
    step().removePermission("theirs", null, "lambda-ingress-x", "object deleted");
    step().removePermission("theirs", null, "lambda-ingress-x", "object deleted");
    assertThat(log).containsExactly("RemovePermission lambda-ingress-x theirs", "Deleted permission lambda-ingress-x on theirs");
    assertThat(lambda.has("theirs")).isTrue();
  }

  @Test
  void aFunctionDeletedThroughTheCatalogLeavesDiscoveryAtOnceAndOneRefusedStays() {
    lambda.addFunction("sample", OURS);
    lambda.addFunction("other", OURS);
    lambda.addFunction("retagged", OURS);
    FunctionCatalog catalog = new FunctionCatalog(lambda, Duration.ofMinutes(1), Duration.ofMinutes(1), Clock.systemUTC());
    FunctionStep step = new FunctionStep(catalog, Ownership.byTags(OURS, Set.of()), (action, resource, why) -> log.add(action + " " + resource));
    assertThat(catalog.candidates(false)).extracting(OwnedResource::name).containsExactlyInAnyOrder("sample", "other", "retagged");

    // Its owner tags removed out of band: not deleted, and discovery sees the tags the deletion read.
    lambda.retag("retagged", Map.of("team", "payments"));
    step.deleteIfOurs("function retagged", "retagged", "object deleted");
    assertThat(catalog.candidates(false)).extracting(OwnedResource::name).containsExactlyInAnyOrder("sample", "other");

    lambda.refuseDeletions(new AwsFailure(Reason.AwsError, "The operation cannot be performed at this time", "ResourceConflictException", null));
    assertThatThrownBy(() -> step.deleteIfOurs("function sample", "sample", "object deleted")).isInstanceOf(AwsFailure.class);
    assertThat(catalog.candidates(false)).as("refused: still a candidate").extracting(OwnedResource::name).contains("sample");

    lambda.refuseDeletions(null);
    step.deleteIfOurs("function sample", "sample", "object deleted");
    assertThat(catalog.candidates(false)).as("deleted: gone from the listing it keeps").extracting(OwnedResource::name)
        .containsExactly("other");
    assertThat(lambda.listings()).as("no listing of its own").isEqualTo(1);
    assertThat(log).containsExactly("DeleteFunction sample", "DeleteFunction sample", "Deleted function sample");
    assertThat(lambda.has("retagged")).isTrue();
  }

  private static final String INVOKE_ACTION = FunctionStep.INVOKE;
  private static final String ELB = FunctionStep.ELB_PRINCIPAL;

  @Test
  void anUpdateAwsRefusesIsNotAnnounced() {
    String image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:1";
    lambda.addManaged("sample", AS_CREATED.toBuilder().functionArn("arn:aws:lambda:eu-west-1:123456789012:function:sample")
        .state("Active").lastUpdateStatus("Successful").build(), image, OURS);
    lambda.refuseUpdates(new AwsFailure(Reason.AwsError, "The operation cannot be performed at this time", "ResourceConflictException", null));
    CreateFunctionRequest longer = DESIRED.toBuilder().timeout(31).code(c -> c.imageUri(image)).build();
    assertThatThrownBy(() -> step().ensureManaged(longer)).isInstanceOf(AwsFailure.class);
    assertThat(log).as("no Updated for an update AWS refused").containsExactly("UpdateFunctionConfiguration sample");

    lambda.refuseUpdates(null);
    assertThat(step().ensureManaged(longer).busy()).isTrue();
    assertThat(log).containsExactly("UpdateFunctionConfiguration sample", "UpdateFunctionConfiguration sample", "Updated function sample");
  }

  // --- an update AWS accepted, then aborted (LastUpdateStatus Failed, the previous configuration kept) ---

  @Test
  void anUpdateAwsAbortedIsReportedWithAwsWordsAndNotAskedForAgain() {
    String image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:1";
    FunctionConfiguration failed = AS_CREATED.toBuilder().functionArn("arn:aws:lambda:eu-west-1:123456789012:function:sample")
        .state("Active").lastUpdateStatus("Failed").lastUpdateStatusReasonCode("ImageDeleted")
        .lastUpdateStatusReason("The function is trying to use a deleted image.").build();
    lambda.addManaged("sample", failed, image, OURS);
    UpdateAttempts attempts = new UpdateAttempts();
    FunctionStep step = new FunctionStep(lambda, Ownership.byTags(OURS, Set.of()), (action, resource, why) -> log.add(action + " " + resource),
        attempts);
    CreateFunctionRequest longer = DESIRED.toBuilder().timeout(31).code(c -> c.imageUri(image)).build();

    // Failed by someone else's update (or before a restart): ours is asked for once.
    assertThat(step.ensureManaged(longer).busy()).isTrue();
    assertThat(log).containsExactly("UpdateFunctionConfiguration sample", "Updated function sample");

    // AWS aborted it too: reported with AWS's reason, not asked for again.
    log.clear();
    assertThatThrownBy(() -> step.ensureManaged(longer)).isInstanceOfSatisfying(AwsFailure.class, f -> {
      assertThat(f.reason()).isEqualTo(Reason.AwsError);
      assertThat(f.getMessage()).contains("function sample: AWS aborted its update (timeout 30s -> 31s): LastUpdateStatus Failed, "
          + "ImageDeleted: The function is trying to use a deleted image.").contains("previous code and configuration still serve");
    });
    assertThat(log).isEmpty();

    // A new image in the spec goes first: it may be the fix.
    String fresh = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:2";
    assertThat(step.ensureManaged(longer.toBuilder().code(c -> c.imageUri(fresh)).build()).busy()).isTrue();
    assertThat(log).containsExactly("UpdateFunctionCode sample " + fresh, "Updated function sample");
  }
}
