"""IAM's policy grammar, as resource policies (S3 bucket, ECR repository) are written in it."""


def as_list(value):
    """A field that holds one value or a list of them (Statement, Action, Resource, a principal's values); absent: []."""
    return value if isinstance(value, list) else [] if value is None else [value]
