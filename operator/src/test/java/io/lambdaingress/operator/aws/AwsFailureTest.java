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
      "PolicyLengthExceededException, 400, InvalidSpec",
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
  @CsvSource({"Progressing, true", "Propagating, true", "AwsThrottled, true", "AwsError, false", "InvalidSpec, false",
      "NameConflict, false", "AwsAccessDenied, false", "DependencyNotFound, false"})
  void onlyWaitingReasonsHealByThemselves(Reason reason, boolean heals) {
    assertThat(reason.healsByItself()).isEqualTo(heals);
  }

  /** Errors that look like refusals but only say "not yet" (AWS's own messages). */
  @ParameterizedTest(name = "{0}: {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "AccessDenied|403|elasticloadbalancing principal does not have permission to invoke arn:aws:lambda:us-east-1:1:function:f from target group arn:tg|Propagating",
      "InvalidParameterValueException|400|The role defined for the function cannot be assumed by Lambda.|Propagating",
      "InvalidParameterValueException|400|The provided execution role does not have permissions to call CreateNetworkInterface on EC2|Propagating",
      "ResourceConflictException|409|The operation cannot be performed at this time. An update is in progress for resource: arn:f|Progressing",
      "ResourceConflictException|409|The operation cannot be performed at this time. The function is currently in the following state: Pending|Progressing",
      // A deletion waiting its turn: the ALB AWS is still deleting holds the target group.
      "ResourceInUse|400|Target group 'arn:tg' is currently in use by a listener or a rule|Progressing",
      "AccessDenied|403|User: arn:aws:sts::1:assumed-role/x is not authorized to perform: elasticloadbalancing:RegisterTargets|AwsAccessDenied",
      "InvalidParameterValueException|400|Unsupported runtime|InvalidSpec",
      // What AWS answers CreateFunction/UpdateFunctionCode for an image that is not in ECR (issue 21).
      "InvalidParameterValueException|400|Source image 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v2 does not exist. Provide a valid source image.|DependencyNotFound",
  })
  void notYetErrorsHealByThemselves(String code, int status, String message, Reason expected) {
    AwsFailure failure = AwsFailure.of(awsError(code, status, message), "x");
    assertThat(failure.reason()).isEqualTo(expected);
    // Taken at its word when it does not clear: AWS says the same for a role that does not exist.
    Reason persisting = failure.reasonIfItPersists();
    if (expected == Reason.Propagating) {
      assertThat(persisting).isEqualTo(code.equals("AccessDenied") ? Reason.AwsAccessDenied : Reason.InvalidSpec);
    } else if (code.equals("ResourceInUse")) {
      // Still in use after the retries: held by something a person must remove.
      assertThat(persisting).isEqualTo(Reason.AwsError);
    } else {
      assertThat(persisting).isNull();
    }
  }

  private static AwsServiceException awsError(String code, int status, String message) {
    return AwsServiceException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .statusCode(status)
        .build();
  }
}
