package io.lambdaingress.operator.aws;

/**
 * The one table of reasons a LambdaIngress is not Ready, as they appear in the Ready condition. Each says
 * whether it heals by itself; the reconciler (how it retries and which Event it emits), the status, the
 * Argo CD health check (docs/argocd/lambdaingress-health.lua) and docs/troubleshooting.md all follow this
 * table, and tests hold them to it. The names are part of the user-facing API: add, never rename.
 *
 * <p>Every reason is retried with backoff (a spec that cannot work gives the same answer again, cheaply);
 * what differs is who must act: for a reason that heals by itself, nobody (Normal Event, Argo CD
 * Progressing); for the others, a person (Warning Event, Argo CD Degraded).
 */
public enum Reason {
  /** AWS is finishing something we started: a function Pending or InProgress, a replacement under way, a
   *  change refused with ResourceConflictException because an earlier one is still being applied, a deletion refused
   *  with ResourceInUse while a load balancer AWS is still deleting holds the resource. */
  Progressing(true),
  /** AWS has not yet propagated a change just made: an invoke permission ELB does not see yet, an IAM role
   *  Lambda cannot assume yet, a resource just created that a read does not show yet. */
  Propagating(true),
  /** AWS throttled us past the SDK's retries. */
  AwsThrottled(true),
  /** The spec asks for something AWS (or our own rules) cannot do; a person must change the spec. Also an existing
   *  function whose 20 KB resource policy is full: too many objects or routes share it. */
  InvalidSpec(false),
  /** A name we derive is taken by a resource we do not own (no owner tags): we never adopt it. */
  NameConflict(false),
  /** The operator's IAM identity may not make a call. */
  AwsAccessDenied(false),
  /** Something the spec refers to does not exist (subnet, security group, ECR repository or tag, function);
   *  it clears when the dependency appears, but only a person can make it appear. */
  DependencyNotFound(false),
  /** Any other AWS error: retried, but a person should look (the message has AWS's own words). Also an update AWS
   *  accepted and then aborted (LastUpdateStatus Failed, previous code and configuration kept): not asked for again
   *  until the spec changes, since it would fail the same way. */
  AwsError(false),
  /** A CloudWatch alarm of spec.lambda.function.rollout went to ALARM during a rollout: the stable version
   *  takes all requests again, and the digest is not rolled out again until the tag moves or a person asks. */
  RolloutAborted(false);

  private final boolean healsByItself;

  Reason(boolean healsByItself) {
    this.healsByItself = healsByItself;
  }

  /** True when waiting is enough: nobody has to act. */
  public boolean healsByItself() {
    return healsByItself;
  }
}
