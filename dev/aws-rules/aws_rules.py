#!/usr/bin/env python3
"""The AWS rules layer: moto_server, plus the rules AWS enforces and moto 5.2 does not.

The test world's AWS endpoint. One process serves two ports on loopback that share moto's state:

  --port       moto behind the rules below (AWS_ENDPOINT_URL of the local world: every test and the operator)
  --moto-port  moto alone (MOTO_ENDPOINT_URL: only to show, in AwsRulesIT, that moto by itself accepts
               what the rules refuse, and for fixtures that must not wait for AWS-like delays)

Each rule follows an AWS documentation page (RULES below; docs/testing.md has the same table). The timing
knobs can be read and changed at run time with GET/POST {endpoint}/_rules (JSON), so one integration test
can switch on eventual consistency without slowing every other one.

Written as WSGI middleware around moto's own application (not a socket proxy) so that a rule can read
moto's state (a function's resource policy, an ALB's listeners) without extra API calls.
"""
import argparse
import io
import json
import os
import random
import re
import signal
import sys
import threading
import time
import types
import urllib.parse
import xml.etree.ElementTree as ET
from fnmatch import fnmatchcase

# Image functions resolve their image in moto's ECR: CodeSha256 is the image digest and an unknown tag or
# digest is ImageNotFound, as on AWS (Lambda developer guide, "Create a Lambda function using a container
# image"). Must be set before moto reads its settings.
os.environ.setdefault("MOTO_LAMBDA_STUB_ECR", "false")
# acm-pending-until-validated (tls_rules.py): no validation record is ever published here, so a requested certificate
# stays PENDING_VALIDATION (moto issues it after MOTO_ACM_VALIDATION_WAIT, 60 s by default).
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", str(10 * 365 * 24 * 3600))

from moto.awslambda.models import lambda_backends  # noqa: E402
from moto.ec2.models import ec2_backends  # noqa: E402
from moto.elbv2.models import elbv2_backends  # noqa: E402
from moto.events.models import events_backends  # noqa: E402
from moto.iam.models import get_account_id_from  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from moto import backends as moto_backends  # noqa: E402
from waitress.server import create_server  # noqa: E402
import functools  # noqa: E402
import jsonpath_ng.ext  # noqa: E402

# Speed only, no behaviour: moto's EventBridge builds a new jsonpath parser (ply yacc, which inspects source
# files) for every input path of every event it delivers, tens of milliseconds each under the GIL; with the
# CloudTrail events of hundreds of objects' writes (bench-scale --queue 500) the layer's one core went there.
# A parsed path is immutable: one parse per distinct path serves every event.
jsonpath_ng.ext.parse = functools.lru_cache(maxsize=256)(jsonpath_ng.ext.parse)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import access_log_rules  # noqa: E402
from arn_lookup import account_of, load_balancer  # noqa: E402
import cbor_cloudwatch  # noqa: E402
import ecr_pull_rules  # noqa: E402
import elb_arn_rules  # noqa: E402
import elb_lifecycle_rules  # noqa: E402
import lambda_alias_rules  # noqa: E402
import nlb_security_group_rules  # noqa: E402
import target_group_attribute_rules  # noqa: E402
import refused  # noqa: E402
import privatelink_rules  # noqa: E402  (after the environment above: it imports moto)
import tls_rules  # noqa: E402
import waf_rules  # noqa: E402
from xml_answer import XmlAnswer  # noqa: E402
import xml_writer  # noqa: E402
import lambda_concurrency_rules  # noqa: E402

ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
ET.register_namespace("", ELB_NS)
LAMBDA_PATH = re.compile(r"^/2015-03-31/functions/([^/]+)(/.*)?$")
ELB_PRINCIPAL = "elasticloadbalancing.amazonaws.com"

# id, what AWS does that moto does not, the page it follows, the knob that times it (if any).
RULES = [
    ("lambda-pending", "CreateFunction leaves the function State=Pending for a while, then Active",
     "https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html", "lambdaPendingSeconds"),
    ("lambda-update-in-progress", "UpdateFunctionCode/UpdateFunctionConfiguration leave LastUpdateStatus=InProgress, then Successful",
     "https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html", "lambdaUpdateSeconds"),
    ("lambda-busy-conflict", "an update or PublishVersion while Pending or InProgress answers ResourceConflictException (409)",
     "https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html", None),
    ("elb-lambda-permission", "RegisterTargets of a function answers AccessDenied until ELB may invoke it from that target group, "
     "and for a while after AddPermission (propagation)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html", "permissionPropagationSeconds"),
    ("elb-one-function", "a lambda target group holds one function",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html", None),
    ("elb-alb-needs-listener", "an ALB joins an alb target group only once it has a listener on the target group's port",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html", None),
    ("elb-static-ip-reported", "an NLB reports its subnet mappings' private IPv4 addresses in AvailabilityZones[].LoadBalancerAddresses",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AvailabilityZone.html", None),
    ("elb-create-idempotent", "CreateLoadBalancer/CreateTargetGroup with an existing name: the same settings return the existing "
     "resource, other settings answer DuplicateLoadBalancerName/DuplicateTargetGroupName",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html", None),
    ("elb-listener-idempotent", "CreateListener on a port the load balancer already listens on: the same settings return that "
     "listener, other settings answer DuplicateListener (moto makes a second listener on the port)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html", None),
    ("lambda-statement-id-unique", "AddPermission with a statement id the policy already has answers ResourceConflictException "
     "(moto adds a second statement with the same id)",
     "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html", None),
    ("elb-describe-tags-not-found", "DescribeTags of a load balancer or target group ARN that does not exist answers "
     "LoadBalancerNotFound/TargetGroupNotFound for the whole call (moto answers empty tags for it)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTags.html", None),
    ("elb-rule-priorities-batch", "SetRulePriorities applies its pairs as one batch: only the final state must have distinct "
     "priorities, so a swap in one call is valid (moto checks each pair against the current priorities: PriorityInUse); "
     "priorities are 1-50000",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetRulePriorities.html", None),
    ("eventual-consistency", "a load balancer, target group or function just created may be missing from Describe/Get/List for a moment",
     "https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html", "consistencySeconds"),
    ("ecr-image-digest", "an image function's CodeSha256 is the image digest; an unknown tag or digest is ImageNotFound "
     "(moto's own MOTO_LAMBDA_STUB_ECR=false)",
     "https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html", None),
    ("lambda-version-immutable", "a published version keeps the code it was published with: GetFunction of a version reports its "
     "own ImageUri (moto reports the function's latest ImageUri for every version)",
     "https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html", None),
    ("lambda-version-numbers-increase", "each PublishVersion that creates a version gets a number higher than any the function had, "
     "also after versions were deleted (moto numbers a new version len(versions)+1, so a number is given twice after a deletion)",
     # "AWS Lambda assigns a monotonically increasing sequence number for versioning, even if the function was deleted
     # and recreated. Version numbers are never reused" (developer guide source: awsdocs/aws-lambda-developer-guide,
     # doc_source/versioning-intro.md)
     "https://docs.aws.amazon.com/lambda/latest/dg/versioning-intro.html", None),
    ("lambda-policy-per-qualifier", "AddPermission with a Qualifier adds to that version's or alias's own policy: GetPolicy answers "
     "the statements of the qualifier asked for, and ELB may register a qualified function ARN only when that qualifier's "
     "policy lets it invoke (moto shares one policy across qualifiers)",
     "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html", None),
    ("cloudtrail-events", "each write AWS accepts (Elastic Load Balancing, Lambda, ECR) reaches EventBridge's default bus as an "
     "'AWS API Call via CloudTrail' event (detail: eventSource, eventName, requestParameters, userIdentity), best effort: after "
     "eventDelaySeconds, and a share eventLossRate never (moto sends no events for API calls)",
     "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html", "eventDelaySeconds"),
    ("ec2-not-found-names-the-missing-id", "DescribeSubnets and DescribeSecurityGroups with an id that does not exist answer "
     "InvalidSubnetID.NotFound / InvalidGroup.NotFound naming that id (moto names any id of the request)",
     "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html", None),
    ("lambda-answers-as-recorded", "status codes, error codes and messages as AWS answered them in LocalStack's recordings "
     "(dev/aws-parity/lambda.yaml): AddPermission 201, GetAlias/UpdateAlias 200, DeleteAlias 204, an existing alias "
     "ResourceConflictException, GetPolicy without a policy 'The resource you requested does not exist.', RemovePermission of "
     "a function that does not exist 'No policy found for: <arn>', "
     "a missing alias 'Cannot find alias arn: ...' (AddPermission) or 'Alias not found: ...' (UpdateAlias), a missing statement "
     "'Statement <sid> is not found in resource policy.', $LATEST refused by AddPermission and DeleteFunction (moto answers "
     "otherwise)", "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html", None),
    ("lambda-list-has-no-state", "ListFunctions and ListVersionsByFunction answer no State, StateReason(Code), LastUpdateStatus"
     "(Reason/Code): only GetFunction/GetFunctionConfiguration do (moto answers them in lists)",
     "https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html", None),
    ("elb-answers-as-recorded", "error messages as AWS answers them: DeleteTargetGroup of a target group in use: "
     "\"Target group '<arn>' is currently in use by a listener or a rule\" (moto: 'The target group ...')",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeleteTargetGroup.html", None),
] + privatelink_rules.RULES + elb_lifecycle_rules.RULES + lambda_alias_rules.RULES + ecr_pull_rules.RULES + tls_rules.RULES \
    + elb_arn_rules.RULES + waf_rules.RULES + lambda_concurrency_rules.RULES + nlb_security_group_rules.RULES \
    + target_group_attribute_rules.RULES + access_log_rules.RULES

DEFAULT_KNOBS = {
    # Short enough to keep the suite fast, long enough that every reconcile meets the in-between state.
    "lambdaPendingSeconds": float(os.environ.get("AWS_RULES_LAMBDA_PENDING_SECONDS", "2")),
    "lambdaUpdateSeconds": float(os.environ.get("AWS_RULES_LAMBDA_UPDATE_SECONDS", "1")),
    "permissionPropagationSeconds": float(os.environ.get("AWS_RULES_PERMISSION_PROPAGATION_SECONDS", "2")),
    # Off by default: a dedicated integration test switches it on.
    "consistencySeconds": float(os.environ.get("AWS_RULES_CONSISTENCY_SECONDS", "0")),
    # How long a deleted endpoint service stays Deleting (and its NLB in use) before it is gone.
    "endpointServiceDeletingSeconds": float(os.environ.get("AWS_RULES_ENDPOINT_SERVICE_DELETING_SECONDS", "1")),
    # cloudtrail-events: CloudTrail delivers within minutes on AWS; short here so that tests stay fast.
    "eventDelaySeconds": float(os.environ.get("AWS_RULES_EVENT_DELAY_SECONDS", "0.5")),
    "eventLossRate": float(os.environ.get("AWS_RULES_EVENT_LOSS_RATE", "0")),
    **elb_lifecycle_rules.KNOBS,
    **lambda_alias_rules.KNOBS,
    **waf_rules.KNOBS,
    **lambda_concurrency_rules.KNOBS,
    **ecr_pull_rules.KNOBS,
}


class Refusal(Exception):
    """An AWS error the layer answers instead of moto."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self, call):
        return refusal_response(call, self)


class World:
    """What the rules remember about moto's resources: when things were created, updated, permitted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.knobs = dict(DEFAULT_KNOBS)
        # Knobs set for one caller (access key id) only: a test that lengthens a delay or turns a rule on for its
        # own calls runs beside the others instead of alone. A rule asks with the key of the call it judges.
        self.scoped = {}           # access key id -> {knob: value}
        self.caller = threading.local()
        self.created = {}          # ("lb"|"tg"|"fn", name or arn) -> time created
        self.fn_pending = {}       # function name -> Active from this time
        self.fn_updating = {}      # function name -> Successful from this time
        self.fn_update_failed = {}  # function name -> (LastUpdateStatusReasonCode, LastUpdateStatusReason) of its last update
        self.permission_added = {}  # (function name, statement id) -> time
        self.nlb_addresses = {}    # load balancer arn -> {subnet id: private IPv4}
        self.version_images = {}   # (function name, version) -> ImageUri when the version was published (None: a zip)
        self.version_max = {}      # function name -> highest version number published

    def knob(self, name):
        """The knob's value for the caller of the request this thread serves (its own, else the world's)."""
        key = getattr(self.caller, "access_key", None)
        with self.lock:
            return self.scoped.get(key, {}).get(name, self.knobs[name])

    def effective_knobs(self, key):
        with self.lock:
            return {**self.knobs, **self.scoped.get(key, {})}


WORLD = World()

# elb-rule-priorities-batch: a batch of priorities is set in moto's rules one by one; a DescribeRules served by moto on
# another thread meanwhile would read half a batch, which AWS never answers. Rule writes and reads take turns here.
ELB_RULES = threading.RLock()
ELB_RULE_ACTIONS = ("DescribeRules", "CreateRule", "ModifyRule", "DeleteRule")


# ---------------------------------------------------------------------------------------------- requests

class Call:
    def __init__(self, environ, body):
        self.method = environ["REQUEST_METHOD"]
        self.path = environ.get("PATH_INFO", "")
        self.query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        self.body = body
        auth = environ.get("HTTP_AUTHORIZATION", "")
        scope = re.search(r"Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/", auth)
        self.access_key, self.region, self.service = scope.groups() if scope else (None, "us-east-1", None)
        self.form = {}
        if self.service in ("elasticloadbalancing", "ec2") and body:
            self.form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8")).items()}
        self.action = self.form.get("Action")
        # JSON protocols (AWS WAF): the operation is named by the X-Amz-Target header.
        self.target = environ.get("HTTP_X_AMZ_TARGET", "").split(".")[-1]

    def members(self, prefix):
        """Query-protocol list: prefix.member.N[.Field] values in order."""
        out = {}
        for k, v in self.form.items():
            m = re.match(re.escape(prefix) + r"\.member\.(\d+)(?:\.(\w+))?$", k)
            if m:
                out.setdefault(int(m.group(1)), {})[m.group(2)] = v
        return [out[i] for i in sorted(out)]

    def function(self):
        """(function name, the rest of the path) of a Lambda functions call, or (None, None)."""
        m = LAMBDA_PATH.match(self.path) if self.service == "lambda" else None
        if not m:
            return None, None
        return function_name(urllib.parse.unquote(m.group(1))), m.group(2) or ""


def function_name(name_or_arn):
    parts = name_or_arn.split(":")
    if "function" in parts:
        return parts[parts.index("function") + 1]
    return parts[0]


def qualifier_of(call):
    """The version or alias a Lambda call names: ?Qualifier=, or the name's own suffix (f:live, arn:...:function:f:live)."""
    asked = (call.query.get("Qualifier") or [None])[0]
    if asked:
        return asked
    m = LAMBDA_PATH.match(call.path)
    parts = urllib.parse.unquote(m.group(1)).split(":") if m else []
    if "function" in parts:
        parts = parts[parts.index("function") + 1:]
    return parts[1] if len(parts) > 1 else None


def policy_statements(region, name, qualifier, account="123456789012"):
    """lambda-policy-per-qualifier: the statements of the unqualified function's or of one qualifier's own policy."""
    try:
        policy = json.loads(lambda_backends[account][region].get_policy(name, qualifier))
        policy = policy.get("Policy", policy)
        policy = json.loads(policy) if isinstance(policy, str) else policy
    except Exception:
        return []
    return [st for st in policy.get("Statement", []) if resource_qualifier(st.get("Resource")) == qualifier]


def resource_qualifier(resource):
    parts = (resource or "").split(":")
    return parts[7] if len(parts) > 7 else None


# ------------------------------------------------------------------------------------------------- rules

def before(call):
    """Refuses what AWS would refuse; may return a rewritten request (environ changes) for moto."""
    now = time.time()
    privatelink_rules.before(call, now, WORLD.knob)
    try:
        elb_lifecycle_rules.before(call, now, WORLD.knob)
        tls_rules.before(call)
        nlb_security_group_rules.before(call)
        target_group_attribute_rules.before(call)
        access_log_rules.before(call)
        waf_rules.before(call, now, WORLD.knob, created_at)
        lambda_alias_rules.before(call, call.function(), qualifier_of(call), WORLD.knob)
        lambda_concurrency_rules.before(call, now, WORLD.knob)
        ecr_pull_rules.before(call, WORLD.knob)
    except refused.Refused as r:
        raise Refusal(r.status, r.code, r.message) from None
    if call.service == "lambda":
        name, rest = call.function()
        if name is None:
            return None
        # lambda-busy-conflict
        if (call.method == "PUT" and rest in ("/code", "/configuration")) or (call.method == "POST" and rest == "/versions"):
            with WORLD.lock:
                pending = WORLD.fn_pending.get(name, 0) > now
                updating = WORLD.fn_updating.get(name, 0) > now
            if pending:
                raise Refusal(409, "ResourceConflictException", "The operation cannot be performed at this time. "
                              "The function is currently in the following state: Pending")
            if updating:
                raise Refusal(409, "ResourceConflictException", "The operation cannot be performed at this time. "
                              f"An update is in progress for resource: arn:aws:lambda:{call.region}:123456789012:function:{name}")
        # lambda-update-failed-image-deleted: what the configuration goes back to when the update fails.
        if call.method == "PUT" and rest == "/configuration":
            call.configuration_kept = lambda_alias_rules.configuration_that_stays(call, name)
        # lambda-answers-as-recorded: $LATEST has no policy of its own and is deleted only with the function.
        if call.method == "POST" and rest == "/policy" and qualifier_of(call) == "$LATEST":
            raise Refusal(400, "InvalidParameterValueException", "We currently do not support adding policies for $LATEST.")
        if call.method == "DELETE" and rest == "" and qualifier_of(call) == "$LATEST":
            raise Refusal(400, "InvalidParameterValueException", "$LATEST version cannot be deleted without deleting the function.")
        # lambda-statement-id-unique
        if call.method == "POST" and rest == "/policy" and call.body:
            sid = json.loads(call.body).get("StatementId")
            if any(st.get("Sid") == sid for st in policy_statements(call.region, name, qualifier_of(call))):
                raise Refusal(409, "ResourceConflictException", f"The statement id ({sid}) provided already exists. "
                              "Please provide a new statement id, or remove the existing statement.")
        # eventual-consistency (reads of a function just created)
        if call.method == "GET" and rest in ("", "/configuration") and recently_created("fn", name, now):
            raise Refusal(404, "ResourceNotFoundException", f"Function not found: arn:aws:lambda:{call.region}:123456789012:function:{name}")
        return None

    if call.service == "ec2":
        check_ec2_ids_exist(call)
    if call.service != "elasticloadbalancing":
        return None
    if call.action == "RegisterTargets":
        check_registration(call, now)
    elif call.action in ("DescribeLoadBalancers", "DescribeTargetGroups"):
        kind = "lb" if call.action == "DescribeLoadBalancers" else "tg"
        asked = [m[None] for m in call.members("Names")] + [m[None] for m in call.members(
            "LoadBalancerArns" if kind == "lb" else "TargetGroupArns")]
        if asked and all(recently_created(kind, a, now) for a in asked):
            raise Refusal(400, "LoadBalancerNotFound" if kind == "lb" else "TargetGroupNotFound",
                          "One or more load balancers not found" if kind == "lb" else "One or more target groups not found")
    elif call.action == "CreateLoadBalancer":
        return existing_instead_of_duplicate(call, "lb")
    elif call.action == "CreateTargetGroup":
        return existing_instead_of_duplicate(call, "tg")
    elif call.action == "CreateListener":
        return existing_listener(call)
    elif call.action == "SetRulePriorities":
        return rule_priorities_as_batch(call)
    elif call.action == "DescribeTags":
        check_tagged_resources_exist(call)
    elif call.action == "CreateRule":
        check_priority_range(call.form.get("Priority"))
    return None


def check_tagged_resources_exist(call):
    """elb-describe-tags-not-found: one ARN that does not exist fails the whole call, as AWS does."""
    for m in call.members("ResourceArns"):
        arn = m[None]
        backend = elbv2_backends[account_of(arn)][call.region]
        if ":loadbalancer/" in arn and arn not in backend.load_balancers:
            raise Refusal(400, "LoadBalancerNotFound", "One or more load balancers not found")
        if ":targetgroup/" in arn and arn not in backend.target_groups:
            raise Refusal(400, "TargetGroupNotFound", "One or more target groups not found")


def check_priority_range(priority):
    """elb-rule-priorities-batch: AWS's rule priorities are 1 to 50000 (moto takes any integer)."""
    try:
        p = int(priority)
    except (TypeError, ValueError):
        return
    if not 1 <= p <= 50000:
        raise Refusal(400, "ValidationError", f"Priority '{p}' must be between 1 and 50000")


def rule_priorities_as_batch(call):
    """elb-rule-priorities-batch: applied here to moto's rules as AWS applies it; answered as moto answers DescribeRules."""
    with ELB_RULES:
        return set_rule_priorities(call)


def set_rule_priorities(call):
    pairs = [(m.get("RuleArn"), m.get("Priority")) for m in call.members("RulePriorities")]
    backend = elbv2_backends["123456789012"][call.region]
    wanted = {}
    for arn, priority in pairs:
        check_priority_range(priority)
        if int(priority) in wanted.values():
            raise Refusal(400, "ValidationError", f"Priority '{priority}' was provided multiple times")
        wanted[arn] = int(priority)
    rules, listeners = {}, {}
    for lb in backend.load_balancers.values():
        for listener in lb.listeners.values():
            for rule in listener.rules.values():
                if rule.arn in wanted:
                    rules[rule.arn], listeners[rule.arn] = rule, listener
    if set(rules) != set(wanted):
        raise Refusal(400, "RuleNotFound", "One or more rules not found")
    if any(rules[arn].is_default for arn in wanted):
        raise Refusal(400, "OperationNotPermitted", "The default rule's priority cannot be changed")
    # Only the state after the whole batch must be free of duplicates (what a swap in one call needs).
    for listener in {id(v): v for v in listeners.values()}.values():
        final = [wanted.get(r.arn, r.priority) for r in listener.rules.values() if not r.is_default]
        if len(final) != len({str(p) for p in final}):
            raise Refusal(400, "PriorityInUse", "The specified priority is in use.")
    for arn, priority in wanted.items():
        rules[arn].priority = priority
    form = {"Action": "DescribeRules", "Version": "2015-12-01"}
    for i, arn in enumerate(wanted, 1):
        form[f"RuleArns.member.{i}"] = arn
    return form, "SetRulePriorities"


def existing_listener(call):
    """elb-listener-idempotent: one listener per port, and a create with the same settings returns it."""
    lb_arn = call.form.get("LoadBalancerArn", "")
    lb = load_balancer(call.region, lb_arn)
    if lb is None:
        return None
    port = int(call.form.get("Port") or 0)
    existing = next((listener for listener in lb.listeners.values() if int(listener.port) == port), None)
    if existing is None:
        return None
    wanted = call.form.get("DefaultActions.member.1.TargetGroupArn")
    wanted_type = call.form.get("DefaultActions.member.1.Type")
    wanted_status = call.form.get("DefaultActions.member.1.FixedResponseConfig.StatusCode")
    actions = getattr(existing, "default_actions", []) or []
    current = [getattr(a, "data", a) for a in actions]
    current_actions = [(a.get("Type"), a.get("TargetGroupArn"), str((a.get("FixedResponseConfig") or {}).get("StatusCode") or "") or None)
                       if isinstance(a, dict) else None for a in current]
    same = (str(existing.protocol) == call.form.get("Protocol") and current_actions == [(wanted_type, wanted, wanted_status)])
    if not same:
        raise Refusal(400, "DuplicateListener", "A listener already exists on this port for this load balancer")
    return {"Action": "DescribeListeners", "Version": "2015-12-01", "ListenerArns.member.1": existing.arn}, "CreateListener"


def recently_created(kind, key, now):
    window = WORLD.knob("consistencySeconds")
    if window <= 0:
        return False
    with WORLD.lock:
        at = WORLD.created.get((kind, key))
    return at is not None and now - at < window


def check_registration(call, now):
    tg_arn = call.form.get("TargetGroupArn", "")
    backend = elbv2_backends[account_of(tg_arn)][call.region]
    tg = backend.target_groups.get(tg_arn)
    if tg is None:
        return  # moto answers TargetGroupNotFound itself
    targets = call.members("Targets")
    if tg.target_type == "lambda":
        ids = {t.get("Id") for t in targets}
        registered = set(tg.targets)
        if len(ids) > 1 or (registered and not ids <= registered):
            raise Refusal(400, "TooManyTargets", "You can register only one Lambda function with a target group; "
                          f"{tg_arn} already has {sorted(registered)}")
        for fn_arn in ids:
            check_invoke_permission(call, fn_arn, tg_arn, now)
    elif tg.target_type == "alb":
        for t in targets:
            lb = backend.load_balancers.get(t.get("Id"))
            if lb is None:
                continue  # moto answers for unknown targets itself
            port = int(t.get("Port") or tg.port)
            if port not in {int(listener.port) for listener in lb.listeners.values()}:
                raise Refusal(400, "InvalidTarget", f"The Application Load Balancer {lb.arn} has no listener on port {port}; "
                              "an Application Load Balancer can be registered only on a port it has a listener on")


def check_invoke_permission(call, fn_arn, tg_arn, now):
    parts = fn_arn.split(":")
    name = function_name(fn_arn)
    qualifier = parts[7] if len(parts) > 7 else None
    denied = Refusal(403, "AccessDenied", f"elasticloadbalancing principal does not have permission to invoke {fn_arn} "
                     f"from target group {tg_arn}")
    # lambda-policy-per-qualifier: ELB invokes exactly the ARN registered, so that qualifier's policy must allow it.
    propagation = WORLD.knob("permissionPropagationSeconds")
    for s in policy_statements(call.region, name, qualifier, account_of(fn_arn)):
        principal = s.get("Principal", {})
        service = principal.get("Service") if isinstance(principal, dict) else principal
        actions = s.get("Action") if isinstance(s.get("Action"), list) else [s.get("Action")]
        source = ((s.get("Condition") or {}).get("ArnLike") or {}).get("AWS:SourceArn")
        if s.get("Effect", "Allow") != "Allow" or service != ELB_PRINCIPAL:
            continue
        if not any(a in ("lambda:InvokeFunction", "lambda:*") for a in actions):
            continue
        if source is not None and not fnmatchcase(tg_arn, source):
            continue
        with WORLD.lock:
            added = WORLD.permission_added.get((name, s.get("Sid")))
        if added is None or now - added >= propagation:
            return
    raise denied


def existing_instead_of_duplicate(call, kind):
    """elb-create-idempotent: moto creates a second load balancer with the same name, and refuses any second target group."""
    name = call.form.get("Name")
    backend = elbv2_backends["123456789012"][call.region]
    pool = backend.load_balancers.values() if kind == "lb" else backend.target_groups.values()
    existing = next((r for r in pool if r.name == name), None)
    if existing is None:
        return None
    if kind == "lb":
        same = (existing.type == call.form.get("Type", "application")
                and existing.scheme == call.form.get("Scheme", "internet-facing")
                and {s.id for s in existing.subnets} == {m.get("SubnetId") or m.get(None) for m in
                                                         call.members("SubnetMappings") + call.members("Subnets")})
        if not same:
            raise Refusal(400, "DuplicateLoadBalancerName", "A load balancer with the same name exists, with other settings")
        return {"Action": "DescribeLoadBalancers", "Version": "2015-12-01", "Names.member.1": name}, "CreateLoadBalancer"
    same = (str(existing.target_type) == call.form.get("TargetType", "instance")
            and (existing.protocol or None) == (call.form.get("Protocol") or None)
            and str(existing.port or "") == str(call.form.get("Port") or "")
            and (existing.vpc_id or None) == (call.form.get("VpcId") or None))
    if not same:
        raise Refusal(400, "DuplicateTargetGroupName", "A target group with the same name exists, with other settings")
    return {"Action": "DescribeTargetGroups", "Version": "2015-12-01", "Names.member.1": name}, "CreateTargetGroup"


def after(call, status, body, now):
    """Records what the rules need, and shows moto's answer as AWS would."""
    if status >= 300:
        return body
    if call.service == "ec2":
        return privatelink_rules.after(call, status, body, now)
    if call.service == "lambda":
        return after_lambda(call, body, now)
    if call.service != "elasticloadbalancing":
        return body
    # Every ELB rule below reads and changes one parse of the answer; written once, at the end, if one changed it.
    answer = XmlAnswer(body)
    if call.action == "CreateLoadBalancer":
        for lb in answer.root.iter(f"{{{ELB_NS}}}LoadBalancerArn"):
            mapped = {m.get("SubnetId"): m.get("PrivateIPv4Address") for m in call.members("SubnetMappings")
                      if m.get("PrivateIPv4Address")}
            with WORLD.lock:
                WORLD.created.setdefault(("lb", lb.text), now)
                WORLD.created.setdefault(("lb", call.form.get("Name")), now)
                if mapped:
                    WORLD.nlb_addresses.setdefault(lb.text, mapped)
    elif call.action == "CreateTargetGroup":
        for arn in answer.root.iter(f"{{{ELB_NS}}}TargetGroupArn"):
            with WORLD.lock:
                WORLD.created.setdefault(("tg", arn.text), now)
                WORLD.created.setdefault(("tg", call.form.get("Name")), now)
    elif call.action == "DeleteLoadBalancer":
        with WORLD.lock:
            WORLD.nlb_addresses.pop(call.form.get("LoadBalancerArn"), None)
    elb_lifecycle_rules.after(call, answer, now, WORLD.knob, created_at, function_active)
    nlb_security_group_rules.after(call, answer)
    tls_rules.after(call)
    if call.action in ("CreateLoadBalancer", "DescribeLoadBalancers", "DescribeTargetGroups"):
        rewrite_elb(call, answer, now)
    return answer.written()


def created_at(arn):
    with WORLD.lock:
        return WORLD.created.get(("lb", arn))


def function_active(name):
    """lambda-pending: the layer no longer shows the function Pending."""
    with WORLD.lock:
        return WORLD.fn_pending.get(name, 0) <= time.time()


def rewrite_elb(call, answer, now):
    # elb-static-ip-reported (a target group's answer has no load balancer in it: not parsed for this rule)
    for lb in answer.root.iter(f"{{{ELB_NS}}}member") if call.action != "DescribeTargetGroups" else ():
        arn = lb.find(f"{{{ELB_NS}}}LoadBalancerArn")
        with WORLD.lock:
            mapped = WORLD.nlb_addresses.get(arn.text) if arn is not None else None
        if not mapped:
            continue
        for az in lb.iterfind(f"{{{ELB_NS}}}AvailabilityZones/{{{ELB_NS}}}member"):
            subnet = az.find(f"{{{ELB_NS}}}SubnetId")
            if subnet is None or subnet.text not in mapped or az.find(f"{{{ELB_NS}}}LoadBalancerAddresses") is not None:
                continue
            addresses = ET.SubElement(az, f"{{{ELB_NS}}}LoadBalancerAddresses")
            ET.SubElement(ET.SubElement(addresses, f"{{{ELB_NS}}}member"), f"{{{ELB_NS}}}PrivateIPv4Address").text = mapped[subnet.text]
            answer.changed = True
    # eventual-consistency: a listing does not show what was just created
    if call.action in ("DescribeLoadBalancers", "DescribeTargetGroups") and WORLD.knob("consistencySeconds") > 0:
        kind, arn_tag, list_tag = (("lb", "LoadBalancerArn", "LoadBalancers") if call.action == "DescribeLoadBalancers"
                                   else ("tg", "TargetGroupArn", "TargetGroups"))
        for container in answer.root.iter(f"{{{ELB_NS}}}{list_tag}"):
            for member in list(container):
                arn = member.find(f"{{{ELB_NS}}}{arn_tag}")
                if arn is not None and recently_created(kind, arn.text, now):
                    container.remove(member)
                    answer.changed = True


def after_lambda(call, body, now):
    name, rest = call.function()
    created = call.method == "POST" and call.path.rstrip("/") == "/2015-03-31/functions"
    try:
        doc = json.loads(body) if body else None
    except ValueError:
        return body
    if created and isinstance(doc, dict):
        name = doc.get("FunctionName")
        pending = WORLD.knob("lambdaPendingSeconds")
        with WORLD.lock:
            WORLD.fn_pending[name] = now + pending
            WORLD.created.setdefault(("fn", name), now)
    elif name is not None and call.method == "PUT" and rest in ("/code", "/configuration"):
        kept = getattr(call, "configuration_kept", None)
        if kept is not None:
            lambda_alias_rules.restore_configuration(call, name, kept)
        updating = WORLD.knob("lambdaUpdateSeconds")
        with WORLD.lock:
            WORLD.fn_updating[name] = now + updating
            if kept is not None:
                WORLD.fn_update_failed[name] = lambda_alias_rules.IMAGE_DELETED
            else:
                WORLD.fn_update_failed.pop(name, None)
    elif name is not None and call.method == "POST" and rest == "/policy" and isinstance(doc, dict):
        sid = json.loads(doc.get("Statement", "{}")).get("Sid")
        with WORLD.lock:
            WORLD.permission_added[(name, sid)] = now
    elif name is not None and call.method == "DELETE" and rest == "" and qualifier_of(call) is not None:
        with WORLD.lock:
            WORLD.version_images.pop((name, qualifier_of(call)), None)
    elif name is not None and call.method == "DELETE" and rest == "" and qualifier_of(call) is None:
        with WORLD.lock:
            for key in [k for k in WORLD.version_images if k[0] == name]:
                del WORLD.version_images[key]
            WORLD.version_max.pop(name, None)
            WORLD.fn_pending.pop(name, None)
            WORLD.fn_updating.pop(name, None)
            WORLD.fn_update_failed.pop(name, None)
            for key in [k for k in WORLD.permission_added if k[0] == name]:
                del WORLD.permission_added[key]
    elif name is not None and call.method == "POST" and rest == "/versions" and isinstance(doc, dict):
        renumber_new_version(call.region, name, doc)
        # lambda-version-immutable: remember the code the version was published with.
        try:
            image = lambda_backends["123456789012"][call.region].get_function(name).code.get("ImageUri")
        except Exception:
            image = None
        with WORLD.lock:
            # Only a version just made takes $LATEST's image: moto answers a publish of an unchanged $LATEST with an
            # existing version (AWS does too: "Lambda doesn't publish a version if the function's configuration and code
            # haven't changed since the last version"), whose code is the one it was published with. Every version is
            # recorded, a zip function's with no image, so that renumber_new_version knows an existing one.
            WORLD.version_images.setdefault((name, doc.get("Version")), image)
    if not isinstance(doc, dict):
        return body
    if lambda_concurrency_rules.reserved_reported(call, doc) is not None:
        body = json.dumps(doc).encode("utf-8")
    if name is not None and call.method == "GET" and rest == "/policy":
        # lambda-policy-per-qualifier
        policy = json.loads(doc.get("Policy", "{}"))
        policy["Statement"] = [st for st in policy.get("Statement", []) if resource_qualifier(st.get("Resource")) == qualifier_of(call)]
        doc["Policy"] = json.dumps(policy)
        return json.dumps(doc).encode("utf-8")
    if name is not None and call.method == "GET" and rest == "" and isinstance(doc.get("Code"), dict):
        with WORLD.lock:
            image = WORLD.version_images.get((name, (doc.get("Configuration") or {}).get("Version")))
        if image:
            doc["Code"]["ImageUri"] = image
            doc["Code"].pop("ResolvedImageUri", None)
            body = json.dumps(doc).encode("utf-8")
    configurations = []
    if "FunctionName" in doc and "State" in doc:
        configurations.append(doc)
    if isinstance(doc.get("Configuration"), dict):
        configurations.append(doc["Configuration"])
    if isinstance(doc.get("Functions"), list):
        window = WORLD.knob("consistencySeconds")
        if window > 0:
            doc["Functions"] = [f for f in doc["Functions"] if not recently_created("fn", f.get("FunctionName"), now)]
    if isinstance(doc.get("Versions"), list):
        listed = doc["Versions"]
    elif isinstance(doc.get("Functions"), list):
        listed = doc["Functions"]
    else:
        listed = []
    if not configurations and "Functions" not in doc and "Versions" not in doc:
        return body
    for c in configurations:
        show_state(c, now, created)
    # lambda-list-has-no-state: only GetFunction/GetFunctionConfiguration answer the state fields.
    for c in listed:
        for k in STATE_FIELDS:
            c.pop(k, None)
    return json.dumps(doc).encode("utf-8")


STATE_FIELDS = ("State", "StateReason", "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason", "LastUpdateStatusReasonCode")


def renumber_new_version(region, name, doc):
    """lambda-version-numbers-increase: a version just appended with a number already given is renumbered."""
    try:
        entry = lambda_backends["123456789012"][region]._lambdas._functions[name]
    except Exception:
        return
    versions = entry["versions"]
    number = int(doc.get("Version", "0") or 0)
    with WORLD.lock:
        highest = WORLD.version_max.get(name, 0)
        fresh = versions[-1] if versions and int(versions[-1].version) == number else None
        # moto answers an unchanged $LATEST with the existing last version: that one is already recorded.
        duplicate = fresh is not None and any(v is not fresh and int(v.version) == number for v in versions)
        if fresh is not None and number <= highest and (duplicate or (name, str(number)) not in WORLD.version_images):
            lambdas = lambda_backends["123456789012"][region]._lambdas
            older = next((v for v in versions[:-1] if int(v.version) == number), None)
            if older is not None:
                lambdas._arns[fresh.function_arn] = older
            else:
                lambdas._arns.pop(fresh.function_arn, None)
            fresh.set_version(highest + 1)
            lambdas._arns[fresh.function_arn] = fresh
            doc["Version"] = str(highest + 1)
            doc["FunctionArn"] = fresh.function_arn
            number = highest + 1
        WORLD.version_max[name] = max(highest, number)


def show_state(c, now, on_create):
    """lambda-pending / lambda-update-in-progress: the state fields as AWS reports them at this moment."""
    name = c.get("FunctionName")
    with WORLD.lock:
        pending = WORLD.fn_pending.get(name, 0) > now
        updating = WORLD.fn_updating.get(name, 0) > now
        # lambda-update-failed-image-deleted: only $LATEST is updated (a version keeps what it was published with).
        failed = WORLD.fn_update_failed.get(name) if c.get("Version", "$LATEST") == "$LATEST" else None
    if pending:
        c.update({"State": "Pending", "StateReason": "The function is being created.", "StateReasonCode": "Creating"})
    else:
        c["State"] = "Active"
        for k in ("StateReason", "StateReasonCode"):
            c.pop(k, None)
    if on_create:
        c.pop("LastUpdateStatus", None)
    elif updating:
        # As AWS answered in LocalStack's recordings (test_lambda_api.snapshot.json, update_func_conf_response).
        c.update({"LastUpdateStatus": "InProgress", "LastUpdateStatusReason": "The function is being created.",
                  "LastUpdateStatusReasonCode": "Creating"})
    elif failed:
        c.update({"LastUpdateStatus": "Failed", "LastUpdateStatusReasonCode": failed[0], "LastUpdateStatusReason": failed[1]})
    else:
        c["LastUpdateStatus"] = "Successful"
        for k in ("LastUpdateStatusReason", "LastUpdateStatusReasonCode"):
            c.pop(k, None)


# ------------------------------------------------------------------------------------------ cloudtrail-events

LAMBDA_EVENT_NAMES = [  # (method, path pattern, CloudTrail eventName)
    ("POST", r"^/2015-03-31/functions/?$", "CreateFunction20150331"),
    ("PUT", r"^/2015-03-31/functions/[^/]+/configuration$", "UpdateFunctionConfiguration20150331v2"),
    ("PUT", r"^/2015-03-31/functions/[^/]+/code$", "UpdateFunctionCode20150331v2"),
    ("DELETE", r"^/2015-03-31/functions/[^/]+$", "DeleteFunction20150331"),
    ("POST", r"^/2015-03-31/functions/[^/]+/policy$", "AddPermission20150331v2"),
    ("DELETE", r"^/2015-03-31/functions/[^/]+/policy/[^/]+$", "RemovePermission20150331v2"),
    ("POST", r"^/2017-03-31/tags/.+$", "TagResource20170331v2"),
    ("DELETE", r"^/2017-03-31/tags/.+$", "UntagResource20170331v2"),
]
ELB_LIST = re.compile(r"^(\w+)\.member\.(\d+)$")


def cloudtrail_detail(call, environ):
    """The CloudTrail record of a write AWS accepted, or None for a read (CloudTrail logs reads too; no rule wants them)."""
    if call.service == "elasticloadbalancing":
        if not call.action or call.action.startswith("Describe"):
            return None
        params = {}
        for k, v in call.form.items():
            m = ELB_LIST.match(k)
            if m:
                params.setdefault(m.group(1)[0].lower() + m.group(1)[1:], []).append(v)
            elif "." not in k and k not in ("Action", "Version"):
                params[k[0].lower() + k[1:]] = v
        source, name = "elasticloadbalancing.amazonaws.com", call.action
    elif call.service == "lambda":
        name = next((n for method, pattern, n in LAMBDA_EVENT_NAMES if call.method == method and re.match(pattern, call.path)), None)
        if name is None:
            return None
        fn, _ = call.function()
        params = {}
        if fn is not None:
            params["functionName"] = fn
        elif call.path.startswith("/2017-03-31/tags/"):
            params["resource"] = urllib.parse.unquote(call.path[len("/2017-03-31/tags/"):])
        elif call.body:
            params["functionName"] = json.loads(call.body).get("FunctionName")
        source = "lambda.amazonaws.com"
    elif call.service == "ecr":
        name = environ.get("HTTP_X_AMZ_TARGET", "").split(".")[-1]
        if not name or name.startswith(("Describe", "List", "Get", "BatchGet")):
            return None
        params = {k: v for k, v in json.loads(call.body or b"{}").items() if k in ("repositoryName", "imageTag", "registryId", "imageIds")}
        source = "ecr.amazonaws.com"
    else:
        return None
    key = call.access_key or "unknown"
    return {"eventVersion": "1.09", "eventSource": source, "eventName": name, "awsRegion": call.region,
            "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "eventType": "AwsApiCall",
            "userIdentity": {"type": "IAMUser", "accountId": "123456789012", "accessKeyId": key,
                             "arn": f"arn:aws:iam::123456789012:user/{key}"},
            "requestParameters": params}


def publish_cloudtrail_event(call, environ):
    """cloudtrail-events: what EventBridge's default bus receives for a write (delayed, sometimes lost)."""
    detail = cloudtrail_detail(call, environ)
    if detail is None or random.random() < WORLD.knob("eventLossRate"):
        return
    service = detail["eventSource"].split(".")[0]
    entry = {"Source": f"aws.{service}", "DetailType": "AWS API Call via CloudTrail", "Detail": json.dumps(detail),
             "EventBusName": "default"}

    def put():
        try:
            events_backends["123456789012"][call.region].put_events([entry])
        except Exception as e:  # best effort, as on AWS
            print(f"aws_rules: event not delivered: {e}", file=sys.stderr, flush=True)

    timer = threading.Timer(WORLD.knob("eventDelaySeconds"), put)
    timer.daemon = True
    timer.start()


# ec2-not-found-names-the-missing-id: AWS's NotFound error names the id that does not exist; moto 5.2 names any id
# of the request (it subtracts its Subnet/SecurityGroup objects from the set of asked ids, which removes nothing,
# and takes the first of a set: the order of Python's string hashes, new with every process).
EC2_ID_LOOKUPS = {
    "DescribeSubnets": ("SubnetId", "InvalidSubnetID.NotFound", "The subnet ID '{}' does not exist",
                        lambda b: {sid for zone in b.subnets.values() for sid in zone}),
    "DescribeSecurityGroups": ("GroupId", "InvalidGroup.NotFound", "The security group '{}' does not exist",
                               lambda b: {gid for vpc in b.groups.values() for gid in vpc}),
}


def check_ec2_ids_exist(call):
    lookup = EC2_ID_LOOKUPS.get(call.action)
    if not lookup:
        return
    param, code, message, existing = lookup
    asked = privatelink_rules.ec2_list(call.form, param)
    if not asked:
        return
    known = existing(ec2_backends[get_account_id_from(call.access_key)][call.region])
    missing = [i for i in asked if i not in known]
    if missing:
        raise privatelink_rules.ec2_error(code, message.format(missing[0]))


# ---------------------------------------------------------------------------- answers as AWS spells them

ALIAS_PATH = re.compile(r"^/2015-03-31/functions/[^/]+/aliases(/[^/]+)?$")
POLICY_STATEMENT_PATH = re.compile(r"^/2015-03-31/functions/[^/]+/policy/([^/]+)$")


def as_recorded(call, status, headers, out):
    """lambda-answers-as-recorded, elb-answers-as-recorded: moto's answer with AWS's status, code and message."""
    if call.service == "elasticloadbalancing" and call.action == "DeleteTargetGroup" and status == 400:
        text = out.decode("utf-8")
        return status, headers, text.replace("<Message>The target group '", "<Message>Target group '").encode("utf-8")
    if call.service != "lambda":
        return status, headers, out
    name, rest = call.function()
    alias = ALIAS_PATH.match(call.path)
    if status < 300:
        if name is not None and call.method == "POST" and rest == "/policy":
            return 201, headers, out
        if alias and alias.group(1) and call.method in ("GET", "PUT"):
            return 200, headers, out
        if alias and alias.group(1) and call.method == "DELETE":
            return 204, headers, b""
        return status, headers, out
    try:
        error = json.loads(out)
    except ValueError:
        return status, headers, out
    code = dict((k.lower(), v) for k, v in headers).get("x-amzn-errortype", error.get("__type", ""))
    message = error.get("message") or error.get("Message") or ""
    image_error = lambda_alias_rules.image_not_found_as_invalid_parameter(call, code, WORLD.knob)
    if image_error is not None:
        return Refusal(image_error.status, image_error.code, image_error.message).response(call)
    if name is None:
        return status, headers, out
    qualifier = qualifier_of(call)
    if alias and call.method == "POST" and code.startswith("ConflictException"):
        return Refusal(409, "ResourceConflictException", message).response(call)
    if alias and call.method == "PUT" and message.startswith("Cannot find alias arn: "):
        return Refusal(404, "ResourceNotFoundException", "Alias not found: " + message[len("Cannot find alias arn: "):]).response(call)
    if (call.method == "POST" and rest == "/policy" and status == 404 and qualifier and not qualifier.isdigit()
            and message.startswith("Function not found: ")):
        return Refusal(404, "ResourceNotFoundException", "Cannot find alias arn: " + message[len("Function not found: "):]).response(call)
    if call.method == "GET" and rest == "/policy" and status == 404:
        return Refusal(404, "ResourceNotFoundException", "The resource you requested does not exist.").response(call)
    removed = POLICY_STATEMENT_PATH.match(call.path)
    if removed and call.method == "DELETE" and status == 404 and message.startswith("Function not found: ") and qualifier is None:
        return Refusal(404, "ResourceNotFoundException", "No policy found for: " + message[len("Function not found: "):]).response(call)
    if removed and call.method == "DELETE" and status == 404 and policy_statements(call.region, name, qualifier):
        sid = urllib.parse.unquote(removed.group(1))
        return Refusal(404, "ResourceNotFoundException", f"Statement {sid} is not found in resource policy.").response(call)
    return status, headers, out


# --------------------------------------------------------------------------------------------------- WSGI

def refusal_response(call, r):
    if call.service == "lambda":
        body = json.dumps({"Type": "User", "Message": r.message, "message": r.message}).encode("utf-8")
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", r.code), ("x-amzn-RequestId", "aws-rules")]
    elif call.service == "wafv2":
        body = json.dumps({"__type": r.code, "Message": r.message}).encode("utf-8")
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "aws-rules")]
    else:
        body = (f'<ErrorResponse xmlns="{ELB_NS}"><Error><Type>Sender</Type><Code>{r.code}</Code>'
                f"<Message>{xml_escape(r.message)}</Message></Error><RequestId>aws-rules</RequestId></ErrorResponse>").encode("utf-8")
        headers = [("Content-Type", "text/xml")]
    return r.status, headers, body


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
               404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}


class RulesApp:
    def __init__(self, moto_app):
        self.moto = moto_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/_rules":
            return self.control(environ, start_response)
        if environ.get("PATH_INFO") == "/_rules/stats":
            return self.respond(start_response, 200, [("Content-Type", "application/json")], CALL_STATS.json())
        began = time.perf_counter()
        try:
            return self.answer(environ, start_response)
        finally:
            CALL_STATS.add(environ.get("aws_rules.kind", "?"), time.perf_counter() - began)

    def answer(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        call = Call(environ, body)
        environ["aws_rules.kind"] = CallStats.kind(environ, call)
        WORLD.caller.access_key = call.access_key
        if call.service == "monitoring" and call.path.startswith(cbor_cloudwatch.PATH_PREFIX):
            # CloudWatch over Smithy RPC v2 CBOR, which moto 5.2 does not speak (protocol, not a rule).
            status, headers, out = cbor_cloudwatch.respond(call.path, body, "123456789012", call.region)
            return self.respond(start_response, status, headers, out)
        try:
            rewritten = before(call)
        except Refusal as r:
            status, headers, out = refusal_response(call, r)
            return self.respond(start_response, status, headers, out)
        except privatelink_rules.Answer as a:
            return self.respond(start_response, a.status, [("Content-Type", a.content_type)], a.body)
        except lambda_concurrency_rules.Answer as a:
            out = b"" if a.doc is None else json.dumps(a.doc).encode("utf-8")
            return self.respond(start_response, a.status, [("Content-Type", "application/json"), ("x-amzn-RequestId", "aws-rules")], out)
        renamed_from = None
        if rewritten is not None:
            form, renamed_from = rewritten
            body = urllib.parse.urlencode(form).encode("utf-8")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        with elb_arn_rules.kind_of_created(call):
            if call.service == "elasticloadbalancing" and call.action in ELB_RULE_ACTIONS:
                with ELB_RULES:
                    status, headers, out = self.call_moto(environ)
            else:
                status, headers, out = self.call_moto(environ)
        if renamed_from is not None and status < 300:
            # The existing resource, answered as the create the caller made.
            text = (out.decode("utf-8").replace("DescribeLoadBalancers", renamed_from).replace("DescribeTargetGroups", renamed_from)
                    .replace("DescribeListeners", renamed_from).replace("DescribeRules", renamed_from))
            out = text.encode("utf-8")
        else:
            out = after(call, status, out, time.time())
        status, headers, out = as_recorded(call, status, headers, out)
        if status < 300:
            publish_cloudtrail_event(call, environ)
        return self.respond(start_response, status, headers, out)

    def call_moto(self, environ):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self.moto(environ, capture)
        try:
            out = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return int(captured["status"].split()[0]), captured["headers"], out

    @staticmethod
    def respond(start_response, status, headers, out):
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(out)))]
        start_response(f"{status} {STATUS_TEXT.get(status, 'Status')}", headers)
        return [out]

    def control(self, environ, start_response):
        """GET: the rules and the knobs; POST {knob: value}: sets knobs for every caller, or with ?accessKey=K for the
        calls signed with K only (and GET ?accessKey=K answers the knobs K's calls see)."""
        key = (urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("accessKey") or [None])[0]
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            changes = json.loads(environ["wsgi.input"].read(length) or b"{}")
            unknown = sorted(set(changes) - set(DEFAULT_KNOBS))
            if unknown:
                return self.respond(start_response, 400, [("Content-Type", "application/json")],
                                    json.dumps({"error": f"unknown knobs {unknown}"}).encode())
            with WORLD.lock:
                target = WORLD.knobs if key is None else WORLD.scoped.setdefault(key, {})
                target.update({k: float(v) for k, v in changes.items()})
        doc = {"knobs": WORLD.effective_knobs(key), "rules": [dict(id=r[0], rule=r[1], source=r[2], knob=r[3]) for r in RULES]}
        return self.respond(start_response, 200, [("Content-Type", "application/json")], json.dumps(doc).encode())


class CallStats:
    """Per kind of call, how many and the seconds this server spent answering them (GET /_rules/stats): where the
    suite's AWS time goes (the test JVM writes it to operator/target/aws-call-stats.txt when the world goes down)."""

    LAMBDA_NAME = re.compile(r"/functions/[^/]+")

    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind = {}

    @classmethod
    def kind(cls, environ, call):
        target = environ.get("HTTP_X_AMZ_TARGET")
        if target:
            return target
        action = call.action
        if action is None and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            action = (urllib.parse.parse_qs(call.body.decode("utf-8", "replace")).get("Action") or [None])[0]
        if action:
            return f"{call.service}:{action}"
        return f"{call.service}:{call.method} {cls.LAMBDA_NAME.sub('/functions/{name}', call.path)}"

    def add(self, kind, seconds):
        with self.lock:
            entry = self.by_kind.setdefault(kind, [0, 0.0])
            entry[0] += 1
            entry[1] += seconds

    def json(self):
        with self.lock:
            rows = [dict(call=k, count=v[0], seconds=round(v[1], 3)) for k, v in self.by_kind.items()]
        return json.dumps(sorted(rows, key=lambda r: -r["seconds"])).encode()


CALL_STATS = CallStats()


class FailureLog:
    """A line on stderr for each call answered with an error, none for the others: a line per request was about a tenth
    of the old server's busy time in the suite (py-spy, 120 s, 2026-12-07), and the call log is /_rules/stats."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            if status[:1] in ("4", "5"):
                print(f'{environ.get("REMOTE_ADDR", "-")} "{environ.get("REQUEST_METHOD")} {environ.get("PATH_INFO")}" '
                      f'{status[:3]}', file=sys.stderr, flush=True)
            return start_response(status, headers, exc_info)
        return self.app(environ, start)


def server(host, port, app, threads):
    """A WSGI server that keeps connections open between requests (HTTP/1.1 keep-alive), with a pool of threads.
    werkzeug's development server closes the connection after every answer ("Connection: close", by design): every AWS
    call of the suite opened a TCP connection and started a server thread for one request (about 28 connections a
    second while the crash table ran; thread starts were about a tenth of the server's samples, py-spy 2026-12-07).
    Idle connections are never closed from this side within a run (the clients close theirs: the SDK's after 60 s idle),
    so no client sends a request on a connection the server has just closed; poll(), not select(), for more than 1024
    of them."""
    return create_server(FailureLog(app), host=host, port=port, threads=threads, connection_limit=4000,
                         channel_timeout=24 * 3600, asyncore_use_poll=True, ident="aws_rules")


def speed_patches():
    """Speed only, no behaviour: moto 5.2's generic response serializer (every ELB answer) spent most of a listing's
    time working out, again for every attribute of every object, which Python attribute holds a field, and parsing
    each object's creation time back from its own string (cProfile of DescribeLoadBalancers over 60 load balancers:
    the value picker 40 %, the timestamps 9 %). Both are pure functions of what they are keyed on here: the picker's
    candidate names of a (class of object, field, model shape) and a timestamp's conversion of one value."""
    from moto.core import responses, serialize

    candidates = {}
    find_candidates = serialize.XFormedAttributePicker.get_possible_keys

    def get_possible_keys(self, context):
        shape = context.shape
        # What the alias providers read: the object's class and its Meta, the field, the shape and its parent.
        key = (type(context.obj), getattr(context.obj, "Meta", None), context.key, shape, getattr(shape, "parent", None))
        found = candidates.get(key)
        if found is None:
            if len(candidates) > 100_000:  # shapes are the models' own, so this never fills; if a model were made per call
                candidates.clear()
            found = candidates[key] = tuple(find_candidates(self, context))
        return iter(found)

    serialize.XFormedAttributePicker.get_possible_keys = get_possible_keys

    # The picker then tried every response transformer of the service (ELB's, EC2's) on every field, by the suffix of
    # its key path: which one applies (the first, in the map's order) is a pure function of the path and of the map's
    # keys, which moto only ever adds to (Response._include_in_response, ...): kept per (map, its size, path).
    transformer_paths = {}

    def pick(self, context):
        obj = context.obj
        for possible_key in self.get_possible_keys(context):
            value = serialize.get_value(obj, possible_key, serialize.MISSING)
            if value is not serialize.MISSING:
                break
        else:
            value = None
        transformers = self.response_transformers
        if transformers:
            key_path = f"{context.key_path}.{context.key}"
            key = (id(transformers), len(transformers), key_path)
            path = transformer_paths.get(key, serialize.MISSING)
            if path is serialize.MISSING:
                path = transformer_paths[key] = next((p for p in transformers if key_path.endswith(p)), None)
            if path is not None:
                value = transformers[path](value)
        return value

    serialize.AttributePicker.__call__ = pick
    serialize.parse_to_aware_datetime = functools.lru_cache(maxsize=4096)(serialize.parse_to_aware_datetime)
    # The XML of every Query and REST-XML answer (ELB, EC2, ...): the same bytes, a third of the time (xml_writer.py).
    serialize.xmltodict = types.SimpleNamespace(unparse=xml_writer.unparse)
    # Which actions a service's response class has (inspect.getmembers of the class, for every request): the classes
    # and their methods are all defined, and patched, before the first request.
    responses.method_names_from_class = functools.lru_cache(maxsize=None)(responses.method_names_from_class)
    return candidates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="moto behind the AWS rules")
    parser.add_argument("--moto-port", type=int, required=True, help="moto alone (same state)")
    args = parser.parse_args()
    # 10.244.0.1: the local node's bridge address (dev/node.sh), an address of this machine its pods can reach.
    if args.host not in ("127.0.0.1", "localhost", "::1", "10.244.0.1"):
        sys.exit("aws_rules: loopback (or the local node's bridge address) only")
    os.environ.setdefault("MOTO_PORT", str(args.port))
    # Speed only: moto's dispatcher lists moto's package directory (os.listdir, then isdir for each of its ~170
    # entries) for every request, under the one lock all requests share; py-spy, 90 s inside the suite: about a fifth
    # of the server's busy samples were that listing or the wait for that lock. What is installed does not change
    # while the server runs: listed once.
    installed = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: installed
    speed_patches()
    moto = DomainDispatcherApplication(create_backend_app)
    # Threads: requests at once (an SQS long poll holds one for up to 20 s; the suite's operators and tests send a few
    # dozen at most at a time).
    servers = [server(args.host, args.port, RulesApp(moto), 48), server(args.host, args.moto_port, moto, 8)]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    for s in servers[1:]:
        threading.Thread(target=s.run, daemon=True).start()
    print(f"aws_rules: rules on {args.host}:{args.port}, moto alone on {args.host}:{args.moto_port}", flush=True)
    try:
        servers[0].run()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main()
