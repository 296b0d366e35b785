#!/usr/bin/env python3
"""Benchmark of the AWS rules layer (dev/aws-rules/aws_rules.py): its CPU per request, by kind of call. Prints numbers.

  dev/bench-layer.py [--chains 20] [--calls 60] [--answers FILE] [--spy FILE] [--layer PATH]

Starts the layer (this checkout's, or --layer PATH) on free loopback ports, seeds moto's ids, builds a world of
--chains chains as the operator makes them (NLB -> alb target group -> ALB -> listener -> lambda target group -> a
function's alias, tagged), then sends --calls calls of each kind of read the suite sends most (docs/testing.md: the
suite's AWS calls by kind), one at a time, and prints the layer process's CPU (utime+stime, /proc) per call of each kind.
The writes that build the world are measured too (one line). Same seed, same calls: the answers are the same from run
to run, so --answers FILE (every answer of the measured phase, times and request ids blanked) written by two versions of
the layer and diffed shows whether a change changed any answer. --spy FILE: py-spy's raw samples of the measured phase.
The machine's other load moves the numbers a little (CPU time, not wall time, is what is counted).
"""
import argparse
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HZ = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


class Answers:
    """Every answer's status and body, normalized: what may differ between two runs of the same calls is blanked."""

    BLANK = [(re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"), b"<time>"),
             (re.compile(rb'"(LastModified|CreationDate|CreatedDate|LastUpdatedDate)": ?[0-9.e+]+'), rb'"\1": <time>'),
             (re.compile(rb"<RequestId>[^<]*</RequestId>"), b"<RequestId/>"),
             (re.compile(rb'"RevisionId": ?"[^"]*"'), b'"RevisionId": <id>'),
             # moto names a listener's default rule by the rule object's id(): another number in every process.
             (re.compile(rb"(listener-rule/[^<\"]+/)\d{9,}"), rb"\1<id>")]

    def __init__(self):
        self.out = None
        self.label = ""

    def open(self, path):
        self.out = open(path, "wb") if path else None

    def hook(self, http_response, **_):
        if self.out is None:
            return
        body = http_response.content or b""
        for pattern, replacement in self.BLANK:
            body = pattern.sub(replacement, body)
        self.out.write(f"== {self.label} {http_response.status_code}\n".encode() + body + b"\n")


def clients(endpoint, answers):
    session = boto3.session.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1")
    config = Config(retries={"max_attempts": 1}, parameter_validation=False)
    made = {}
    for service in ("elbv2", "lambda", "ec2", "iam", "wafv2", "sts"):
        made[service] = session.client(service, endpoint_url=endpoint, config=config)
        made[service].meta.events.register("after-call", answers.hook)
    return made


def function_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        # A fixed date: the same bytes, so the same CodeSha256, in every run.
        z.writestr(zipfile.ZipInfo("index.py", date_time=(2020, 1, 1, 0, 0, 0)), "def handler(event, context):\n    return {'statusCode': 200}\n")
    return buf.getvalue()


def build(c, chains):
    """The world the reads see: what one LambdaIngress's chain is on AWS, --chains times."""
    ec2, elb, lam = c["ec2"], c["elbv2"], c["lambda"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate("ab")]
    group = ec2.create_security_group(GroupName="bench", Description="bench", VpcId=vpc)["GroupId"]
    role = c["iam"].create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = function_zip()
    world = []
    for i in range(chains):
        name = f"bench-{i:03d}"
        fn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                                 Code={"ZipFile": code})["FunctionArn"]
        version = lam.publish_version(FunctionName=name)["Version"]
        lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
        fn_tg = elb.create_target_group(Name=f"{name}-fn", TargetType="lambda")["TargetGroups"][0]["TargetGroupArn"]
        lam.add_permission(FunctionName=name, Qualifier="live", StatementId="elb", Action="lambda:InvokeFunction",
                           Principal="elasticloadbalancing.amazonaws.com", SourceArn=fn_tg)
        elb.register_targets(TargetGroupArn=fn_tg, Targets=[{"Id": f"{fn}:live"}])
        alb = elb.create_load_balancer(Name=f"{name}-alb", Type="application", Scheme="internal", Subnets=subnets,
                                       SecurityGroups=[group])["LoadBalancers"][0]["LoadBalancerArn"]
        alb_listener = elb.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80, DefaultActions=[
            {"Type": "forward", "TargetGroupArn": fn_tg}])["Listeners"][0]["ListenerArn"]
        alb_tg = elb.create_target_group(Name=f"{name}-alb", TargetType="alb", Protocol="TCP", Port=80,
                                         VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
        elb.register_targets(TargetGroupArn=alb_tg, Targets=[{"Id": alb, "Port": 80}])
        nlb = elb.create_load_balancer(Name=f"{name}-nlb", Type="network", Scheme="internal", SecurityGroups=[group],
                                       SubnetMappings=[{"SubnetId": s, "PrivateIPv4Address": f"10.0.{k}.{10 + i}"}
                                                       for k, s in enumerate(subnets)])["LoadBalancers"][0]["LoadBalancerArn"]
        elb.create_listener(LoadBalancerArn=nlb, Protocol="TCP", Port=80, DefaultActions=[
            {"Type": "forward", "TargetGroupArn": alb_tg}])
        for arn in (alb, nlb, fn_tg, alb_tg):
            elb.add_tags(ResourceArns=[arn], Tags=[{"Key": "lambda-ingress.io/owner", "Value": f"default/{name}"}])
        world.append(dict(name=name, alb=alb, nlb=nlb, fn_tg=fn_tg, alb_tg=alb_tg, listener=alb_listener))
    return world, subnets, group


def reads(c, world, subnets, group):
    """(kind, call of chain i): the reads the suite sends most, in the shape the operator sends them."""
    elb, lam, ec2 = c["elbv2"], c["lambda"], c["ec2"]
    arns = [a for w in world for a in (w["alb"], w["nlb"])]
    return [
        ("DescribeLoadBalancers all", lambda w: elb.describe_load_balancers(PageSize=400)),
        ("DescribeLoadBalancers name", lambda w: elb.describe_load_balancers(Names=[w["name"] + "-nlb"])),
        ("DescribeTargetGroups all", lambda w: elb.describe_target_groups(PageSize=400)),
        ("DescribeTargetGroups name", lambda w: elb.describe_target_groups(Names=[w["name"] + "-alb"])),
        ("DescribeTags 20 arns", lambda w: elb.describe_tags(ResourceArns=arns[:20])),
        ("DescribeListeners", lambda w: elb.describe_listeners(LoadBalancerArn=w["alb"])),
        ("DescribeTargetHealth alb", lambda w: elb.describe_target_health(TargetGroupArn=w["alb_tg"])),
        ("DescribeTargetHealth lambda", lambda w: elb.describe_target_health(TargetGroupArn=w["fn_tg"])),
        ("DescribeLoadBalancerAttributes", lambda w: elb.describe_load_balancer_attributes(LoadBalancerArn=w["nlb"])),
        ("DescribeTargetGroupAttributes", lambda w: elb.describe_target_group_attributes(TargetGroupArn=w["fn_tg"])),
        ("DescribeRules", lambda w: elb.describe_rules(ListenerArn=w["listener"])),
        ("lambda GetFunction", lambda w: lam.get_function(FunctionName=w["name"])),
        ("lambda GetFunction alias", lambda w: lam.get_function(FunctionName=w["name"], Qualifier="live")),
        ("lambda ListFunctions", lambda w: lam.list_functions()),
        ("lambda GetPolicy", lambda w: lam.get_policy(FunctionName=w["name"], Qualifier="live")),
        ("lambda GetAlias", lambda w: lam.get_alias(FunctionName=w["name"], Name="live")),
        ("ec2 DescribeSubnets", lambda w: ec2.describe_subnets(SubnetIds=subnets)),
        ("ec2 DescribeSecurityGroups", lambda w: ec2.describe_security_groups(GroupIds=[group])),
        ("wafv2 GetWebACLForResource", lambda w: c["wafv2"].get_web_acl_for_resource(ResourceArn=w["alb"])),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=20)
    parser.add_argument("--calls", type=int, default=60, help="calls of each kind")
    parser.add_argument("--answers", help="write the measured phase's answers, normalized, to this file")
    parser.add_argument("--spy", help="write py-spy's raw samples of the measured phase to this file")
    parser.add_argument("--layer", default=os.path.join(REPO, "dev/aws-rules/aws_rules.py"))
    args = parser.parse_args()

    port, moto_port = free_port(), free_port()
    # The waits a chain meets on AWS (Pending, propagation) are the ITs' business: none while the world is built. No
    # CloudTrail events: the reads measured send none, and the writes' events, delivered on timer threads, would draw
    # moto's seeded ids in another order from run to run.
    env = dict(os.environ, AWS_RULES_PERMISSION_PROPAGATION_SECONDS="0", AWS_RULES_LAMBDA_PENDING_SECONDS="0",
               AWS_RULES_EVENT_LOSS_RATE="1")
    server = subprocess.Popen([sys.executable, args.layer, "--port", str(port), "--moto-port", str(moto_port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    spy = None
    try:
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint + "/_rules", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    sys.exit("bench-layer: the layer did not start")
                time.sleep(0.2)
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{moto_port}/moto-api/seed?a=42", method="POST")).read()
        answers = Answers()
        c = clients(endpoint, answers)
        started = cpu_seconds(server.pid)
        t0 = time.time()
        world, subnets, group = build(c, args.chains)
        built = cpu_seconds(server.pid)
        print(f"layer {args.layer}  chains {args.chains}  start-up {started:.2f} s CPU; building the world: "
              f"{built - started:.2f} s CPU in {time.time() - t0:.1f} s", flush=True)
        # States that depend on time (provisioning, target health, Pending) settle; delayed events are delivered.
        time.sleep(3.5)
        answers.open(args.answers)
        if args.spy:
            spy = subprocess.Popen(["py-spy", "record", "--pid", str(server.pid), "--rate", "200", "--nonblocking",
                                    "--format", "raw", "-o", args.spy], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        total_cpu, total_calls = 0.0, 0
        print(f"{'kind':34s} {'calls':>6s} {'ms CPU/call':>12s}")
        for kind, call in reads(c, world, subnets, group):
            answers.label = kind
            before = cpu_seconds(server.pid)
            for i in range(args.calls):
                try:
                    call(world[i % len(world)])
                except ClientError:
                    pass
            spent = cpu_seconds(server.pid) - before
            total_cpu, total_calls = total_cpu + spent, total_calls + args.calls
            print(f"{kind:34s} {args.calls:6d} {1000 * spent / args.calls:12.2f}", flush=True)
        print(f"{'all reads':34s} {total_calls:6d} {1000 * total_cpu / total_calls:12.2f}")
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
