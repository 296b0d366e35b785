"""The AWS rules layer's PrivateLink rules: VPC endpoint services as AWS runs them, where moto 5.2 does not.

moto 5.2.1 stores endpoint service configurations and their permissions, but has no endpoint connections
(no Describe/Accept/RejectVpcEndpointConnections), deletes a service at once whatever is connected to it,
lets an NLB an endpoint service uses be deleted (leaving the service with a dangling ARN), reports private
DNS names as `verified` at once, and ignores RemovePrivateDnsName. Each rule below follows the EC2 or ELB
API reference page it names (RULES; docs/testing.md has the same table).

Kept apart from aws_rules.py, which calls `before`/`after` for EC2 calls and DeleteLoadBalancer. A rule
either lets the call through to moto (returns None), or answers it itself by raising `Answer`.

The smallest faithful model of connections: an interface endpoint created (CreateVpcEndpoint) against an
endpoint service's name, by any account the service allows (its own, or one whose root or calling role is
an allowed principal, or `*`), is a connection: pendingAcceptance when the service requires acceptance,
else available (AWS's spelling, lower camel case). The provider accepts or rejects it; the consumer deleting its
endpoint makes it deleted.
Another "account" is a moto account reached with STS AssumeRole into it, as moto models accounts.
"""
import secrets
import string
import threading
import time
import xml.etree.ElementTree as ET

from moto.ec2.models import ec2_backends
from moto.iam.models import get_account_id_from, iam_backends

EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15"
ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
DELETE_PAGE = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpointServiceConfigurations.html"

# The TXT record value AWS gives a private DNS name: "vpce:" and letters and digits (the AWS CLI's example of
# describe-vpc-endpoint-service-configurations: "vpce:qUAth3FdeABCApUiXabc").
TXT_VALUE_CHARS = string.ascii_letters + string.digits

RULES = [
    ("elb-nlb-in-use-by-endpoint-service", "DeleteLoadBalancer of an NLB an endpoint service uses (also while that service "
     "is being deleted) answers ResourceInUse: 'cannot be deleted because it is currently associated with another service'",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteLoadBalancer.html", None),
    ("ec2-endpoint-service-delete-needs-no-connections", "DeleteVpcEndpointServiceConfigurations leaves a service with "
     "available or pendingAcceptance connections in place, answering it in Unsuccessful (ExistingVpcEndpointConnections); "
     "a deleted service is Deleting for a while before it is gone", DELETE_PAGE, "endpointServiceDeletingSeconds"),
    ("ec2-endpoint-connections", "CreateVpcEndpoint (Interface) against a service by an allowed principal makes a connection, "
     "pendingAcceptance when the service requires acceptance, else available (AWS's spelling: lower camel case); a principal not allowed is InvalidServiceName; "
     "DescribeVpcEndpointConnections (filters service-id, vpc-endpoint-id, vpc-endpoint-owner, vpc-endpoint-state), "
     "AcceptVpcEndpointConnections, RejectVpcEndpointConnections",
     "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointConnections.html", None),
    ("ec2-private-dns-verification", "a service's private DNS name starts pendingVerification with a TXT record name and value "
     "for the provider to publish (a new name, a new record); RemovePrivateDnsName removes it",
     "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrivateDnsNameConfiguration.html", None),
]

# What these rules remember: moto has no place for it.
_lock = threading.Lock()
_connections = {}   # (owner account, service id, endpoint id) -> {"owner": consumer account, "state": ..., "created": ...}
_deleting = {}      # (owner account, region, service id) -> gone from this time
_private_dns = {}   # service id -> (private DNS name, TXT name, TXT value)

# A connection's state, spelled as AWS spells it, in DescribeVpcEndpointConnections (VpcEndpointState) and in the
# consumer's DescribeVpcEndpoints (State) alike: lower camel case. The SDKs' enum says PendingAcceptance, AWS does
# not: the AWS CLI's recorded example of describe-vpc-endpoint-connections answers "pendingAcceptance" (and filters
# with Values=pendingAcceptance); terraform-provider-aws's connection accepter waits for "available".
PENDING, AVAILABLE, REJECTED, DELETED = "pendingAcceptance", "available", "rejected", "deleted"


class Answer(Exception):
    """The layer's own answer to a call: moto is not asked."""

    def __init__(self, status, body, content_type="text/xml"):
        super().__init__(status)
        self.status, self.body, self.content_type = status, body.encode("utf-8"), content_type


def ec2_error(code, message, status=400):
    return Answer(status, f"<Response><Errors><Error><Code>{code}</Code><Message>{esc(message)}</Message></Error></Errors>"
                          "<RequestID>aws-rules</RequestID></Response>")


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ec2_list(form, prefix):
    """Query-protocol EC2 list: prefix.N values in order."""
    found = []
    for k, v in form.items():
        if k.startswith(prefix + ".") and k[len(prefix) + 1:].isdigit():
            found.append((int(k[len(prefix) + 1:]), v))
    return [v for _, v in sorted(found)]


def ec2_filters(form):
    out = {}
    for name_key, name in form.items():
        if name_key.startswith("Filter.") and name_key.endswith(".Name"):
            n = name_key[len("Filter."):-len(".Name")]
            out[name] = set(ec2_list(form, f"Filter.{n}.Value"))
    return out


def caller_account(call):
    return get_account_id_from(call.access_key or "")


def caller_principals(call, account):
    """The principals a caller counts as for an endpoint service's allow list: its account's root, its role."""
    principals = {f"arn:aws:iam::{account}:root"}
    try:
        key = iam_backends[account]["aws"].access_keys.get(call.access_key)
        role = getattr(key, "role_arn", None)
        if role:
            principals.add(role)
    except Exception:
        pass
    return principals


def services(account, region):
    return ec2_backends[account][region].configurations


def sweep(now):
    """ec2-endpoint-service-delete-needs-no-connections: a service whose deletion has run its time is gone."""
    with _lock:
        done = [k for k, at in _deleting.items() if at <= now]
        for k in done:
            del _deleting[k]
    for account, region, sid in done:
        services(account, region).pop(sid, None)
        with _lock:
            for k in [k for k in _connections if k[0] == account and k[1] == sid]:
                del _connections[k]
            _private_dns.pop(sid, None)


def is_deleting(account, region, sid):
    with _lock:
        return (account, region, sid) in _deleting


def before(call, now, knob):
    """Refuses or answers what AWS would; None lets the call through to moto."""
    sweep(now)
    if call.service == "elasticloadbalancing" and call.action == "DeleteLoadBalancer":
        nlb_in_use(call)
        return
    if call.service != "ec2":
        return
    action = call.action
    if action == "DeleteVpcEndpointServiceConfigurations":
        delete_services(call, now, knob("endpointServiceDeletingSeconds"))
    elif action == "DescribeVpcEndpointConnections":
        describe_connections(call)
    elif action in ("AcceptVpcEndpointConnections", "RejectVpcEndpointConnections"):
        decide_connections(call, action.startswith("Accept"))
    elif action == "CreateVpcEndpoint" and (call.form.get("VpcEndpointType") or "").lower() == "interface":
        allowed_to_connect(call)


def nlb_in_use(call):
    arn = call.form.get("LoadBalancerArn", "")
    parts = arn.split(":")
    account = parts[4] if len(parts) > 4 else "123456789012"
    for config in list(services(account, call.region).values()):
        if arn in config.network_load_balancer_arns:
            raise Answer(400, f'<ErrorResponse xmlns="{ELB_NS}"><Error><Type>Sender</Type><Code>ResourceInUse</Code>'
                              f"<Message>Load balancer '{esc(arn)}' cannot be deleted because it is currently associated "
                              "with another service</Message></Error><RequestId>aws-rules</RequestId></ErrorResponse>")


def delete_services(call, now, deleting_seconds):
    account = caller_account(call)
    configs = services(account, call.region)
    failed = []
    for sid in ec2_list(call.form, "ServiceId"):
        if sid not in configs or is_deleting(account, call.region, sid):
            failed.append((sid, "InvalidVpcEndpointService.NotFound", f"The VpcEndpointService Id '{sid}' does not exist"))
            continue
        with _lock:
            blocking = [k[2] for k, c in _connections.items() if k[:2] == (account, sid) and c["state"] in (AVAILABLE, PENDING)]
        if blocking:
            failed.append((sid, "ExistingVpcEndpointConnections",
                           f"Service has existing active VPC Endpoint connections: {', '.join(sorted(blocking))}"))
            continue
        with _lock:
            _deleting[(account, call.region, sid)] = now + deleting_seconds
    sweep(now)
    items = "".join(f"<item><error><code>{c}</code><message>{esc(m)}</message></error><resourceId>{s}</resourceId></item>"
                    for s, c, m in failed)
    raise Answer(200, f'<DeleteVpcEndpointServiceConfigurationsResponse xmlns="{EC2_NS}"><requestId>aws-rules</requestId>'
                      f"<unsuccessful>{items}</unsuccessful></DeleteVpcEndpointServiceConfigurationsResponse>")


def describe_connections(call):
    account = caller_account(call)
    filters = ec2_filters(call.form)
    with _lock:
        rows = [(k, dict(c)) for k, c in _connections.items() if k[0] == account]
    items = []
    for (_, sid, endpoint), c in sorted(rows, key=lambda r: r[1]["created"]):
        values = {"service-id": sid, "vpc-endpoint-id": endpoint, "vpc-endpoint-owner": c["owner"], "vpc-endpoint-state": c["state"]}
        if any(name in values and values[name] not in wanted for name, wanted in filters.items()):
            continue
        created = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(c["created"]))
        items.append(f"<item><serviceId>{sid}</serviceId><vpcEndpointId>{endpoint}</vpcEndpointId><vpcEndpointOwner>{c['owner']}"
                     f"</vpcEndpointOwner><vpcEndpointState>{c['state']}</vpcEndpointState><creationTimestamp>{created}"
                     "</creationTimestamp></item>")
    raise Answer(200, f'<DescribeVpcEndpointConnectionsResponse xmlns="{EC2_NS}"><requestId>aws-rules</requestId>'
                      f"<vpcEndpointConnectionSet>{''.join(items)}</vpcEndpointConnectionSet></DescribeVpcEndpointConnectionsResponse>")


def decide_connections(call, accept):
    account = caller_account(call)
    sid = call.form.get("ServiceId", "")
    if sid not in services(account, call.region):
        raise ec2_error("InvalidVpcEndpointServiceId.NotFound", f"The VpcEndpointService Id '{sid}' does not exist")
    failed = []
    for endpoint in ec2_list(call.form, "VpcEndpointId"):
        with _lock:
            c = _connections.get((account, sid, endpoint))
            movable = c is not None and (c["state"] == PENDING if accept else c["state"] in (PENDING, AVAILABLE))
            if movable:
                c["state"] = AVAILABLE if accept else REJECTED
        if c is None:
            failed.append((endpoint, "InvalidVpcEndpointId.NotFound", f"The Vpc Endpoint Id '{endpoint}' does not exist"))
        elif not movable:
            failed.append((endpoint, "InvalidState", f"Vpc Endpoint {endpoint} is in state {c['state']}"))
        else:
            show_endpoint_state(c["owner"], call.region, endpoint, c["state"])
    items = "".join(f"<item><error><code>{code}</code><message>{esc(m)}</message></error><resourceId>{e}</resourceId></item>"
                    for e, code, m in failed)
    name = call.action
    raise Answer(200, f'<{name}Response xmlns="{EC2_NS}"><requestId>aws-rules</requestId><unsuccessful>{items}</unsuccessful></{name}Response>')


def show_endpoint_state(consumer, region, endpoint, state):
    found = ec2_backends[consumer][region].vpc_end_points.get(endpoint)
    if found is not None:
        found.state = state


def service_by_name(region, name):
    """(owner account, configuration) of the endpoint service with this name, in any account moto knows."""
    for account in list(ec2_backends.keys()):
        for config in list(ec2_backends[account][region].configurations.values()):
            if config.service_name == name and not is_deleting(account, region, config.id):
                return account, config
    return None, None


def allowed_to_connect(call):
    owner, config = service_by_name(call.region, call.form.get("ServiceName", ""))
    if config is None:
        return  # an AWS service name, or none: moto's own business
    consumer = caller_account(call)
    allowed = set(config.principals)
    if consumer != owner and "*" not in allowed and not (caller_principals(call, consumer) & allowed):
        raise ec2_error("InvalidServiceName", f"The Vpc Endpoint Service '{call.form.get('ServiceName')}' does not exist")


def after(call, status, body, now):
    """Records connections and shows moto's answers as AWS would."""
    if status >= 300 or call.service != "ec2":
        return body
    action = call.action
    if action == "CreateVpcEndpoint" and (call.form.get("VpcEndpointType") or "").lower() == "interface":
        return record_connection(call, body, now)
    if action == "DeleteVpcEndpoints":
        consumer = caller_account(call)
        gone = set(ec2_list(call.form, "VpcEndpointId"))
        with _lock:
            for (_, _, endpoint), c in _connections.items():
                if endpoint in gone and c["owner"] == consumer:
                    c["state"] = DELETED
        return body
    if action == "ModifyVpcEndpointServiceConfiguration" and call.form.get("RemovePrivateDnsName") == "true":
        config = services(caller_account(call), call.region).get(call.form.get("ServiceId"))
        if config is not None:
            config.private_dns_name = None
        return body
    if action in ("CreateVpcEndpointServiceConfiguration", "DescribeVpcEndpointServiceConfigurations"):
        return show_services(call, body)
    return body


def record_connection(call, body, now):
    owner, config = service_by_name(call.region, call.form.get("ServiceName", ""))
    if config is None:
        return body
    root = ET.fromstring(body)
    endpoint = root.find(f".//{{{EC2_NS}}}vpcEndpointId")
    if endpoint is None:
        return body
    state = PENDING if config.acceptance_required else AVAILABLE
    consumer = caller_account(call)
    with _lock:
        _connections[(owner, config.id, endpoint.text)] = {"owner": consumer, "state": state, "created": now}
    show_endpoint_state(consumer, call.region, endpoint.text, state)
    for s in root.iter(f"{{{EC2_NS}}}state"):
        s.text = state
    return ET.tostring(root, encoding="utf-8", default_namespace=EC2_NS)


def show_services(call, body):
    """ec2-private-dns-verification and the Deleting state, on each service configuration in the answer."""
    root = ET.fromstring(body)
    account = caller_account(call)
    for parent in root.iter():
        sid = parent.find(f"{{{EC2_NS}}}serviceId")
        if sid is None or parent.find(f"{{{EC2_NS}}}serviceName") is None:
            continue
        config = services(account, call.region).get(sid.text)
        if is_deleting(account, call.region, sid.text):
            state = parent.find(f"{{{EC2_NS}}}serviceState")
            if state is not None:
                state.text = "Deleting"
        dns = parent.find(f"{{{EC2_NS}}}privateDnsNameConfiguration")
        if dns is not None:
            parent.remove(dns)
        name = getattr(config, "private_dns_name", None)
        for stale in parent.findall(f"{{{EC2_NS}}}privateDnsName") if not name else []:
            parent.remove(stale)
        if not name:
            continue
        with _lock:
            record = _private_dns.get(sid.text)
            if record is None or record[0] != name:
                record = (name, "_" + secrets.token_hex(10), "vpce:" + "".join(secrets.choice(TXT_VALUE_CHARS) for _ in range(20)))
                _private_dns[sid.text] = record
        dns = ET.SubElement(parent, f"{{{EC2_NS}}}privateDnsNameConfiguration")
        for tag, text in (("state", "pendingVerification"), ("type", "TXT"), ("value", record[2]), ("name", record[1])):
            ET.SubElement(dns, f"{{{EC2_NS}}}{tag}").text = text
    return ET.tostring(root, encoding="utf-8", default_namespace=EC2_NS)

