"""Rules of the AWS rules layer about Lambda aliases, versions and policies (moto 5.2 checks none of them).

A weighted alias points to at most two published versions; a version an alias points to cannot be deleted; a
function's resource policy is at most 20 KB; an image that is not in ECR is an invalid parameter. The errors are
spelled as AWS answered them in LocalStack's recordings (dev/aws-parity/lambda.yaml). All are on by default (knob 1),
as on AWS; a knob set to 0 (env AWS_RULES_<KNOB>=0) turns one off to show what moto alone does.
"""
import copy
import json
import os
import re
import urllib.parse

from moto.awslambda.models import lambda_backends
from moto.ecr.models import ecr_backends

from refused import Refused

RULES = [
    ("lambda-alias-routing", "CreateAlias/UpdateAlias: at most one additional version, weights 0 to 1, published versions "
     "only (no $LATEST as the alias's version when weighted, nor as a weighted one), not the alias's own version again, "
     "versions that exist, an alias name that is not a number (moto accepts any routing configuration)",
     "https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html", "aliasRules"),
    ("lambda-alias-version-in-use", "DeleteFunction of a version an alias points to (or weights) answers "
     "ResourceConflictException 'Unable to delete version because the following aliases reference it: [...]' "
     "(moto deletes it)", "https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html", "aliasVersionInUse"),
    ("lambda-policy-size", "AddPermission that would make the function's (or qualifier's) resource policy larger than "
     "20 KB answers PolicyLengthExceededException (moto has no limit)",
     "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html", None),
    ("lambda-publish-code-sha", "PublishVersion with a CodeSha256 that is not $LATEST's answers InvalidParameterValueException "
     "'CodeSHA256 (<given>) is different from current CodeSHA256 in $LATEST (<current>). Please try again with the CodeSHA256 "
     "in $LATEST.' (moto ignores CodeSha256: the guard the operator's publish relies on goes untested)",
     "https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html", "publishCodeShaGuard"),
    ("lambda-image-not-found-is-invalid-parameter", "CreateFunction/UpdateFunctionCode with an image ECR does not have "
     "answers InvalidParameterValueException 'Source image <uri> does not exist. Provide a valid source image.' "
     "(moto: ImageNotFoundException)", "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
     "imageNotFoundAsInvalidParameter"),
    ("lambda-update-failed-image-deleted", "UpdateFunctionConfiguration of an image function whose image is no longer in ECR is "
     "accepted (InProgress), then ends LastUpdateStatus=Failed, LastUpdateStatusReasonCode=ImageDeleted, "
     "LastUpdateStatusReason 'The function is trying to use a deleted image.' with the previous configuration kept; the next "
     "successful update clears it (moto applies the configuration)",
     # Failed: "Lambda aborts the update and the function's previous code and configuration remain available"
     # (functions-states); an image that no longer exists in ECR fails the function (invocation-images); ImageDeleted is a
     # LastUpdateStatusReasonCode (API_FunctionConfiguration); the message as AWS answered it in aws-actions/aws-lambda-deploy#68.
     "https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html", None),
]

KNOBS = {
    "aliasRules": float(os.environ.get("AWS_RULES_ALIAS_RULES", "1")),
    "aliasVersionInUse": float(os.environ.get("AWS_RULES_ALIAS_VERSION_IN_USE", "1")),
    "imageNotFoundAsInvalidParameter": float(os.environ.get("AWS_RULES_IMAGE_NOT_FOUND_AS_INVALID_PARAMETER", "1")),
    "publishCodeShaGuard": float(os.environ.get("AWS_RULES_PUBLISH_CODE_SHA_GUARD", "1")),
}

IMAGE_DELETED = ("ImageDeleted", "The function is trying to use a deleted image.")
# What UpdateFunctionConfiguration changes in moto's function (LambdaFunction.update_configuration).
CONFIGURATION = ("description", "handler", "memory_size", "role", "run_time", "timeout", "_vpc_config", "environment_vars",
                 "layers")
POLICY_LIMIT = 20480  # bytes: "Function resource-based policy: 20 KB" (Lambda quotas)
ALIASES = re.compile(r"^/2015-03-31/functions/([^/]+)/aliases(?:/([^/]+))?$")


def _backend(call):
    return lambda_backends["123456789012"][call.region]


def _arn(call, name, qualifier=None):
    return f"arn:aws:lambda:{call.region}:123456789012:function:{name}" + (f":{qualifier}" if qualifier else "")


def _validation(value, where, constraint):
    return Refused(400, "ValidationException", f"1 validation error detected: Value '{value}' at '{where}' failed to "
                   f"satisfy constraint: {constraint}")


def _weights_text(weights):
    return "{" + ", ".join(f"{k}={float(v)}" for k, v in weights.items()) + "}"


def _check_alias(call, name, alias_name, doc):
    if alias_name is not None and alias_name.isdigit():
        raise _validation(alias_name, "name", "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
    weights = ((doc.get("RoutingConfig") or {}).get("AdditionalVersionWeights")) or {}
    for k, v in weights.items():
        if not 0 <= float(v) <= 1:
            raise _validation(_weights_text(weights), "routingConfig.additionalVersionWeights",
                              "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
                              "Member must have value greater than or equal to 0.0, Member must not be null]")
        if not str(k).isdigit():
            raise _validation(_weights_text(weights), "routingConfig.additionalVersionWeights",
                              "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, "
                              "Member must have length greater than or equal to 1, Member must satisfy regular expression "
                              "pattern: [0-9]+]")
    if len(weights) > 1:
        raise Refused(400, "InvalidParameterValueException", "Number of items in AdditionalVersionWeights cannot be greater than 1")
    version = doc.get("FunctionVersion")
    if weights and version == "$LATEST":
        raise Refused(400, "InvalidParameterValueException", "$LATEST is not supported for an alias pointing to more than 1 version")
    for k in weights:
        if str(k) == str(version):
            raise Refused(400, "InvalidParameterValueException",
                          f"Invalid function version {k}. Function version {k} is already included in routing configuration.")
        if not _version_exists(call, name, str(k)):
            raise Refused(404, "ResourceNotFoundException", f"Function not found: {_arn(call, name, k)}")


def _version_exists(call, name, version):
    try:
        return _backend(call).get_function(name, version) is not None
    except Exception:
        return False


def _aliases_of(call, name):
    try:
        return list(_backend(call)._lambdas._get_function_aliases(name).values())
    except Exception:
        return []


def _policy_size(call, name, qualifier):
    try:
        policy = json.loads(_backend(call).get_policy(name, qualifier))
        policy = policy.get("Policy", policy)
        return len(policy if isinstance(policy, str) else json.dumps(policy, separators=(",", ":")))
    except Exception:
        return 0


def before(call, function, qualifier, knob):
    """function: (name, rest of the path) of a Lambda functions call."""
    if call.service != "lambda":
        return
    name, rest = function
    if name is None:
        return
    doc = {}
    if call.body:
        try:
            doc = json.loads(call.body)
        except ValueError:
            doc = {}
    aliases = ALIASES.match(call.path)
    if aliases and call.method in ("POST", "PUT") and knob("aliasRules"):
        alias_name = doc.get("Name") if call.method == "POST" else urllib.parse.unquote(aliases.group(2) or "")
        _check_alias(call, name, alias_name, doc)
    if call.method == "DELETE" and rest == "" and qualifier and qualifier.isdigit() and knob("aliasVersionInUse"):
        using = sorted(a.name for a in _aliases_of(call, name)
                       if str(a.function_version) == qualifier or qualifier in {str(k) for k in (a.routing_config or {})
                                                                                  .get("AdditionalVersionWeights", {})})
        if using:
            raise Refused(409, "ResourceConflictException",
                          f"Unable to delete version because the following aliases reference it: [{', '.join(using)}]")
    if call.method == "POST" and rest == "/versions" and doc.get("CodeSha256") and knob("publishCodeShaGuard"):
        try:
            current = _backend(call).get_function(name).code_sha_256
        except Exception:
            current = None  # moto answers for a function that does not exist itself
        if current is not None and current != doc["CodeSha256"]:
            raise Refused(400, "InvalidParameterValueException", f"CodeSHA256 ({doc['CodeSha256']}) is different from current "
                          f"CodeSHA256 in $LATEST ({current}). Please try again with the CodeSHA256 in $LATEST.")
    if call.method == "POST" and rest == "/policy" and doc:
        # lambda-policy-size: the statement AWS would add, in AWS's compact JSON, on top of the policy there is.
        size = _policy_size(call, name, qualifier) + len(json.dumps(doc, separators=(",", ":"))) + 64
        if size > POLICY_LIMIT:
            raise Refused(400, "PolicyLengthExceededException",
                          f"The final policy size ({size}) is bigger than the limit ({POLICY_LIMIT}).")


def image_not_found_as_invalid_parameter(call, code, knob):
    """lambda-image-not-found-is-invalid-parameter: the error AWS answers instead of moto's ImageNotFoundException."""
    if not knob("imageNotFoundAsInvalidParameter") or not code.startswith("ImageNotFoundException"):
        return None
    try:
        uri = (json.loads(call.body or b"{}").get("Code") or {}).get("ImageUri") or json.loads(call.body or b"{}").get("ImageUri")
    except ValueError:
        uri = None
    return Refused(400, "InvalidParameterValueException", f"Source image {uri} does not exist. Provide a valid source image.")


def _image_in_ecr(call, fn):
    repository = fn.code.get("ImageUri", "").split("@")[0].rsplit(":", 1)[0].split("/")[-1]
    try:
        found = ecr_backends["123456789012"][call.region].batch_get_image(
            repository_name=repository, image_ids=[{"imageDigest": "sha256:" + fn.code_sha_256}])
    except Exception:
        return False  # the repository itself is gone
    return bool(found["images"])


def configuration_that_stays(call, name):
    """lambda-update-failed-image-deleted: the configuration an update will not change (its image is no longer in ECR),
    or None when the update will succeed."""
    try:
        fn = _backend(call).get_function(name)
    except Exception:
        return None
    if fn is None or fn.package_type != "Image" or _image_in_ecr(call, fn):
        return None
    return {a: copy.deepcopy(getattr(fn, a, None)) for a in CONFIGURATION}


def restore_configuration(call, name, kept):
    """The update failed: moto's function goes back to the configuration it had."""
    fn = _backend(call).get_function(name)
    for a, v in kept.items():
        setattr(fn, a, v)
