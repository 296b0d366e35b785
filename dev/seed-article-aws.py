#!/usr/bin/env python3
"""Creates, in the AWS that the standard settings point at (moto locally), what the reference article's
stack needs before a LambdaIngress can be applied: a VPC 10.20.0.0/16 with subnets a..e, the ALB's and
the function's security groups, the function's IAM role, and an ECR repository `sample` holding an
image tagged `latest`. The user brings these in a real account; the operator never creates them.

Idempotent: what exists (found by its Name tag or name) is reused. Prints the ids as JSON, and with
--render TEMPLATE writes the template with the article's placeholder ids replaced by the real ones.

  dev/seed-article-aws.py [--push-image] [--render examples/article-stack.yaml --out FILE]

--push-image pushes a new image manifest under `latest` (a new digest: what a CI pipeline does on release).
"""
import argparse, json, sys, time
import boto3

VPC_CIDR = "10.20.0.0/16"
SUBNETS = {"a": "10.20.0.0/24", "b": "10.20.1.0/24", "c": "10.20.2.0/24", "d": "10.20.3.0/24", "e": "10.20.4.0/24"}
# The ids that examples/article-stack.yaml uses, and what each one stands for.
PLACEHOLDERS = {
    "subnet-0a1b2c3d4e5f60718": "subnet-a", "subnet-0b1b2c3d4e5f60718": "subnet-b",
    "subnet-0c1b2c3d4e5f60718": "subnet-c", "subnet-0d1b2c3d4e5f60718": "subnet-d",
    "subnet-0e1b2c3d4e5f60718": "subnet-e", "sg-0123456789abcdef0": "sg-alb", "sg-0456789abcdef0123": "sg-lambda",
    "arn:aws:iam::123456789012:role/lambda-ingress/sample-lambda": "role",
}


def tagged(name):
    return [{"ResourceType": "%s", "Tags": [{"Key": "Name", "Value": name}]}]


def find_one(items, name):
    for i in items:
        if {"Key": "Name", "Value": name} in i.get("Tags", []):
            return i
    return None


def seed(push_image):
    ec2, iam, ecr = boto3.client("ec2"), boto3.client("iam"), boto3.client("ecr")
    region = ec2.meta.region_name
    ids = {}
    vpc = find_one(ec2.describe_vpcs()["Vpcs"], "article")
    if not vpc:
        vpc = ec2.create_vpc(CidrBlock=VPC_CIDR)["Vpc"]
        ec2.create_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "Name", "Value": "article"}])
    ids["vpc"] = vpc["VpcId"]
    existing = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [ids["vpc"]]}])["Subnets"]
    for i, (zone, cidr) in enumerate(SUBNETS.items()):
        s = find_one(existing, "article-" + zone)
        if not s:
            # Spread over three zones, as the article's subnets a..e would be.
            az = region + "abc"[i % 3]
            s = ec2.create_subnet(VpcId=ids["vpc"], CidrBlock=cidr, AvailabilityZone=az)["Subnet"]
            ec2.create_tags(Resources=[s["SubnetId"]], Tags=[{"Key": "Name", "Value": "article-" + zone}])
        ids["subnet-" + zone] = s["SubnetId"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [ids["vpc"]]}])["SecurityGroups"]
    for sg in ("alb", "lambda"):
        g = next((g for g in groups if g["GroupName"] == "article-" + sg), None)
        gid = g["GroupId"] if g else ec2.create_security_group(
            GroupName="article-" + sg, Description="article " + sg, VpcId=ids["vpc"])["GroupId"]
        ids["sg-" + sg] = gid
    try:
        ids["role"] = iam.get_role(RoleName="sample-lambda")["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                          "Principal": {"Service": "lambda.amazonaws.com"}}]}
        # Under /lambda-ingress/: the IAM path the operator's default allow-list and IAM policy let it pass.
        ids["role"] = iam.create_role(RoleName="sample-lambda", Path="/lambda-ingress/",
                                      AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    try:
        ecr.create_repository(repositoryName="sample")
    except ecr.exceptions.RepositoryAlreadyExistsException:
        pass
    has_latest = ecr.list_images(repositoryName="sample", filter={"tagStatus": "TAGGED"})["imageIds"]
    if push_image or not any(i.get("imageTag") == "latest" for i in has_latest):
        push(ecr, "sample", "latest")
    ids["image-digest"] = ecr.describe_images(repositoryName="sample", imageIds=[{"imageTag": "latest"}])["imageDetails"][0]["imageDigest"]
    return ids


def push(ecr, repository, tag):
    """Puts a new image manifest under the tag: its digest differs from every earlier one."""
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
                           "digest": "sha256:%064x" % time.time_ns()},
                # moto derives the digest from the layers' digests (AWS from the manifest bytes): vary both.
                "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2,
                            "digest": "sha256:%064x" % time.time_ns()}]}
    ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--push-image", action="store_true")
    p.add_argument("--render")
    p.add_argument("--out")
    a = p.parse_args()
    ids = seed(a.push_image)
    if a.render:
        text = open(a.render).read()
        for placeholder, key in PLACEHOLDERS.items():
            text = text.replace(placeholder, ids[key])
        (open(a.out, "w") if a.out else sys.stdout).write(text)
    print(json.dumps(ids, indent=2), file=sys.stderr if (a.render and not a.out) else sys.stdout)


if __name__ == "__main__":
    main()
