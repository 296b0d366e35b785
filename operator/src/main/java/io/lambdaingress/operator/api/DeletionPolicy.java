package io.lambdaingress.operator.api;

/** What happens to the AWS resources when the object is deleted. */
public enum DeletionPolicy {
  /** Delete them, in dependency order (the default). */
  Delete,
  /** Leave them in AWS, tags and all; the object goes at once. */
  Retain
}
