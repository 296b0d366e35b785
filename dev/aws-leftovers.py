#!/usr/bin/env python3
"""Lists what, in the AWS that the standard settings point at, carries the owner tag of one operator
installation (lambdaingress.io/cluster=CLUSTER): load balancers, target groups, functions. After every
LambdaIngress of that cluster is deleted, nothing should be left. Exit 0 when nothing is, 1 otherwise.

  dev/aws-leftovers.py CLUSTER
"""
import sys
import boto3


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cluster = sys.argv[1]
    # One call for every service: the Resource Groups Tagging API finds tagged ELB and Lambda resources alike.
    pages = boto3.client("resourcegroupstaggingapi").get_paginator("get_resources").paginate(
        TagFilters=[{"Key": "lambdaingress.io/cluster", "Values": [cluster]}])
    left = [r["ResourceARN"] for page in pages for r in page["ResourceTagMappingList"]]
    if not left:
        print("== AWS: nothing left tagged lambdaingress.io/cluster=%s" % cluster)
        return 0
    print("!! AWS: %d resource(s) still tagged lambdaingress.io/cluster=%s:" % (len(left), cluster))
    for arn in left:
        print("   " + arn)
    return 1


if __name__ == "__main__":
    sys.exit(main())
