package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AcmCertificateClient;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbCertificatesClient;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.ChainModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The ACM certificates of the ALB's HTTPS listener. Each is checked before a listener is to use it: in the ALB's
 * region (ACM serves its own region's load balancers only) and ISSUED, so that the person reads which entry of
 * spec.alb.https.certificateArns is wrong and why (AWS's own answer for a certificate pending validation,
 * UnsupportedCertificate, speaks of key sizes). The listener's certificate list (SNI) is made the spec's other
 * certificates with AddListenerCertificates and RemoveListenerCertificates; the default certificate is the
 * listener's own (ListenerStep).
 */
public final class ListenerCertificates {

  private final AcmCertificateClient acm;
  private final ElbCertificatesClient elb;
  private final Announcer writes;
  private final String region;

  public ListenerCertificates(AcmCertificateClient acm, ElbCertificatesClient elb, Announcer writes, String region) {
    this.acm = acm;
    this.elb = elb;
    this.writes = writes;
    this.region = region;
  }

  /** Refuses a certificate of another region (no call: the ARN says it). */
  public void requireInRegion(ChainModel.Https https) {
    List<String> outside = https.outside(region);
    if (!outside.isEmpty()) {
      String arn = outside.get(0);
      throw new AwsFailure(Reason.InvalidSpec, field(https, arn) + ": certificate " + arn + " is in " + arn.split(":")[3]
          + " but the ALB is in " + region + "; an ACM certificate serves load balancers of its own region only: request or "
          + "import the certificate in " + region + " and use that ARN");
    }
  }

  /** Refuses a certificate ACM does not have or has not ISSUED (one DescribeCertificate each), before a write uses them. */
  public void requireIssued(ChainModel.Https https, Collection<String> arns) {
    for (String arn : arns) {
      Optional<String> status = acm.status(arn);
      if (status.isEmpty()) {
        throw new AwsFailure(Reason.DependencyNotFound, field(https, arn) + ": certificate " + arn + " does not exist in ACM ("
            + region + "): check the ARN, and that the certificate is in this account");
      }
      if (!"ISSUED".equals(status.get())) {
        throw new AwsFailure(Reason.DependencyNotFound, field(https, arn) + ": certificate " + arn + " is " + status.get()
            + ", not ISSUED; the ALB serves only an issued certificate: " + remedy(status.get()));
      }
    }
  }

  /**
   * The listener's certificate list made the spec's SNI certificates: the missing added (checked first), the others
   * removed, except the default certificate (AWS lists it there too when it was added before, and refuses to remove
   * a listener's default).
   */
  public void ensureSni(String listenerArn, ChainModel.Https https) {
    List<String> observed = elb.listenerCertificates(listenerArn);
    List<String> add = new ArrayList<>(https.sniCertificates());
    add.removeAll(observed);
    List<String> remove = new ArrayList<>(observed);
    remove.removeAll(https.sniCertificates());
    remove.remove(https.defaultCertificate());
    if (!add.isEmpty()) {
      requireIssued(https, add);
      writes.made("Updated", "ALB listener " + listenerArn, "SNI certificates added: " + add,
          () -> elb.addListenerCertificates(listenerArn, add));
    }
    if (!remove.isEmpty()) {
      writes.made("Updated", "ALB listener " + listenerArn, "SNI certificates removed (not in spec.alb.https.certificateArns): " + remove,
          () -> elb.removeListenerCertificates(listenerArn, remove));
    }
  }

  private static String field(ChainModel.Https https, String arn) {
    return "spec.alb.https.certificateArns[" + https.certificates().indexOf(arn) + "]";
  }

  private static String remedy(String status) {
    return switch (status) {
      case "PENDING_VALIDATION" -> "complete its validation (the DNS record or email ACM asks for); the listener gets it once "
          + "ACM has issued it";
      case "EXPIRED", "REVOKED", "INACTIVE" -> "renew it or name another certificate";
      default -> "request a new certificate (ACM could not issue this one) and name it";
    };
  }
}
