package io.lambdaingress.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.aws.AwsCallCounter.FailedAttempts;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollector;

/** The failed attempts the SDK's metrics report, as the counter keeps them for lambdaingress_aws_failed_attempts_total. */
class AwsCallCounterTest {

  @Test
  void eachFailedAttemptCountsUnderItsActionAndTheSdksErrorType() {
    AwsCallCounter counter = new AwsCallCounter();
    // As the SDK reports a call throttled twice, then answered: three attempts, two with an error type.
    counter.publish(call("Elastic Load Balancing v2", "DescribeTags", "Throttling", "Throttling", null));
    counter.publish(call("Lambda", "GetFunction", "Other"));
    counter.publish(call("Lambda", "GetFunction", (String) null));
    counter.publish(call("EC2", "DescribeSubnets", "ServerError"));

    assertThat(counter.failedAttempts()).containsExactlyInAnyOrderEntriesOf(Map.of(
        new FailedAttempts("elasticloadbalancing", "DescribeTags", "Throttling"), 2L,
        new FailedAttempts("lambda", "GetFunction", "Other"), 1L,
        new FailedAttempts("ec2", "DescribeSubnets", "ServerError"), 1L));
  }

  /** One API call's metric collection with one attempt per error type given (null: an attempt that succeeded). */
  private static software.amazon.awssdk.metrics.MetricCollection call(String serviceId, String operation, String... attempts) {
    MetricCollector call = MetricCollector.create("ApiCall");
    call.reportMetric(CoreMetric.SERVICE_ID, serviceId);
    call.reportMetric(CoreMetric.OPERATION_NAME, operation);
    for (String errorType : attempts) {
      MetricCollector attempt = call.createChild("ApiCallAttempt");
      if (errorType != null) {
        attempt.reportMetric(CoreMetric.ERROR_TYPE, errorType);
      }
    }
    return call.collect();
  }
}
