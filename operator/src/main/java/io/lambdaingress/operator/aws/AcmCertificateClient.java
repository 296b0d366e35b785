package io.lambdaingress.operator.aws;

import java.util.Optional;
import software.amazon.awssdk.services.acm.AcmClient;

/** ACM: the status of a certificate a listener is to use. Read only; the operator never requests or imports one. */
public class AcmCertificateClient {

  private final AcmClient acm;

  AcmCertificateClient(AcmClient acm) {
    this.acm = acm;
  }

  /** For a unit test's fake of this adapter. */
  protected AcmCertificateClient() {
    this(null);
  }

  /**
   * The certificate's status (ISSUED, PENDING_VALIDATION, EXPIRED, ...); empty when ACM of this region does not
   * have it (ResourceNotFoundException: deleted, mistyped, or in another account).
   */
  public Optional<String> status(String certificateArn) {
    return AwsCall.find("certificate " + certificateArn,
        () -> acm.describeCertificate(r -> r.certificateArn(certificateArn)).certificate().statusAsString());
  }
}
