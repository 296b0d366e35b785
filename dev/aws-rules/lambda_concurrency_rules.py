"""Rules of the AWS rules layer about Lambda's provisioned concurrency (moto 5.2 has no provisioned concurrency API at
all: PutProvisionedConcurrencyConfig, GetProvisionedConcurrencyConfig and DeleteProvisionedConcurrencyConfig are the
layer's own, with their state here), and about reserved concurrency as GetFunction reports it.

Provisioned concurrency goes on a published version or an alias, never on an alias with weighted routing; Lambda
allocates it in a while (IN_PROGRESS, then READY), and again when its alias moves to another version. Each follows the
page it names (RULES); docs/testing.md has the same table.
"""
import json
import os
import re
import threading
import urllib.parse
from datetime import datetime, timezone

from moto.awslambda.models import lambda_backends

from refused import Refused

CONFIG_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html"
RULES = [
    ("lambda-provisioned-concurrency", "PutProvisionedConcurrencyConfig/GetProvisionedConcurrencyConfig/"
     "DeleteProvisionedConcurrencyConfig on a published version or an alias: Status IN_PROGRESS (nothing allocated yet) for "
     "provisionedConcurrencyReadySeconds, then READY with every instance allocated; again IN_PROGRESS when UpdateAlias moves "
     "the alias to another version; a qualifier that does not exist answers ResourceNotFoundException, a configuration that "
     "does not exist ProvisionedConcurrencyConfigNotFoundException; the alias's or function's deletion removes it (moto has "
     "no provisioned concurrency API: the layer keeps the state)",
     # IN_PROGRESS/READY/FAILED: the API reference's GetProvisionedConcurrencyConfig (Status); terraform-provider-aws waits
     # for READY after its Put (internal/service/lambda/provisioned_concurrency_config.go).
     "https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html", "provisionedConcurrencyReadySeconds"),
    ("lambda-provisioned-concurrency-not-on-weighted-alias", "PutProvisionedConcurrencyConfig on an alias with weighted routing "
     "(RoutingConfig.AdditionalVersionWeights) answers 400 InvalidParameterValueException \"Alias with weights can not be "
     "used with Provisioned Concurrency\"",
     # AWS's answer quoted in hashicorp/terraform#24957 and met by hashicorp/terraform-provider-aws PR #48116 (its waiter
     # waits for an alias's weights to clear before the Put).
     CONFIG_PAGE, None),
    ("lambda-reserved-concurrency-reported", "GetFunction reports Concurrency.ReservedConcurrentExecutions whenever the "
     "function has a reservation, 0 included (moto omits a reservation of 0, so a client reconciling it would put it again "
     "and again)", "https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html", None),
]

KNOBS = {
    # AWS: a minute or two for a few instances. Short here; every test meets IN_PROGRESS.
    "provisionedConcurrencyReadySeconds": float(os.environ.get("AWS_RULES_PROVISIONED_CONCURRENCY_READY_SECONDS", "1")),
}

PATH = re.compile(r"^/2019-09-30/functions/([^/]+)/provisioned-concurrency$")
FUNCTION = re.compile(r"^/2015-03-31/functions/([^/]+)$")
ALIAS = re.compile(r"^/2015-03-31/functions/([^/]+)/aliases/([^/]+)$")
WEIGHTED = "Alias with weights can not be used with Provisioned Concurrency"
NOT_FOUND = "No Provisioned Concurrency Config found for this function"

# (region, function name, qualifier) -> {"requested": n, "since": time it was asked (or its alias moved), "modified": iso}
_configs = {}
_lock = threading.Lock()


class Answer(Exception):
    """The layer's own answer (moto has no such API): status, JSON document."""

    def __init__(self, status, doc):
        super().__init__(status)
        self.status, self.doc = status, doc


def _name(name_or_arn):
    parts = urllib.parse.unquote(name_or_arn).split(":")
    return parts[parts.index("function") + 1] if "function" in parts else parts[0]


def _backend(call):
    return lambda_backends["123456789012"][call.region]


def _alias(call, name, qualifier):
    try:
        return _backend(call)._lambdas._get_function_aliases(name).get(qualifier)
    except Exception:
        return None


def _exists(call, name, qualifier):
    if qualifier.isdigit():
        try:
            return _backend(call).get_function(name, qualifier) is not None
        except Exception:
            return False
    return _alias(call, name, qualifier) is not None


def _report(config, now, knob):
    ready = now - config["since"] >= knob("provisionedConcurrencyReadySeconds")
    n = config["requested"]
    return {"RequestedProvisionedConcurrentExecutions": n, "AvailableProvisionedConcurrentExecutions": n if ready else 0,
            "AllocatedProvisionedConcurrentExecutions": n if ready else 0, "Status": "READY" if ready else "IN_PROGRESS",
            "LastModified": config["modified"]}


def before(call, now, knob):
    """Answers the provisioned concurrency calls (Answer); keeps the state in step with alias and function changes."""
    if call.service != "lambda":
        return
    m = PATH.match(call.path)
    if m:
        _provisioned(call, _name(m.group(1)), (call.query.get("Qualifier") or [""])[0], now, knob)
        return
    alias = ALIAS.match(call.path)
    if alias and call.method in ("PUT", "DELETE"):
        key = (call.region, _name(alias.group(1)), urllib.parse.unquote(alias.group(2)))
        with _lock:
            if key in _configs and call.method == "DELETE":
                del _configs[key]
            elif key in _configs:
                # Another version behind the alias: Lambda provisions that one (IN_PROGRESS again).
                moved = json.loads(call.body or b"{}").get("FunctionVersion")
                current = _alias(call, key[1], key[2])
                if moved and current is not None and str(current.function_version) != str(moved):
                    _configs[key]["since"] = now
        return
    fn = FUNCTION.match(call.path)
    if fn and call.method == "DELETE":
        qualifier = (call.query.get("Qualifier") or [None])[0]
        name = _name(fn.group(1))
        with _lock:
            for key in [k for k in _configs if k[0] == call.region and k[1] == name and (qualifier is None or k[2] == qualifier)]:
                del _configs[key]


def _provisioned(call, name, qualifier, now, knob):
    key = (call.region, name, qualifier)
    if call.method == "GET":
        with _lock:
            config = _configs.get(key)
        if config is None:
            raise Refused(404, "ProvisionedConcurrencyConfigNotFoundException", NOT_FOUND)
        raise Answer(200, _report(config, now, knob))
    if call.method == "DELETE":
        with _lock:
            _configs.pop(key, None)
        raise Answer(204, None)
    if call.method != "PUT":
        return
    if not qualifier or not _exists(call, name, qualifier):
        raise Refused(404, "ResourceNotFoundException",
                      f"Function not found: arn:aws:lambda:{call.region}:123456789012:function:{name}:{qualifier}")
    alias = _alias(call, name, qualifier)
    if alias is not None and ((alias.routing_config or {}).get("AdditionalVersionWeights") or {}):
        raise Refused(400, "InvalidParameterValueException", WEIGHTED)
    requested = int(json.loads(call.body or b"{}").get("ProvisionedConcurrentExecutions", 0))
    modified = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    with _lock:
        _configs[key] = {"requested": requested, "since": now, "modified": modified}
        config = dict(_configs[key])
    raise Answer(202, _report(config, now, knob))


def reserved_reported(call, doc):
    """lambda-reserved-concurrency-reported: GetFunction's Concurrency for a reservation of 0."""
    fn = FUNCTION.match(call.path)
    if not fn or call.method != "GET" or not isinstance(doc, dict) or "Concurrency" in doc:
        return None
    try:
        reserved = _backend(call).get_function(_name(fn.group(1))).reserved_concurrency
    except Exception:
        return None
    if reserved is None:
        return None
    doc["Concurrency"] = {"ReservedConcurrentExecutions": int(reserved)}
    return doc
