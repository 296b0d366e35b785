package io.lambdaingress.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class AwsFailureTest {

  @ParameterizedTest(name = "{0} (HTTP {1}) -> {2}")
  @CsvSource({
      "AccessDenied, 403, AwsAccessDenied",
      "AccessDeniedException, 403, AwsAccessDenied",
      "UnauthorizedOperation, 403, AwsAccessDenied",
      "Throttling, 400, AwsThrottled",
      "ThrottlingException, 400, AwsThrottled",
      "TooManyRequestsException, 429, AwsThrottled",
      "RequestLimitExceeded, 503, AwsThrottled",
      "InvalidSubnetID.NotFound, 400, DependencyNotFound",
      "InvalidGroup.NotFound, 400, DependencyNotFound",
      "RepositoryNotFoundException, 400, DependencyNotFound",
      "ImageNotFoundException, 400, DependencyNotFound",
      "ResourceNotFoundException, 404, DependencyNotFound",
      "LoadBalancerNotFound, 400, DependencyNotFound",
      "DuplicateLoadBalancerName, 400, NameConflict",
      "DuplicateTargetGroupName, 400, NameConflict",
      "ValidationError, 400, InvalidSpec",
      "InvalidConfigurationRequest, 400, InvalidSpec",
      "InvalidParameterValueException, 400, InvalidSpec",
      "SomethingNew, 500, AwsError",
      "SomethingNew, 403, AwsAccessDenied",
      "SomethingNew, 429, AwsThrottled",
  })
  void awsErrorCodesMapToOurReasons(String code, int status, Reason expected) {
    AwsServiceException e = AwsServiceException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("details").build())
        .statusCode(status)
        .build();

    AwsFailure failure = AwsFailure.of(e, "ALB li-sample");

    assertThat(failure.reason()).isEqualTo(expected);
    assertThat(failure.awsErrorCode()).isEqualTo(code);
    assertThat(failure.getMessage()).isEqualTo("ALB li-sample: " + code + ": details");
  }

  @ParameterizedTest
  @CsvSource({"AwsThrottled, true", "AwsError, true", "InvalidSpec, false", "NameConflict, false",
      "AwsAccessDenied, false", "DependencyNotFound, false"})
  void onlyThrottlingAndUnknownErrorsAreTransient(Reason reason, boolean transientFailure) {
    assertThat(reason.transientFailure()).isEqualTo(transientFailure);
  }
}
