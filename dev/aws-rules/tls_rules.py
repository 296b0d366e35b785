"""Rules of the AWS rules layer about HTTPS listeners and their ACM certificates (moto 5.2 checks neither a
certificate's state nor its region for most listener calls).

A listener takes an ACM certificate of its own region that ACM has ISSUED; a requested certificate stays
PENDING_VALIDATION until ACM finds its validation record, which the test world, having no DNS, never publishes.
Each follows the page it names (RULES); docs/testing.md has the same table.
"""
from moto.acm.models import CertificateNotFound, acm_backends
from moto.elbv2.models import elbv2_backends

from arn_lookup import account_of
from refused import Refused

RULES = [
    ("elb-certificate-issued", "CreateListener, ModifyListener and AddListenerCertificates take only an ACM certificate of "
     "the listener's region that ACM has ISSUED: one that ACM of that region does not have answers CertificateNotFound "
     "(\"Certificate '<arn>' not found\"), one not ISSUED (PENDING_VALIDATION, EXPIRED, ...) UnsupportedCertificate "
     "(moto: CreateListener takes a pending one, ModifyListener checks the default only, AddListenerCertificates any ARN)",
     # Recorded answers for a certificate still pending validation: CreateListener (DataBiosphere/azul#8321, 17 s before
     # ACM issued it), ModifyListener (hashicorp/terraform-provider-aws#41789), AddListenerCertificates
     # (govuk-paas/paas-cf#3063); a certificate of another region: CertificateNotFound (aws/aws-cdk#6081).
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html", None),
    ("acm-pending-until-validated", "a requested (AMAZON_ISSUED) certificate stays PENDING_VALIDATION until ACM finds its "
     "DNS or email validation; the test world publishes no validation record, so it stays pending (moto issues it after "
     "60 s); a certificate from a private CA is ISSUED at once",
     "https://docs.aws.amazon.com/acm/latest/userguide/domain-ownership-validation.html", None),
    ("elb-modify-listener-keeps-certificate-list", "ModifyListener with Certificates replaces the listener's default "
     "certificate only: the certificate list (the SNI certificates AddListenerCertificates added) stays, and "
     "DescribeListenerCertificates answers the new default (IsDefault true) and the list as it was (moto replaces the whole "
     "list with the new default, so the SNI certificates are gone)",
     # "Replace the default certificate" (ModifyListener) and "Add certificates to the certificate list"
     # (AddListenerCertificates) are separate updates of an HTTPS listener; the console even offers to add the previous
     # default to the list. DescribeListenerCertificates: "the default certificate and the certificate list"; a default
     # also in the list appears twice.
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-certificates.html", None),
]

CERTIFICATE_ACTIONS = ("CreateListener", "ModifyListener", "AddListenerCertificates")


def before(call):
    """elb-certificate-issued; elb-modify-listener-keeps-certificate-list (the list as it is, kept on the call)."""
    if call.service != "elasticloadbalancing" or call.action not in CERTIFICATE_ACTIONS:
        return
    if call.action == "ModifyListener" and call.members("Certificates"):
        listener = _listener(call, call.form.get("ListenerArn"))
        # moto keeps the default first, then the list: what is after the default is the list AWS keeps.
        call.certificate_list = list(listener.certificates[1:]) if listener is not None else None
    for member in call.members("Certificates"):
        arn = member.get("CertificateArn") or ""
        if ":acm:" not in arn:
            continue  # an IAM server certificate: not ACM's to judge
        parts = arn.split(":")
        region, account = (parts[3], parts[4]) if len(parts) > 5 else ("", "")
        cert = None
        if region == call.region:
            try:
                cert = acm_backends[account][region].get_certificate(arn)
            except (CertificateNotFound, KeyError):
                cert = None
        if cert is None:
            raise Refused(400, "CertificateNotFound", f"Certificate '{arn}' not found")
        if cert.status != "ISSUED":
            raise Refused(400, "UnsupportedCertificate", f"The certificate '{arn}' must have a fully-qualified domain name, "
                          "a supported signature, and a supported key size.")


def after(call):
    """elb-modify-listener-keeps-certificate-list: the list put back behind the new default moto set."""
    kept = getattr(call, "certificate_list", None)
    if call.action != "ModifyListener" or kept is None:
        return
    listener = _listener(call, call.form.get("ListenerArn"))
    if listener is not None:
        listener.certificates = listener.certificates[:1] + kept


def _listener(call, arn):
    try:
        return elbv2_backends[account_of(arn)][call.region].describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
    except Exception:
        return None
