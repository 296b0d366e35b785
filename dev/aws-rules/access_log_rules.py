"""Rules of the AWS rules layer about load balancer access logs (moto 5.2 turns them on to any bucket, or none).

Turning access logs on makes Elastic Load Balancing write a test file, <bucket>/[<prefix>/]AWSLogs/<account>/
ELBAccessLogTestFile, with the identity the bucket policy must allow; when it cannot, ModifyLoadBalancerAttributes is
refused. The layer reads the bucket and its policy from moto's S3 (the same state the S3 API of this endpoint serves)
and judges the policy as S3 would for that one write. Each follows the page it names (RULES); docs/testing.md has the
same table.
"""
import json
from fnmatch import fnmatchcase

from moto.s3.models import s3_backends

from arn_lookup import account_of, load_balancer
from policy_json import as_list
from refused import Refused

ALB_PAGE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html"
NLB_PAGE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-access-logs.html"

# "Regions available before August 2022": the Region's Elastic Load Balancing account, granted as
# arn:aws:iam::<account>:root (ALB_PAGE, step 2; the same map as terraform-provider-aws's aws_elb_service_account).
# Other Regions grant the service principal. The operator's message names the same (model/AccessLogBucketPolicy.java).
ELB_ACCOUNTS = {
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
    "af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378", "ap-northeast-3": "383597477331", "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251", "eu-central-1": "054676820928", "eu-west-1": "156460612806",
    "eu-west-2": "652711504416", "eu-south-1": "635631232127", "eu-west-3": "009996457667", "eu-north-1": "897822967062",
    "me-south-1": "076674570225", "sa-east-1": "507241528517",
}
ALB_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
NLB_SERVICE = "delivery.logs.amazonaws.com"

RULES = [
    ("elb-access-logs-bucket-policy", "ModifyLoadBalancerAttributes that turns access logs on (access_logs.s3.enabled true) "
     "answers 400 InvalidConfigurationRequest \"Access Denied for bucket: <bucket>. Please check S3bucket permission\" "
     "unless the bucket exists in the load balancer's Region and its policy lets Elastic Load Balancing put "
     "<bucket>/[<prefix>/]AWSLogs/<account>/ELBAccessLogTestFile: s3:PutObject allowed, and not denied, to "
     "logdelivery.elasticloadbalancing.amazonaws.com or the Region's Elastic Load Balancing account (an ALB), to "
     "delivery.logs.amazonaws.com (an NLB). moto turns them on to any bucket",
     # Recorded: the answer and its message, naming the bucket: aws/aws-cdk#5758 and #21947 (Status Code 400, Error Code
     # InvalidConfigurationRequest), kubernetes-sigs/aws-load-balancer-controller#1956, terraform-aws-modules/
     # terraform-aws-s3-bucket#185. A bucket that does not exist or is in another Region: the same answer here (the test
     # file cannot be written; no answer of its own is recorded).
     ALB_PAGE, None),
    ("elb-access-logs-reported", "DescribeLoadBalancerAttributes reports access_logs.s3.enabled (false until turned on), "
     "as it does access_logs.s3.bucket and access_logs.s3.prefix (moto leaves it out until it is set)",
     # Recorded: AWS CLI describe-load-balancer-attributes example ("access_logs.s3.enabled": "false").
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html", None),
]

ENABLED, BUCKET, PREFIX = "access_logs.s3.enabled", "access_logs.s3.bucket", "access_logs.s3.prefix"


def _attributes(call):
    """The Attributes.member.N.Key/Value pairs of a ModifyLoadBalancerAttributes request."""
    return {m.get("Key"): m.get("Value", "") for m in call.members("Attributes") if m.get("Key")}


def before(call):
    if call.service != "elasticloadbalancing" or call.action not in ("ModifyLoadBalancerAttributes", "DescribeLoadBalancerAttributes"):
        return
    arn = call.form.get("LoadBalancerArn")
    account, lb = account_of(arn), load_balancer(call.region, arn)
    if lb is None:
        return  # moto answers LoadBalancerNotFound
    # elb-access-logs-reported: what AWS reports for a load balancer whose access logs were never set.
    lb.attrs.setdefault(ENABLED, "false")
    if call.action != "ModifyLoadBalancerAttributes":
        return
    asked = _attributes(call)
    after = {**lb.attrs, **asked}
    if asked.get(ENABLED, "").lower() != "true" and not (after.get(ENABLED) == "true" and (BUCKET in asked or PREFIX in asked)):
        return
    bucket, prefix = after.get(BUCKET, ""), after.get(PREFIX, "")
    if not bucket:
        return  # moto keeps it; AWS answers ValidationError "The value of 'access_logs.s3.bucket' cannot be empty"
    if not _delivery_allowed(bucket, prefix, account, call.region, lb.type):
        raise Refused(400, "InvalidConfigurationRequest", f"Access Denied for bucket: {bucket}. Please check S3bucket permission")


def _delivery_allowed(bucket_name, prefix, account, region, lb_type):
    backend = s3_backends[account]["aws"]
    bucket = backend.buckets.get(bucket_name)
    if bucket is None or getattr(bucket, "region_name", region) != region or not bucket.policy:
        return False
    try:
        statements = json.loads(bucket.policy.decode("utf-8")).get("Statement", [])
    except ValueError:
        return False
    statements = as_list(statements)
    key = (prefix.strip("/") + "/" if prefix.strip("/") else "") + f"AWSLogs/{account}/ELBAccessLogTestFile"
    resource = f"arn:aws:s3:::{bucket_name}/{key}"
    if lb_type == "network":
        principals = {("Service", NLB_SERVICE)}
    else:
        principals = {("Service", ALB_SERVICE)}
        if region in ELB_ACCOUNTS:
            principals |= {("AWS", f"arn:aws:iam::{ELB_ACCOUNTS[region]}:root"), ("AWS", ELB_ACCOUNTS[region])}
    matching = [st for st in statements if _applies(st, principals, resource)]
    # A Deny with a condition (aws:SecureTransport false, say) is about other requests than ELB's own delivery.
    if any(st.get("Effect") == "Deny" and not st.get("Condition") for st in matching):
        return False
    return any(st.get("Effect") == "Allow" for st in matching)


def _applies(statement, principals, resource):
    principal = statement.get("Principal")
    if principal == "*":
        named = True
    elif isinstance(principal, dict):
        named = any((kind, value) in principals or value == "*" for kind, values in principal.items() for value in as_list(values))
    else:
        named = False
    actions = [a.lower() for a in as_list(statement.get("Action"))]
    acted = any(fnmatchcase("s3:putobject", a) for a in actions)
    covered = any(fnmatchcase(resource, r) for r in as_list(statement.get("Resource")))
    return named and acted and covered
