package io.lambdaingress.operator.aws;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** An AWS call failed, with our {@link Reason} and a message naming the resource it was about. */
public final class AwsFailure extends RuntimeException {

  private static final Set<String> ACCESS_DENIED = Set.of(
      "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure",
      "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException");
  private static final Set<String> THROTTLED = Set.of(
      "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
      "RequestThrottled", "RequestThrottledException", "SlowDown");
  private static final Set<String> NOT_FOUND = Set.of(
      "InvalidSubnetID.NotFound", "InvalidSubnet", "SubnetNotFound", "InvalidGroup.NotFound",
      "InvalidSecurityGroup", "InvalidSecurityGroupID.NotFound", "InvalidVpcID.NotFound",
      "RepositoryNotFoundException", "ImageNotFoundException", "ResourceNotFoundException",
      "LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound", "NoSuchEntity", "CertificateNotFound", "WAFNonexistentItemException",
      "ProvisionedConcurrencyConfigNotFoundException");
  private static final Set<String> CONFLICT = Set.of("DuplicateLoadBalancerName", "DuplicateTargetGroupName",
      "DuplicateListener");
  private static final Set<String> INVALID = Set.of("ValidationError", "InvalidConfigurationRequest",
      "InvalidParameterValueException", "InvalidParameterValue", "InvalidParameterCombination",
      "InvalidTarget", "InvalidScheme", "InvalidLoadBalancerAction", "IncompatibleProtocols", "SSLPolicyNotFound",
      // A certificate not ISSUED yet (or without a name ALB can serve): AWS's answer names it.
      "UnsupportedCertificate",
      // A function's resource policy is full (20 KB): the spec shares the function with too many objects or routes.
      "PolicyLengthExceededException");

  private final Reason reason;
  private final String awsErrorCode;

  public AwsFailure(Reason reason, String message, String awsErrorCode, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.awsErrorCode = awsErrorCode;
  }

  public AwsFailure(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The AWS error code behind this failure, or null when it did not come from AWS. */
  public String awsErrorCode() {
    return awsErrorCode;
  }

  /** Maps an SDK exception to our reason; {@code what} names the resource, e.g. "ALB li-default-sample-alb". */
  public static AwsFailure of(SdkException e, String what) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      String code = ase.awsErrorDetails().errorCode();
      String awsMessage = ase.awsErrorDetails().errorMessage();
      Reason reason = reasonFor(code, awsMessage, ase.statusCode(), ase.isThrottlingException());
      return new AwsFailure(reason, what + ": " + code + (awsMessage == null ? "" : ": " + awsMessage), code, e);
    }
    return new AwsFailure(Reason.AwsError, what + ": " + e.getMessage(), null, e);
  }

  static Reason reasonFor(String code, String message, int httpStatus, boolean sdkSaysThrottled) {
    Reason transientState = transientState(code, message == null ? "" : message);
    if (transientState != null) {
      return transientState;
    }
    if (code != null) {
      // Lambda refuses an image that is not in ECR as an invalid parameter ("Source image <uri> does not exist.
      // Provide a valid source image.", as AWS answered terraform and CDK users in their public bug reports), not
      // with ECR's ImageNotFoundException: an image not pushed yet, which heals once it is, like any dependency.
      if (code.equals("InvalidParameterValueException") && message != null && message.startsWith("Source image ")
          && message.contains(" does not exist")) {
        return Reason.DependencyNotFound;
      }
      if (ACCESS_DENIED.contains(code)) {
        return Reason.AwsAccessDenied;
      }
      if (THROTTLED.contains(code)) {
        return Reason.AwsThrottled;
      }
      if (NOT_FOUND.contains(code)) {
        return Reason.DependencyNotFound;
      }
      if (CONFLICT.contains(code)) {
        return Reason.NameConflict;
      }
      if (INVALID.contains(code)) {
        return Reason.InvalidSpec;
      }
    }
    if (sdkSaysThrottled || httpStatus == 429) {
      return Reason.AwsThrottled;
    }
    if (httpStatus == 403) {
      return Reason.AwsAccessDenied;
    }
    return Reason.AwsError;
  }

  /**
   * AWS errors that only say "not yet": they look like a refusal (AccessDenied, InvalidParameterValue) but
   * clear by themselves once AWS has propagated or finished something we just did.
   */
  private static Reason transientState(String code, String message) {
    if (code == null) {
      return null;
    }
    // ELB user guide, "Lambda functions as targets": the invoke permission takes a moment to be seen by ELB.
    if (code.equals("AccessDenied") && message.contains("principal does not have permission to invoke")) {
      return Reason.Propagating;
    }
    // Lambda developer guide, "Lambda execution role": a role just created (or its policy) propagates
    // through IAM for a few seconds; CreateFunction meanwhile says it cannot assume it or use it.
    if (code.equals("InvalidParameterValueException")
        && (message.contains("cannot be assumed by Lambda") || message.contains("execution role does not have permissions"))) {
      return Reason.Propagating;
    }
    // AWS WAF: a resource just created (an ALB) is not seen by WAF for a while; AssociateWebACL says it cannot retrieve
    // it (WAF API reference, errors; terraform-provider-aws retries its association on it for minutes).
    if (code.equals("WAFUnavailableEntityException")) {
      return Reason.Propagating;
    }
    // Lambda: an update or publish while the function is Pending or an update is InProgress.
    if (code.equals("ResourceConflictException")) {
      return Reason.Progressing;
    }
    // Elastic Load Balancing: a deletion refused while a listener, a rule or a load balancer AWS is still deleting
    // holds the resource (DeleteTargetGroup, DeleteLoadBalancer); it goes through once AWS has finished. When it
    // never does (something not ours forwards to it), reasonIfItPersists says so.
    if (code.equals("ResourceInUse")) {
      return Reason.Progressing;
    }
    return null;
  }

  /**
   * What a "not yet" failure means when it does not clear: AWS words a role that does not exist (or does not
   * trust Lambda) exactly like a role still propagating, and a permission ELB never sees like one it does not
   * see yet; a resource in use that stays in use is held by something a person must remove. Null when the reason is
   * final already, or when it always clears (an update in progress).
   */
  public Reason reasonIfItPersists() {
    if (awsErrorCode == null) {
      return null;
    }
    if (reason == Reason.Progressing && awsErrorCode.equals("ResourceInUse")) {
      return Reason.AwsError;
    }
    // WAF not seeing an ALB yet always clears (terraform-provider-aws retries its association on it for minutes):
    // nothing in the spec to change.
    if (reason != Reason.Propagating || awsErrorCode.equals("WAFUnavailableEntityException")) {
      return null;
    }
    return awsErrorCode.equals("AccessDenied") ? Reason.AwsAccessDenied : Reason.InvalidSpec;
  }

  /**
   * AWS failed on its side (HTTP 5xx: InternalFailure, ServiceUnavailable): "please try again", and the SDK
   * already did, three times. Like throttling, it usually clears on the next attempt.
   */
  public boolean isServerError() {
    return getCause() instanceof AwsServiceException ase && ase.statusCode() >= 500;
  }

  /** Whether this failure says the resource itself is gone (so a read may treat it as absent). */
  public boolean isNotFound() {
    return reason == Reason.DependencyNotFound;
  }
}
