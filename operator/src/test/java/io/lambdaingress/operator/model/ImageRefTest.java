package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.api.AwsIdPatterns;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRefTest {

  @Test
  void aTaggedEcrUriKeepsItsRegistryAndRegion() {
    ImageRef ref = ImageRef.fromUri("999999999999.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.2");
    assertThat(ref).isEqualTo(new ImageRef("team/app", "v1.2", null, "999999999999", "eu-west-1"));
    assertThat(ref.pinnedParts()).isNull();
  }

  @Test
  void aPinnedUriIsUsedAsItIs() {
    String digest = "sha256:" + "ab".repeat(32);
    ImageRef ref = ImageRef.fromUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/app@" + digest);
    assertThat(ref.pinnedParts()).containsExactly("123456789012.dkr.ecr.us-east-1.amazonaws.com/app", digest);
  }

  @Test
  void repositoryAndTagMeanTheOperatorsOwnRegistryAndLatestByDefault() {
    assertThat(ImageRef.tagged("app", null)).isEqualTo(new ImageRef("app", "latest", null, null, null));
  }

  @Test
  void anythingElseIsNotUnderstood() {
    assertThat(ImageRef.fromUri("docker.io/library/nginx:1.27")).isNull();
    assertThat(ImageRef.fromUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/app")).isNull();
  }

  /** The CRD refuses at apply what the model would not understand, and nothing it would. */
  @ParameterizedTest
  @ValueSource(strings = {
      "999999999999.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.2",
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:latest",
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abababababababababababababababababababababababababababababababab",
      "public.ecr.aws/team/app@sha256:abababababababababababababababababababababababababababababababab",
      "docker.io/library/nginx:1.27",
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/app",
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc",
      "app:latest",
  })
  void theCrdPatternAcceptsExactlyWhatTheModelUnderstands(String uri) {
    assertThat(Pattern.compile(AwsIdPatterns.IMAGE_URI).matcher(uri).matches()).as(uri).isEqualTo(ImageRef.fromUri(uri) != null);
  }
}
