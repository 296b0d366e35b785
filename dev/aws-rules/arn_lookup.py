"""What the rules read from an ARN: its account, and the object moto holds under it (the state a rule judges a call by).

arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE; an ARN without an account is the local world's one account.
"""
from moto.elbv2.models import elbv2_backends

DEFAULT_ACCOUNT = "123456789012"


def account_of(arn, default=DEFAULT_ACCOUNT):
    parts = (arn or "").split(":")
    return parts[4] if len(parts) > 4 and parts[4] else default


def load_balancer(region, arn):
    """The load balancer moto holds under this ARN in the region, else None."""
    backend = _elbv2(region, arn)
    return backend.load_balancers.get(arn) if backend is not None and arn else None


def target_group(region, arn):
    """The target group moto holds under this ARN in the region, else None."""
    backend = _elbv2(region, arn)
    return backend.target_groups.get(arn) if backend is not None and arn else None


def _elbv2(region, arn):
    try:
        return elbv2_backends[account_of(arn)][region]
    except KeyError:  # a region moto does not serve: nothing is held there
        return None
