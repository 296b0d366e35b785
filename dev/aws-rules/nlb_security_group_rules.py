"""Rules of the AWS rules layer about a network load balancer's security groups (moto 5.2 treats an NLB's like an ALB's).

AWS gives an NLB security groups only if it was created with at least one: SetSecurityGroups on an NLB created without
any is refused, and an NLB created with some cannot have them all taken away. Its
EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic (on/off, on by default) is set by SetSecurityGroups and reported by
DescribeLoadBalancers; moto 5.2 neither keeps nor reports it. Each follows the page it names (RULES); docs/testing.md has
the same table.
"""
import xml.etree.ElementTree as ET

from arn_lookup import load_balancer
from refused import Refused

ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
ENFORCE = "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"

RULES = [
    ("elb-nlb-security-groups-at-creation", "SetSecurityGroups on a network load balancer created without security groups: "
     "400 InvalidConfigurationRequest \"You cannot set security groups on a Network Load Balancer which was created without "
     "any security groups.\"; on one that has some, with none: 400 ValidationError (moto sets them either way)",
     # Recorded: kubernetes-sigs/cluster-api-provider-aws#4790 (the InvalidConfigurationRequest answer and its message);
     # hashicorp/terraform-provider-aws#32987 (both cases refused, as ValidationError; the provider replaces the NLB instead;
     # the removal's message is not recorded: the layer's own wording).
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html", None),
    ("elb-nlb-private-link-inbound-rules", "an NLB with security groups reports EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic "
     "(on unless SetSecurityGroups set off) in CreateLoadBalancer, DescribeLoadBalancers and SetSecurityGroups answers (moto "
     "ignores the parameter and reports nothing)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSecurityGroups.html", None),
]


def before(call):
    """elb-nlb-security-groups-at-creation."""
    if call.service != "elasticloadbalancing" or call.action != "SetSecurityGroups":
        return
    lb = load_balancer(call.region, call.form.get("LoadBalancerArn"))
    if lb is None or lb.type != "network":
        return
    groups = [m.get(None) for m in call.members("SecurityGroups") if m.get(None)]
    if not lb.security_groups and groups:
        raise Refused(400, "InvalidConfigurationRequest",
                      "You cannot set security groups on a Network Load Balancer which was created without any security groups.")
    if lb.security_groups and not groups:
        raise Refused(400, "ValidationError", "You cannot remove all security groups from a Network Load Balancer which was "
                      "created with security groups.")


def after(call, answer):
    """elb-nlb-private-link-inbound-rules: kept from an accepted SetSecurityGroups, shown in the answers that carry it
    (answer: an XmlAnswer)."""
    if call.service != "elasticloadbalancing" or call.action not in ("SetSecurityGroups", "CreateLoadBalancer", "DescribeLoadBalancers"):
        return
    if call.action == "SetSecurityGroups":
        lb = load_balancer(call.region, call.form.get("LoadBalancerArn"))
        if lb is None or lb.type != "network":
            return
        if call.form.get(ENFORCE) in ("on", "off"):
            lb.aws_rules_enforce_private_link = call.form.get(ENFORCE)
        for result in answer.root.iter(f"{{{ELB_NS}}}SetSecurityGroupsResult"):
            ET.SubElement(result, f"{{{ELB_NS}}}{ENFORCE}").text = getattr(lb, "aws_rules_enforce_private_link", "on")
        answer.changed = True
        return
    for member in answer.root.iter(f"{{{ELB_NS}}}member"):
        arn = member.find(f"{{{ELB_NS}}}LoadBalancerArn")
        lb = load_balancer(call.region, arn.text) if arn is not None else None
        if lb is None or lb.type != "network" or not lb.security_groups or member.find(f"{{{ELB_NS}}}{ENFORCE}") is not None:
            continue
        ET.SubElement(member, f"{{{ELB_NS}}}{ENFORCE}").text = getattr(lb, "aws_rules_enforce_private_link", "on")
        answer.changed = True
