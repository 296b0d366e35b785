package io.lambdaingress.operator.aws;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * A mass deletion asks about many resources that are already gone: a throttled read whose retry is then
 * answered "not found" never records a success. The strategy must go on retrying throttled calls however
 * many such reads came before (the SDK's own standard mode stops after 100, for every call of the client).
 */
class RetryStrategyTest {

  private static final AwsServiceException THROTTLED = AwsServiceException.builder().statusCode(400)
      .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").build()).build();

  @Test
  void throttledReadsOfGoneResourcesDoNotStopRetries() {
    RetryStrategy strategy = AwsClients.retryStrategy();
    for (int i = 0; i < 1000; i++) {
      int call = i;
      assertDoesNotThrow(() -> throttledThenGone(strategy), () -> "call " + call);
    }
  }

  @Test
  void theSdkStandardModeStopsRetryingAfterAHundredSuch() {
    RetryStrategy sdk = AwsRetryStrategy.forRetryMode(RetryMode.STANDARD);
    for (int i = 0; i < 100; i++) {
      throttledThenGone(sdk);
    }
    assertThrows(TokenAcquisitionFailedException.class, () -> throttledThenGone(sdk));
  }

  /** One call: its first attempt throttled and retried; the retry is answered "not found" (no success recorded). */
  private static long throttledThenGone(RetryStrategy strategy) {
    var token = strategy.acquireInitialToken(AcquireInitialTokenRequest.create("elasticloadbalancing")).token();
    return strategy.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(THROTTLED).build()).delay().toMillis();
  }
}
