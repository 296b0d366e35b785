"""Rules of the AWS rules layer about AWS WAF web ACLs on load balancers (moto 5.2 associates any ARN, and lets a
resource hold several web ACLs).

A resource has one web ACL: AssociateWebACL replaces the one it had. The resource must exist, in the region called, and
the web ACL be a regional one of that region. A load balancer just created is not seen by WAF for a while. Each follows the page it names (RULES); docs/testing.md has the same table.
"""
import json
import os

from moto.elbv2.models import elbv2_backends
from moto.wafv2.models import wafv2_backends

from refused import Refused

ASSOCIATE = "https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html"
RULES = [
    ("wafv2-one-web-acl-per-resource", "a resource is associated with one web ACL: AssociateWebACL of another web ACL replaces "
     "the association (moto adds a second one, and GetWebACLForResource answers whichever it finds first)",
     # Recorded: pulumi/pulumi-aws#4782 (associating ACL-B removes the ALB from ACL-A), aws-solutions-library-samples/
     # guidance-for-custom-game-backend-hosting-on-aws#34 ("associateWebACL ... replace[s] WebACL of a resource without any error").
     "https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html", None),
    ("wafv2-resource-exists", "AssociateWebACL of a load balancer that does not exist answers WAFNonexistentItemException "
     "(moto associates any ARN since getmoto/moto#8163)", ASSOCIATE, None),
    ("wafv2-regional-same-region", "AssociateWebACL takes a REGIONAL web ACL and a resource of the region it is called in: a "
     "CloudFront (global) web ACL, or a web ACL or a resource of another region, answers WAFInvalidParameterException \"Error "
     "reason: The ARN isn't valid. ...\" naming the ARN (moto: WAFNonexistentItemException for the web ACL, and it associates "
     "a load balancer of another region)",
     # Recorded: an ALB of ap-southeast-1 with a web ACL of us-east-1 (hashicorp/terraform-provider-aws#37778, the ALB's ARN
     # named); a CloudFront web ACL's ARN named in the same answer (hashicorp/terraform-provider-aws#28753). The page: "the
     # web ACL must be in the same region as your resource"; a global web ACL goes with CloudFront distributions.
     "https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html", None),
    ("wafv2-unavailable-after-create", "AssociateWebACL of a load balancer created less than webAclAssociationDelaySeconds ago "
     "answers WAFUnavailableEntityException (WAF does not see it yet); terraform-provider-aws retries its association on "
     "this error (internal/service/wafv2/web_acl_association.go)", ASSOCIATE, "webAclAssociationDelaySeconds"),
]

KNOBS = {
    # AWS: seconds to minutes after CreateLoadBalancer. Short here; every object with a web ACL meets it.
    "webAclAssociationDelaySeconds": float(os.environ.get("AWS_RULES_WEB_ACL_ASSOCIATION_DELAY_SECONDS", "1")),
}

NONEXISTENT = ("AWS WAF couldn\u2019t perform the operation because your resource doesn\u2019t exist. If you've just created a "
               "resource that you're using in this operation, you might just need to wait a few minutes.")
INVALID_ARN = ("Error reason: The ARN isn't valid. A valid ARN begins with arn: and includes other information separated by "
               "colons or slashes., field: RESOURCE_ARN, parameter: {arn}")
UNAVAILABLE = ("AWS WAF couldn\u2019t retrieve a resource that you specified for this operation. If you've just created a "
               "resource that you're using in this operation, you might just need to wait a few minutes.")


def before(call, now, knob, created_at):
    if call.service != "wafv2" or call.target != "AssociateWebACL":
        return
    request = json.loads(call.body or b"{}")
    resource, web_acl = request.get("ResourceArn", ""), request.get("WebACLArn", "")
    if ":elasticloadbalancing:" not in resource:
        return
    parts = resource.split(":")
    account, region = parts[4], parts[3]
    for arn in (web_acl, resource):
        arn_parts = arn.split(":")
        if len(arn_parts) < 6 or arn_parts[3] != call.region or arn_parts[5].startswith("global/"):
            raise Refused(400, "WAFInvalidParameterException", INVALID_ARN.format(arn=arn))
    if resource not in elbv2_backends[account][region].load_balancers:
        raise Refused(400, "WAFNonexistentItemException", NONEXISTENT)
    at = created_at(resource)
    if at is not None and now - at < knob("webAclAssociationDelaySeconds"):
        raise Refused(400, "WAFUnavailableEntityException", UNAVAILABLE)
    backend = wafv2_backends[account][region]
    if web_acl not in backend.wacls:
        return  # moto answers WAFNonexistentItemException itself, and the old association stays
    # The association replaces any before it, the same web ACL's included (moto would list the resource twice).
    for acl in backend.wacls.values():
        while resource in acl.associated_resources:
            acl.associated_resources.remove(resource)
