package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;

/** The alias and the operator's versions, against a fake of Lambda's versions and aliases: each write said once AWS accepted it. */
class AliasStepTest {

  private final List<String> log = new ArrayList<>();
  private final FakeVersions lambda = new FakeVersions(log);
  private final AliasStep step = new AliasStep(lambda, (action, resource, why) -> log.add(action + " " + resource));
  // $LATEST's configuration, the same as every version's unless a test says otherwise.
  private static final CreateFunctionRequest LATEST = FakeVersions.settings(FakeVersions.DEFAULT_MEMORY);

  @Test
  void aDigestWithAVersionReusesTheNewestAndLatestIsPublishedOnce() {
    lambda.addVersion("1", "aaa", true);
    lambda.addVersion("2", "aaa", true);
    lambda.latest("bbb");
    assertThat(step.versionRunning("fn", lambda.versions("fn"), "sha256:aaa", "sha256:bbb", LATEST)).isEqualTo("2");
    assertThat(log).as("no write for a version already published").isEmpty();

    assertThat(step.versionRunning("fn", lambda.versions("fn"), "sha256:bbb", "sha256:bbb", LATEST)).isEqualTo("3");
    assertThat(log).containsExactly("PublishVersion fn", "Published version of function fn");
  }

  @Test
  void aConfigurationChangeAloneIsPublishedForLatestsDigestButNotForAnOlderOne() {
    lambda.addVersion("1", "aaa", true);
    lambda.addVersion("2", "bbb", true);
    lambda.latest("bbb", 1024);
    CreateFunctionRequest moreMemory = FakeVersions.settings(1024);
    // $LATEST's digest: version 2 has its code but not its memory any more, so the alias would serve the old one.
    assertThat(step.versionRunning("fn", lambda.versions("fn"), "sha256:bbb", "sha256:bbb", moreMemory)).isEqualTo("3");
    assertThat(log).containsExactly("PublishVersion fn", "Published version of function fn");
    // Published once: the next run finds it.
    assertThat(step.versionRunning("fn", lambda.versions("fn"), "sha256:bbb", "sha256:bbb", moreMemory)).isEqualTo("3");
    // An older digest (a canary's stable side) keeps the version it has, whatever $LATEST's configuration.
    assertThat(step.versionRunning("fn", lambda.versions("fn"), "sha256:aaa", "sha256:bbb", moreMemory)).isEqualTo("1");
    assertThat(log).hasSize(2);
  }

  @Test
  void aDigestWithNoVersionThatLatestNoLongerRunsFailsWithoutAWrite() {
    lambda.latest("bbb");
    assertThatThrownBy(() -> step.versionRunning("fn", lambda.versions("fn"), "sha256:aaa", "sha256:bbb", LATEST))
        .isInstanceOfSatisfying(AwsFailure.class, f -> assertThat(f.getMessage()).contains("has no version of sha256:aaa any more"));
    assertThat(log).isEmpty();
  }

  @Test
  void aPublishAnsweredWithAVersionOfOtherCodeFailsAndSendsNoTrafficToIt() {
    // $LATEST's version was deleted (out of band) and $LATEST is unchanged since: Lambda answers with version 1, older code.
    lambda.addVersion("1", "aaa", true);
    lambda.latest("bbb");
    lambda.unchangedSince("1");
    assertThatThrownBy(() -> step.versionRunning("fn", lambda.versions("fn"), "sha256:bbb", "sha256:bbb", LATEST))
        .isInstanceOfSatisfying(AwsFailure.class, f -> assertThat(f.getMessage())
            .contains("PublishVersion of sha256:bbb answered version 1, which runs sha256:aaa"));
    assertThat(log).containsExactly("PublishVersion fn", "Published version of function fn");
  }

  @Test
  void latestsVersionIsTheNewestWithItsCodeAndConfiguration() {
    lambda.addVersion("1", "aaa", true);
    lambda.addVersion("2", "bbb", true);
    lambda.addVersion("3", "bbb", true, 1024);
    lambda.addVersion("4", "bbb", true);
    lambda.addVersion("5", "ccc", true);
    assertThat(AliasStep.latestsVersion(lambda.versions("fn"), "sha256:bbb", LATEST)).contains("4");
    assertThat(AliasStep.latestsVersion(lambda.versions("fn"), "sha256:bbb", FakeVersions.settings(1024))).contains("3");
    assertThat(AliasStep.latestsVersion(lambda.versions("fn"), "sha256:ddd", LATEST)).isEmpty();
  }

  @Test
  void theAliasIsCreatedThenUpdatedOnlyWhenItDiffers() {
    String arn = step.ensure("fn", "1", Map.of(), "version 1");
    assertThat(arn).isEqualTo(FakeVersions.ARN + "fn:live");
    assertThat(step.ensure("fn", "1", Map.of(), "version 1")).isEqualTo(arn);
    step.ensure("fn", "1", Map.of("2", 0.1), "version 1, 10 % to version 2");
    step.ensure("fn", "1", Map.of("2", 0.1), "version 1, 10 % to version 2");
    assertThat(log).containsExactly("CreateAlias live 1 {}", "Created alias live of function fn",
        "UpdateAlias live 1 {2=0.1}", "Updated alias live of function fn");
  }

  @Test
  void anAliasWriteAwsRefusesIsNotAnnounced() {
    lambda.refuseWrites(new AwsFailure(Reason.AwsAccessDenied, "not authorized to perform: lambda:CreateAlias", "AccessDeniedException", null));
    assertThatThrownBy(() -> step.ensure("fn", "1", Map.of(), "version 1")).isInstanceOf(AwsFailure.class);
    assertThat(log).containsExactly("CreateAlias live 1 {}");
  }

  @Test
  void onlyOurVersionsNotKeptArePrunedAndOneAnotherAliasUsesStays() {
    lambda.addVersion("1", "aaa", true);
    lambda.addVersion("2", "bbb", false);
    lambda.addVersion("3", "ccc", true);
    lambda.addVersion("4", "ddd", true);
    lambda.inUse("3");
    step.prune("fn", lambda.versions("fn"), Set.of("4"), "neither stable nor canary");
    assertThat(lambda.versionNumbers()).containsExactly("2", "3", "4");
    assertThat(log).containsExactly("DeleteFunction fn:1", "Deleted version 1 of function fn", "DeleteFunction fn:3");
  }

  @Test
  void removingGoesAliasFirstThenEveryVersionOfOurs() {
    lambda.addVersion("1", "aaa", true);
    lambda.addVersion("2", "bbb", false);
    step.ensure("fn", "1", Map.of(), "version 1");
    log.clear();
    step.remove("fn", "rollout switched off");
    assertThat(log).containsExactly("DeleteAlias live", "Deleted alias live of function fn",
        "DeleteFunction fn:1", "Deleted version 1 of function fn");
    assertThat(lambda.versionNumbers()).containsExactly("2");
  }
}
