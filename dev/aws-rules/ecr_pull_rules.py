"""A rule of the AWS rules layer about Lambda pulling a function's image from ECR (moto 5.2 checks nothing of it).

Lambda developer guide, "Create a Lambda function using a container image", section "Amazon ECR permissions": Lambda
pulls from a repository of the function's account only if the repository policy allows the service principal
lambda.amazonaws.com ecr:BatchGetImage and ecr:GetDownloadUrlForLayer. When it does not, CreateFunction adds those to
the repository policy itself, but only for a caller allowed ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy on the
repository; otherwise it refuses. The refusal as AWS answered it (aws-samples/bedrock-access-gateway#127, CloudFormation
quoting Lambda): 403 AccessDeniedException "Lambda does not have permission to access the ECR image. Check the ECR
permissions."

moto evaluates no IAM policy, so whether the caller holds those two permissions is a knob, settable per caller
(access key): callerMaySetRepositoryPolicy, 1 by default as docs/iam-policy.json grants them; a test sets it to 0 for
its own key to be a caller without them. Conditions of the repository policy (aws:sourceArn, ...) are not evaluated.
"""
import json
import os
import re
from fnmatch import fnmatchcase

from moto.ecr.models import ecr_backends

from policy_json import as_list
from refused import Refused

PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/images-create.html"
RULES = [
    ("lambda-ecr-pull-permission", "CreateFunction from an ECR repository whose policy does not let lambda.amazonaws.com "
     "ecr:BatchGetImage and ecr:GetDownloadUrlForLayer: Lambda adds that statement to the repository policy when the caller "
     "may ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy (knob callerMaySetRepositoryPolicy, per caller), else answers "
     "403 AccessDeniedException 'Lambda does not have permission to access the ECR image. Check the ECR permissions.' "
     "(moto creates the function)", PAGE, "callerMaySetRepositoryPolicy"),
]

KNOBS = {
    "callerMaySetRepositoryPolicy": float(os.environ.get("AWS_RULES_CALLER_MAY_SET_REPOSITORY_POLICY", "1")),
}

PULL_ACTIONS = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"
# <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]
ECR_IMAGE = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com[^/]*/([^@:]+)(?:[:@].*)?$")
CREATE_FUNCTION = re.compile(r"^/2015-03-31/functions/?$")


def _lets_lambda_pull(policy_text):
    """Whether an Allow statement gives lambda.amazonaws.com both pull actions (wildcards as IAM reads them)."""
    try:
        statements = as_list(json.loads(policy_text).get("Statement", []))
    except (ValueError, AttributeError):
        return False
    allowed = set()
    for st in statements:
        principal = st.get("Principal")
        services = as_list(principal.get("Service", [])) if isinstance(principal, dict) else [principal]
        if st.get("Effect") != "Allow" or not any(s in ("*", LAMBDA_PRINCIPAL) for s in services):
            continue
        for action in PULL_ACTIONS:
            if any(fnmatchcase(action.lower(), a.lower()) for a in as_list(st.get("Action", []))):
                allowed.add(action)
    return allowed == set(PULL_ACTIONS)


def before(call, knob):
    """lambda-ecr-pull-permission, on CreateFunction of an image function from ECR."""
    if call.method != "POST" or not CREATE_FUNCTION.match(call.path) or not call.body:
        return
    try:
        uri = (json.loads(call.body).get("Code") or {}).get("ImageUri") or ""
    except ValueError:
        return
    m = ECR_IMAGE.match(uri)
    if not m:
        return
    account, region, repository = m.groups()
    backend = ecr_backends[account][region]
    try:
        backend.describe_repositories(repository_names=[repository])
    except Exception:
        return  # no such repository: moto's own answer (and lambda-image-not-found-is-invalid-parameter) say so
    try:
        policy = backend.get_repository_policy(account, repository).get("policyText", "")
    except Exception:
        policy = ""  # RepositoryPolicyNotFoundException: a repository without a policy
    if _lets_lambda_pull(policy):
        return
    if not knob("callerMaySetRepositoryPolicy"):
        raise Refused(403, "AccessDeniedException",
                      "Lambda does not have permission to access the ECR image. Check the ECR permissions.")
    # What Lambda adds for a caller allowed to (statement id as AWS writes it: terraform-aws-modules/terraform-aws-ecr#34).
    document = json.loads(policy) if policy else {"Version": "2012-10-17", "Statement": []}
    document["Statement"] = as_list(document.get("Statement", [])) + [{
        "Sid": "LambdaECRImageRetrievalPolicy", "Effect": "Allow", "Principal": {"Service": LAMBDA_PRINCIPAL},
        "Action": list(PULL_ACTIONS)}]
    backend.set_repository_policy(account, repository, json.dumps(document))
