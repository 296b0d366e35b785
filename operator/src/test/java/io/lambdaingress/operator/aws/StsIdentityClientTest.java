package io.lambdaingress.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class StsIdentityClientTest {

  @Test
  void spellsOutTheFeatureIdsTheSdkNamesItsCredentialProvidersWith() {
    assertThat(StsIdentityClient.spellOut("h,k")).isEqualTo("CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN+CREDENTIALS_STS_ASSUME_ROLE_WEB_ID");
    assertThat(StsIdentityClient.spellOut("z")).isEqualTo("CREDENTIALS_HTTP");
    // Older SDKs named the provider class; anything unknown is kept as the SDK said it.
    assertThat(StsIdentityClient.spellOut("ContainerCredentialsProvider")).isEqualTo("ContainerCredentialsProvider");
  }

  @Test
  void aFailureKeepsTheTellingCauseTheSdkWrapped() {
    SdkClientException wrapped = SdkClientException.create("Failed to load credentials from metadata service.",
        SdkClientException.create("Unauthorized\n  more detail", new IllegalStateException("Unauthorized\n")));
    assertThat(StsIdentityClient.messages(wrapped)).isEqualTo("Failed to load credentials from metadata service.: Unauthorized");
  }
}
