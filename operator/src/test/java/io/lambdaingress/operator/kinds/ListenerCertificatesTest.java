package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AcmCertificateClient;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbCertificatesClient;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.ChainModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The certificates of the ALB's HTTPS listener: a certificate refused with the entry it is and why (region, not
 * ISSUED, unknown), and the listener's certificate list made the spec's SNI certificates, never removing the default.
 */
class ListenerCertificatesTest {

  private static final String A = "arn:aws:acm:us-east-1:123456789012:certificate/a";
  private static final String B = "arn:aws:acm:us-east-1:123456789012:certificate/b";
  private static final String C = "arn:aws:acm:us-east-1:123456789012:certificate/c";
  private static final String WEST = "arn:aws:acm:us-west-2:123456789012:certificate/w";

  private final List<String> log = new ArrayList<>();
  private final Map<String, String> statuses = new java.util.HashMap<>(Map.of(A, "ISSUED", B, "ISSUED", C, "PENDING_VALIDATION"));
  private final List<String> list = new ArrayList<>();

  private final AcmCertificateClient acm = new AcmCertificateClient() {
    @Override
    public Optional<String> status(String arn) {
      log.add("describe " + arn);
      return Optional.ofNullable(statuses.get(arn));
    }
  };
  private final ElbCertificatesClient elb = new ElbCertificatesClient() {
    @Override
    public List<String> listenerCertificates(String listenerArn) {
      return List.copyOf(list);
    }

    @Override
    public void addListenerCertificates(String listenerArn, Collection<String> arns) {
      list.addAll(arns);
      log.add("add " + arns);
    }

    @Override
    public void removeListenerCertificates(String listenerArn, Collection<String> arns) {
      list.removeAll(arns);
      log.add("remove " + arns);
    }
  };
  private final ListenerCertificates certificates = new ListenerCertificates(acm, elb, (action, resource, why) -> log.add(action + ": " + why),
      "us-east-1");

  private static ChainModel.Https https(String... arns) {
    return new ChainModel.Https(443, arns[0], List.of(arns).subList(1, arns.length), "ELBSecurityPolicy-TLS13-1-2-2021-06", false);
  }

  @Test
  void aCertificateOfAnotherRegionIsRefusedByItsEntryWithoutACall() {
    assertThatThrownBy(() -> certificates.requireInRegion(https(A, WEST))).isInstanceOf(AwsFailure.class)
        .hasMessageContaining("spec.alb.https.certificateArns[1]: certificate " + WEST + " is in us-west-2 but the ALB is in us-east-1")
        .satisfies(e -> assertThat(((AwsFailure) e).reason()).isEqualTo(Reason.InvalidSpec));
    assertThat(log).isEmpty();
    certificates.requireInRegion(https(A, B));
  }

  @Test
  void aCertificateNotIssuedOrUnknownIsADependencyNamedWithItsStatus() {
    assertThatThrownBy(() -> certificates.requireIssued(https(A, C), List.of(C)))
        .hasMessageContaining("spec.alb.https.certificateArns[1]: certificate " + C + " is PENDING_VALIDATION, not ISSUED")
        .hasMessageContaining("complete its validation")
        .satisfies(e -> assertThat(((AwsFailure) e).reason()).isEqualTo(Reason.DependencyNotFound));
    statuses.put(C, "EXPIRED");
    assertThatThrownBy(() -> certificates.requireIssued(https(A, C), List.of(C))).hasMessageContaining("is EXPIRED").hasMessageContaining("renew");
    statuses.remove(C);
    assertThatThrownBy(() -> certificates.requireIssued(https(A, C), List.of(C))).hasMessageContaining("does not exist in ACM (us-east-1)");
  }

  @Test
  void theListIsMadeTheSniCertificatesAndTheDefaultStays() {
    list.addAll(List.of(A, C));       // the default listed too (AWS keeps a former SNI certificate made default), and a stray one
    certificates.ensureSni("listener", https(A, B));
    assertThat(list).containsExactlyInAnyOrder(A, B);
    assertThat(log).containsExactly("describe " + B, "add [" + B + "]", "Updated: SNI certificates added: [" + B + "]",
        "remove [" + C + "]", "Updated: SNI certificates removed (not in spec.alb.https.certificateArns): [" + C + "]");

    log.clear();
    certificates.ensureSni("listener", https(A, B));
    assertThat(log).as("converged: no call but the read").isEmpty();
  }

  @Test
  void anSniCertificateNotIssuedIsRefusedBeforeTheAdd() {
    assertThatThrownBy(() -> certificates.ensureSni("listener", https(A, C))).hasMessageContaining("PENDING_VALIDATION");
    assertThat(list).isEmpty();
  }
}
