"""Rules of the AWS rules layer about load balancers' and targets' lifecycles (moto 5.2 has none of them).

A new load balancer is provisioning before it is active; a deregistered target drains; the NLB's health check of an
ALB target passes through the ALB to the function; an ALB that is a target cannot be deleted; an ALB spans two zones;
a target group serves one load balancer, and an alb target group one ALB. Each follows the page it names (RULES);
docs/testing.md has the same table and dev/aws-parity/elbv2.yaml the recorded answers. All are on by default, with short
times: the operator's Ready waits for provisioning and the ALB's health (ServingReadinessIT), and an ALB replacement
deregisters the old ALB and waits out its drain before deleting it (AlbReplacementIT).
"""
import os
import threading
import xml.etree.ElementTree as ET

from moto.awslambda.models import lambda_backends

from refused import Refused
from moto.ec2.models import ec2_backends
from moto.elbv2.models import elbv2_backends

NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
NLB_ALB_TARGET = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html"

RULES = [
    ("elb-provisioning", "a new load balancer is State.Code provisioning for loadBalancerProvisioningSeconds, then active "
     "(moto: active from its first describe)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html", "loadBalancerProvisioningSeconds"),
    ("elb-deregistration-draining", "a deregistered target stays in DescribeTargetHealth as draining "
     "(Target.DeregistrationInProgress) for deregistrationDelaySeconds (AWS: the target group's deregistration delay, "
     "300 s by default), then is gone (moto: gone at once)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html", "deregistrationDelaySeconds"),
    ("elb-alb-target-health", "an ALB registered in an alb target group is initial (Elb.RegistrationInProgress) for "
     "targetHealthCheckSeconds, then healthy only if the NLB's health check passes through it: a listener on the health "
     "check's port (the target's port unless the group names one) forwarding to a lambda target group whose registered function exists and is Active; else unhealthy "
     "(moto: healthy at once)", NLB_ALB_TARGET, "targetHealthCheckSeconds"),
    ("elb-alb-target-in-use", "DeleteLoadBalancer of an ALB registered (or draining) in an alb target group answers "
     "ResourceInUse (moto deletes it)", NLB_ALB_TARGET, "albTargetInUse"),
    ("elb-alb-target-group-one-alb", "an alb target group holds one ALB: registering a second one is refused "
     "(moto registers it)", NLB_ALB_TARGET, "albTargetGroupOneAlb"),
    ("elb-alb-two-zones", "an ALB needs subnets in at least two Availability Zones (ValidationError) and at most one "
     "subnet per zone (InvalidConfigurationRequest) (moto creates it in one zone)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones",
     "albTwoZones"),
    ("elb-deletion-protection", "DeleteLoadBalancer of a load balancer whose deletion_protection.enabled is true answers 400 "
     "OperationNotPermitted \"Load balancer '<arn>' cannot be deleted because deletion protection is enabled\" (moto "
     "deletes it)", "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html"
     "#deletion-protection", None),
    ("elb-target-group-one-load-balancer", "a target group is used by one load balancer: a listener or rule of another "
     "load balancer forwarding to it answers TargetGroupAssociationLimit (moto accepts it)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html", "targetGroupOneLoadBalancer"),
]

KNOBS = {
    # AWS: a few minutes. Short here: every test that waits for Ready meets it.
    "loadBalancerProvisioningSeconds": float(os.environ.get("AWS_RULES_LOAD_BALANCER_PROVISIONING_SECONDS", "2")),
    # AWS: the target group's deregistration_delay.timeout_seconds, 300 by default. Short here.
    "deregistrationDelaySeconds": float(os.environ.get("AWS_RULES_DEREGISTRATION_DELAY_SECONDS", "2")),
    # AWS: healthy threshold x interval of the alb target group's health check (5 x 30 s by default). Short here.
    "targetHealthCheckSeconds": float(os.environ.get("AWS_RULES_TARGET_HEALTH_CHECK_SECONDS", "2.5")),
    # Switches (1 on, 0 off).
    "albTargetInUse": float(os.environ.get("AWS_RULES_ALB_TARGET_IN_USE", "1")),
    "albTargetGroupOneAlb": float(os.environ.get("AWS_RULES_ALB_TARGET_GROUP_ONE_ALB", "1")),
    "albTwoZones": float(os.environ.get("AWS_RULES_ALB_TWO_ZONES", "1")),
    "targetGroupOneLoadBalancer": float(os.environ.get("AWS_RULES_TARGET_GROUP_ONE_LOAD_BALANCER", "1")),
}


_lock = threading.Lock()
_registered = {}   # (target group arn, target id, port) -> time registered (alb target groups)
_draining = {}     # (target group arn, target id, port) -> drained at this time


def _backend(call):
    return elbv2_backends["123456789012"][call.region]


def _port(target, tg):
    return int(target.get("Port") or tg.port or 0)


def _draining_targets(tg_arn, now):
    with _lock:
        return {k: until for k, until in _draining.items() if k[0] == tg_arn and until > now}


def _forwarded_target_groups(actions):
    for a in actions or []:
        data = getattr(a, "data", a)
        if not isinstance(data, dict):
            continue
        if data.get("TargetGroupArn"):
            yield data["TargetGroupArn"]
        for t in ((data.get("ForwardConfig") or {}).get("TargetGroups") or []):
            if t.get("TargetGroupArn"):
                yield t["TargetGroupArn"]


def _load_balancers_using(backend, tg_arn):
    for lb in backend.load_balancers.values():
        for listener in lb.listeners.values():
            used = set(_forwarded_target_groups(listener.default_actions))
            for rule in listener.rules.values():
                used |= set(_forwarded_target_groups(rule.actions))
            if tg_arn in used:
                yield lb.arn


def _forms_forwarded_target_groups(call):
    out = set()
    for k, v in call.form.items():
        if (k.startswith("DefaultActions.member.") or k.startswith("Actions.member.")) and k.endswith("TargetGroupArn"):
            out.add(v)
    return out


def before(call, now, knob):
    if call.service != "elasticloadbalancing":
        return
    backend = _backend(call)
    if call.action == "DeleteLoadBalancer":
        # elb-deletion-protection; the message as AWS answered it (aws-cloudformation/rain#187, rebuy-de/aws-nuke#1240).
        arn = call.form.get("LoadBalancerArn")
        lb = backend.load_balancers.get(arn)
        if lb is not None and str(lb.attrs.get("deletion_protection.enabled", "false")).lower() == "true":
            raise Refused(400, "OperationNotPermitted", f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
    if call.action == "DeleteLoadBalancer" and knob("albTargetInUse"):
        arn = call.form.get("LoadBalancerArn")
        lb = backend.load_balancers.get(arn)
        if lb is not None and lb.type == "application":
            for tg in backend.target_groups.values():
                if tg.target_type == "alb" and (arn in tg.targets or any(k[1] == arn for k in _draining_targets(tg.arn, now))):
                    raise Refused(400, "ResourceInUse", f"Load balancer '{arn}' cannot be deleted because it is currently "
                                  "associated with another service")
    elif call.action == "RegisterTargets" and knob("albTargetGroupOneAlb"):
        tg = backend.target_groups.get(call.form.get("TargetGroupArn", ""))
        if tg is not None and tg.target_type == "alb":
            ids = {m.get("Id") for m in call.members("Targets")}
            held = set(tg.targets) | {k[1] for k in _draining_targets(tg.arn, now)}
            if len(ids) > 1 or (held and not ids <= held):
                raise Refused(400, "TooManyTargets", f"You can register only one Application Load Balancer with target group "
                              f"{tg.arn}; it has {sorted(held)}")
    elif call.action == "CreateLoadBalancer" and knob("albTwoZones"):
        if call.form.get("Type", "application") == "application":
            subnets = [m.get(None) for m in call.members("Subnets")] + [m.get("SubnetId") for m in call.members("SubnetMappings")]
            ec2 = ec2_backends["123456789012"][call.region]
            zones = []
            for sid in subnets:
                try:
                    zones.append(ec2.get_subnet(sid).availability_zone)
                except Exception:
                    return  # moto answers for unknown subnets itself
            if len(zones) != len(set(zones)):
                raise Refused(400, "InvalidConfigurationRequest",
                              "A load balancer cannot be attached to multiple subnets in the same Availability Zone")
            if subnets and len(set(zones)) < 2:
                raise Refused(400, "ValidationError", "At least two subnets in two different Availability Zones must be specified")
    elif call.action in ("CreateListener", "ModifyListener", "CreateRule", "ModifyRule") and knob("targetGroupOneLoadBalancer"):
        lb_arn = call.form.get("LoadBalancerArn")
        if lb_arn is None:
            lb_arn = _owner_of(backend, call.form.get("ListenerArn") or call.form.get("RuleArn"))
        for tg_arn in _forms_forwarded_target_groups(call):
            others = {arn for arn in _load_balancers_using(backend, tg_arn) if arn != lb_arn}
            if others:
                raise Refused(400, "TargetGroupAssociationLimit",
                              f"The following target groups cannot be associated with more than one load balancer: {tg_arn}")


def _owner_of(backend, listener_or_rule_arn):
    for lb in backend.load_balancers.values():
        for listener in lb.listeners.values():
            if listener.arn == listener_or_rule_arn or listener_or_rule_arn in listener.rules:
                return lb.arn
    return None


def after(call, answer, now, knob, created_at, function_active):
    """Records registrations and deregistrations; shows states as AWS reports them at this moment (in answer, an
    XmlAnswer)."""
    if call.service != "elasticloadbalancing":
        return
    backend = _backend(call)
    if call.action in ("RegisterTargets", "DeregisterTargets"):
        tg = backend.target_groups.get(call.form.get("TargetGroupArn", ""))
        if tg is not None:
            with _lock:
                for t in call.members("Targets"):
                    key = (tg.arn, t.get("Id"), _port(t, tg))
                    if call.action == "RegisterTargets":
                        _draining.pop(key, None)
                        _registered[key] = now
                    else:
                        _registered.pop(key, None)
                        delay = knob("deregistrationDelaySeconds")
                        if delay > 0:
                            _draining[key] = now + delay
        return
    if call.action in ("CreateLoadBalancer", "DescribeLoadBalancers") and knob("loadBalancerProvisioningSeconds") > 0:
        _show_provisioning(answer, now, knob("loadBalancerProvisioningSeconds"), created_at)
    elif call.action == "DescribeTargetHealth":
        _show_target_health(call, backend, answer, now, knob, function_active)


def _show_provisioning(answer, now, seconds, created_at):
    for lb in answer.root.iter(f"{{{NS}}}member"):
        arn = lb.find(f"{{{NS}}}LoadBalancerArn")
        code = lb.find(f"{{{NS}}}State/{{{NS}}}Code")
        if arn is None or code is None:
            continue
        at = created_at(arn.text)
        state = "provisioning" if at is not None and now - at < seconds else "active"
        if code.text != state:
            code.text = state
            answer.changed = True


def _health(backend, region, tg, target_id, port, now, seconds, function_active):
    """elb-alb-target-health: the NLB's check of an ALB target reaches the function through the ALB's listener."""
    with _lock:
        at = _registered.get((tg.arn, target_id, port))
    if at is not None and now - at < seconds:
        return "initial", "Elb.RegistrationInProgress", "Target registration is in progress"
    lb = backend.load_balancers.get(target_id)
    # The check goes to the group's health check port when it names one (an HTTPS check of an HTTP port's group).
    checked = int(tg.health_check_port) if str(tg.health_check_port or "").isdigit() else port
    listener = next((li for li in (lb.listeners.values() if lb else []) if int(li.port) == checked), None)
    for tg_arn in _forwarded_target_groups(listener.default_actions if listener else []):
        fn_tg = backend.target_groups.get(tg_arn)
        if fn_tg is None or fn_tg.target_type != "lambda":
            continue
        for fn_arn in fn_tg.targets:
            if _function_active(region, fn_arn, function_active):
                return "healthy", None, None
    return "unhealthy", "Target.FailedHealthChecks", "Health checks failed"


def _function_active(region, fn_arn, function_active):
    """The function behind the ALB exists in moto, and the layer no longer shows it Pending (lambda-pending)."""
    parts = fn_arn.split(":")
    try:
        fn = lambda_backends[parts[4]][region].get_function(parts[6], parts[7] if len(parts) > 7 else None)
    except Exception:
        return False
    return function_active(fn.function_name)


def _show_target_health(call, backend, answer, now, knob, function_active):
    tg = backend.target_groups.get(call.form.get("TargetGroupArn", ""))
    seconds = knob("targetHealthCheckSeconds")
    draining = _draining_targets(tg.arn, now) if tg is not None else {}
    if tg is None or (not draining and (tg.target_type != "alb" or seconds <= 0)):
        return
    container = answer.root.find(f".//{{{NS}}}TargetHealthDescriptions")
    if container is None:
        return
    answer.changed = True  # written again whether or not a target's health changes, as it always was
    asked = {(m.get("Id"), _port(m, tg)) for m in call.members("Targets")}
    shown = set()
    for member in list(container):
        target_id = member.findtext(f"{{{NS}}}Target/{{{NS}}}Id")
        port = int(member.findtext(f"{{{NS}}}Target/{{{NS}}}Port") or tg.port or 0)
        key = (tg.arn, target_id, port)
        if key in draining:
            _set_health(member, "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress")
        elif tg.target_type == "alb" and seconds > 0 and target_id in tg.targets:
            _set_health(member, *_health(backend, call.region, tg, target_id, port, now, seconds, function_active))
        shown.add((target_id, port))
    for (_, target_id, port) in draining:
        if (target_id, port) in shown or (asked and (target_id, port) not in asked):
            continue
        member = ET.SubElement(container, f"{{{NS}}}member")
        target = ET.SubElement(member, f"{{{NS}}}Target")
        ET.SubElement(target, f"{{{NS}}}Id").text = target_id
        ET.SubElement(target, f"{{{NS}}}Port").text = str(port)
        ET.SubElement(member, f"{{{NS}}}HealthCheckPort").text = str(tg.health_check_port or "traffic-port")
        _set_health(member, "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress")


def _set_health(member, state, reason, description):
    health = member.find(f"{{{NS}}}TargetHealth")
    if health is None:
        health = ET.SubElement(member, f"{{{NS}}}TargetHealth")
    for child in list(health):
        health.remove(child)
    ET.SubElement(health, f"{{{NS}}}State").text = state
    if reason:
        ET.SubElement(health, f"{{{NS}}}Reason").text = reason
        ET.SubElement(health, f"{{{NS}}}Description").text = description
