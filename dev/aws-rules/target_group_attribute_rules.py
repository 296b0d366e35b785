"""Rules of the AWS rules layer about the attributes of the chain's two kinds of target group (moto 5.2 sets any of them).

The chain has an `alb` target group (the NLB's, one ALB in it) and `lambda` target groups (the ALB's, one function each).
AWS lets neither take the attributes of instance and ip groups: an `alb` group's attributes "always use their default
values" and cannot be modified; a `lambda` group takes only lambda.multi_value_headers.enabled. moto 5.2 sets whatever
ModifyTargetGroupAttributes sends (it refuses only deregistration_delay.timeout_seconds on a lambda group, with its own
message, left to it here). Each rule follows the page it names (RULES); docs/testing.md has the same table.
"""
from arn_lookup import target_group

from refused import Refused

# Recorded: ModifyTargetGroupAttributes of stickiness.enabled on a lambda group (CloudFormation, from the CDK's
# LambdaTarget): 400 InvalidConfigurationRequest "The provided target group attribute is not supported"
# (aws/aws-cdk#17457, #17261); terraform-provider-aws#12726 quotes the same answer for another group an attribute it
# did not take. No recording shows the answer for an alb group: the layer answers the same.
NOT_SUPPORTED = "The provided target group attribute is not supported"
LAMBDA_KEYS = {"lambda.multi_value_headers.enabled"}
# moto's own refusal, with its own message: not the layer's to change.
MOTO_REFUSES_ON_LAMBDA = {"deregistration_delay.timeout_seconds"}

RULES = [
    ("elb-alb-target-group-attributes", "ModifyTargetGroupAttributes of a target group of type alb: 400 "
     "InvalidConfigurationRequest \"" + NOT_SUPPORTED + "\" (AWS: its attributes always keep their defaults; the answer "
     "for this type is not recorded: the one recorded for a lambda group) (moto sets them)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html", None),
    ("elb-lambda-target-group-attributes", "ModifyTargetGroupAttributes of a lambda target group with a key other than "
     "lambda.multi_value_headers.enabled: 400 InvalidConfigurationRequest \"" + NOT_SUPPORTED + "\" (moto sets it; "
     "deregistration_delay.timeout_seconds it refuses itself)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html", None),
]


def before(call):
    """elb-alb-target-group-attributes, elb-lambda-target-group-attributes."""
    if call.service != "elasticloadbalancing" or call.action != "ModifyTargetGroupAttributes":
        return
    tg = target_group(call.region, call.form.get("TargetGroupArn"))
    if tg is None:
        return
    keys = {m.get("Key") for m in call.members("Attributes") if m.get("Key")}
    if tg.target_type == "alb" and keys:
        raise Refused(400, "InvalidConfigurationRequest", NOT_SUPPORTED)
    if tg.target_type == "lambda" and keys - LAMBDA_KEYS - MOTO_REFUSES_ON_LAMBDA:
        raise Refused(400, "InvalidConfigurationRequest", NOT_SUPPORTED)
