package io.lambdaingress.operator.aws;

/**
 * The machine-readable reasons of a failed reconcile, as they appear in the Ready condition.
 * They are part of the user-facing API (see the API doc): add, never rename.
 */
public enum Reason {
  /** The spec asks for something AWS (or our own rules) cannot do; a person must change the spec. */
  InvalidSpec,
  /** A name we derive is taken by a resource we do not own (no owner tags): we never adopt it. */
  NameConflict,
  /** The operator's IAM identity may not make a call. */
  AwsAccessDenied,
  /** AWS throttled us past the SDK's retries; the reconcile is retried with backoff. */
  AwsThrottled,
  /** Something the spec refers to does not exist (subnet, security group, ECR repository or tag, function). */
  DependencyNotFound,
  /** Any other AWS error. */
  AwsError;

  /** Whether retrying without a spec change can help. */
  public boolean transientFailure() {
    return this == AwsThrottled || this == AwsError;
  }
}
