package io.lambdaingress.operator.aws;

import java.util.Optional;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.wafv2.model.WebACL;

/** WAFv2: which regional web ACL protects a load balancer, and (dis)associating one. */
public class WebAclClient {

  private final Wafv2Client waf;

  WebAclClient(Wafv2Client waf) {
    this.waf = waf;
  }

  /** For a unit test's fake of this adapter. */
  protected WebAclClient() {
    this(null);
  }

  /** The ARN of the web ACL associated with the resource; empty when none is. */
  public Optional<String> webAclOf(String resourceArn) {
    return Optional.ofNullable(AwsCall.run("web ACL of " + resourceArn,
        () -> waf.getWebACLForResource(r -> r.resourceArn(resourceArn)).webACL())).map(WebACL::arn);
  }

  /** Associates the web ACL with the resource; AWS replaces the one associated before, if any. */
  public void associate(String webAclArn, String resourceArn) {
    AwsCall.run("associate " + webAclArn + " with " + resourceArn, () -> waf.associateWebACL(r -> r.webACLArn(webAclArn).resourceArn(resourceArn)));
  }

  public void disassociate(String resourceArn) {
    AwsCall.run("disassociate the web ACL of " + resourceArn, () -> waf.disassociateWebACL(r -> r.resourceArn(resourceArn)));
  }
}
