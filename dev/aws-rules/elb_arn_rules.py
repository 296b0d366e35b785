"""elb-arn-kind: a network load balancer's ARNs say net/, as AWS names them (moto 5.2 names every load balancer app/).

AWS: arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID for a network load balancer, and its
listeners and their rules listener/net/NAME/ID/ID and listener-rule/net/... (Service Authorization Reference for ELB v2,
its resource types; the AWS CLI's create-load-balancer example 3, an NLB: "loadbalancer/net/my-load-balancer/...").
moto 5.2's make_arn_for_load_balancer writes loadbalancer/app/ whatever the type.

Made at the source rather than by rewriting answers and requests: moto keys every load balancer by its ARN and derives
its listeners' and rules' ARNs from it (":loadbalancer/" -> ":listener/" -> ":listener-rule/"), so an NLB created with
the net/ ARN is consistent everywhere, in every answer and every later request, endpoint services included. Only
CreateLoadBalancer calls made through the rules port get it: moto alone (MOTO_ENDPOINT_URL) keeps its own app/, so
AwsRulesIT can show the difference.
"""
import contextlib
import threading

from moto.elbv2 import models as elbv2_models

RULES = [
    ("elb-arn-kind", "a network load balancer's ARN is loadbalancer/net/NAME/ID, its listeners' listener/net/... and their "
     "rules' listener-rule/net/... (moto 5.2 names every load balancer loadbalancer/app/)",
     "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html"
     "#awselasticloadbalancingv2-resources-for-iam-policies", None),
]

# The kind segment AWS writes for a load balancer type (CreateLoadBalancer's Type; application is moto's own app/).
KINDS = {"network": "net"}

_creating = threading.local()
_moto_make_arn = elbv2_models.make_arn_for_load_balancer


def _make_arn_for_load_balancer(account_id, lb_id, name, region_name):
    arn = _moto_make_arn(account_id=account_id, lb_id=lb_id, name=name, region_name=region_name)
    kind = getattr(_creating, "kind", None)
    return arn.replace(":loadbalancer/app/", f":loadbalancer/{kind}/", 1) if kind else arn


# moto's ELBv2Backend.create_load_balancer calls the name imported into its module: replaced there, once, for both ports;
# it changes an ARN only while this thread serves a CreateLoadBalancer of the rules port (kind_of_created below).
elbv2_models.make_arn_for_load_balancer = _make_arn_for_load_balancer


@contextlib.contextmanager
def kind_of_created(call):
    """Around moto's handling of call: a CreateLoadBalancer of a network load balancer gets a net/ ARN."""
    kind = KINDS.get(call.form.get("Type")) if call.service == "elasticloadbalancing" and call.action == "CreateLoadBalancer" else None
    _creating.kind = kind
    try:
        yield
    finally:
        _creating.kind = None
