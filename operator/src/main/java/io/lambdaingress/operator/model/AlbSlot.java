package io.lambdaingress.operator.model;

/**
 * Which of the two name sets of the ALB side ({@link LoadBalancerNames#second()}) a chain wants. An ALB
 * setting AWS takes only at creation (its scheme) is changed by building a whole new ALB side under the
 * other set while the old one serves: ALB, listener, alb target group with the ALB registered, lambda target
 * groups and permission, and the routes' rules with their own groups and permissions ({@link RouteNames#second()}:
 * AWS lets a target group serve one load balancer); the NLB listener's default action then moves from the old
 * alb target group to the new one in one ModifyListener, and the old side is deregistered, drained and deleted,
 * its routes' groups with it. The choice is made from what AWS holds on every run, so a crash at any write
 * resumes the same replacement.
 */
public enum AlbSlot {
  FIRST, SECOND;

  /** How an existing ALB of a slot compares with the spec. */
  public enum Fit {
    /** No ALB of this slot's name. */
    ABSENT,
    /** Its creation-only settings are the spec's (or it is not ours: then the ownership check speaks). */
    FITS,
    /** A setting AWS takes only at creation differs. */
    DIFFERS
  }

  public AlbSlot other() {
    return this == FIRST ? SECOND : FIRST;
  }

  /**
   * The slot the spec is built in: the one the NLB forwards to while it fits, else the other one that fits,
   * else a free one (FIRST before SECOND, so an object that never had a replacement keeps its first names).
   * When both exist and neither fits (an out-of-band re-creation), the one the NLB does not forward to: it
   * serves nothing and is rebuilt in place.
   *
   * @param forwarded the slot whose alb target group the NLB listener forwards to; null when none
   */
  public static AlbSlot wanted(Fit first, Fit second, AlbSlot forwarded) {
    if (forwarded != null && fit(forwarded, first, second) == Fit.FITS) {
      return forwarded;
    }
    if (first == Fit.FITS) {
      return FIRST;
    }
    if (second == Fit.FITS) {
      return SECOND;
    }
    if (first == Fit.ABSENT) {
      return FIRST;
    }
    if (second == Fit.ABSENT) {
      return SECOND;
    }
    return forwarded == FIRST ? SECOND : FIRST;
  }

  private static Fit fit(AlbSlot slot, Fit first, Fit second) {
    return slot == FIRST ? first : second;
  }
}
