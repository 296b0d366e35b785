package io.lambdaingress.operator.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;

/** ELB: the SNI certificates of an HTTPS listener (its default certificate is the listener's own, ElbV2Client's). */
public class ElbCertificatesClient {

  private static final int PAGE = 400;

  private final ElasticLoadBalancingV2Client elb;

  ElbCertificatesClient(ElasticLoadBalancingV2Client elb) {
    this.elb = elb;
  }

  /** For a unit test's fake of this adapter. */
  protected ElbCertificatesClient() {
    this(null);
  }

  /** The certificate list of an HTTPS listener (SNI), its default left out; every page. */
  public List<String> listenerCertificates(String listenerArn) {
    List<String> arns = new ArrayList<>();
    String marker = null;
    do {
      String from = marker;
      var page = AwsCall.run("certificates of " + listenerArn,
          () -> elb.describeListenerCertificates(r -> r.listenerArn(listenerArn).marker(from).pageSize(PAGE)));
      page.certificates().stream().filter(c -> !Boolean.TRUE.equals(c.isDefault())).forEach(c -> arns.add(c.certificateArn()));
      marker = page.nextMarker();
    } while (marker != null && !marker.isEmpty());
    return arns;
  }

  public void addListenerCertificates(String listenerArn, Collection<String> certificateArns) {
    List<Certificate> certs = certificateArns.stream().map(a -> Certificate.builder().certificateArn(a).build()).toList();
    AwsCall.run("add certificates to " + listenerArn, () -> elb.addListenerCertificates(r -> r.listenerArn(listenerArn).certificates(certs)));
  }

  public void removeListenerCertificates(String listenerArn, Collection<String> certificateArns) {
    List<Certificate> certs = certificateArns.stream().map(a -> Certificate.builder().certificateArn(a).build()).toList();
    AwsCall.run("remove certificates from " + listenerArn,
        () -> elb.removeListenerCertificates(r -> r.listenerArn(listenerArn).certificates(certs)));
  }
}
