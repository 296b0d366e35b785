"""The AWS error a rule module answers instead of moto; aws_rules.py turns it into the service's own error format."""


class Refused(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
