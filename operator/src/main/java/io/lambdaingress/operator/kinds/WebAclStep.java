package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.aws.WebAclClient;
import io.lambdaingress.operator.model.ChainModel;
import java.util.Optional;

/**
 * The ALB's AWS WAF web ACL (spec.alb.webAclArn): associated, put back when disassociated or replaced out of band
 * (AssociateWebACL replaces the resource's association), and disassociated once removed from the spec, only if it is
 * still the one the status recorded (a web ACL someone else associated, say by Firewall Manager, is theirs). Costs no
 * call for an object that never had one.
 */
public final class WebAclStep {

  private final WebAclClient waf;
  private final Announcer writes;
  private final String region;

  public WebAclStep(WebAclClient waf, Announcer writes, String region) {
    this.waf = waf;
    this.writes = writes;
    this.region = region;
  }

  /** Refuses a web ACL of another region (no call: the ARN says it). */
  public void requireInRegion(ChainModel.AlbSide alb) {
    alb.webAclOutside(region).ifPresent(r -> {
      throw new AwsFailure(Reason.InvalidSpec, "spec.alb.webAclArn: web ACL " + alb.webAclArn().get() + " is in " + r + " but the ALB is in "
          + region + "; an ALB takes a regional web ACL of its own region: create it in " + region + " and use that ARN");
    });
  }

  /**
   * @param recorded the web ACL the status recorded as associated by us (null: none)
   * @return the web ACL associated with the ALB by us now, for the status (null: none)
   */
  public String ensure(String albName, String albArn, Optional<String> desired, String recorded) {
    if (desired.isEmpty() && recorded == null) {
      return null;
    }
    Optional<String> current = waf.webAclOf(albArn);
    if (desired.isPresent()) {
      if (!current.equals(desired)) {
        try {
          writes.made("Updated", "ALB " + albName, "web ACL " + current.orElse("none") + " -> " + desired.get(),
              () -> waf.associate(desired.get(), albArn));
        } catch (AwsFailure f) {
          if (!f.isNotFound()) {
            throw f;
          }
          throw new AwsFailure(Reason.DependencyNotFound, "spec.alb.webAclArn: web ACL " + desired.get() + " does not exist in AWS WAF ("
              + region + ", regional): check the ARN, and that it is a regional web ACL of this account", f.awsErrorCode(), f);
        }
      }
      return desired.get();
    }
    if (current.isPresent() && current.get().equals(recorded)) {
      writes.made("Updated", "ALB " + albName, "web ACL " + recorded + " disassociated: spec.alb.webAclArn removed",
          () -> waf.disassociate(albArn));
    }
    return null;
  }
}
