package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The ALB's HTTPS listener, and the NLB's TCP listener that reaches it (docs/tls.md). */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpsSpec {

  /** The policy the AWS console picks and AWS recommends: TLS 1.3 and 1.2. The API's own default (2016-08) allows TLS 1.0. */
  public static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

  @Default("443")
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port of the ALB's HTTPS listener (default 443). The NLB gets a TCP listener on the same port, "
      + "forwarding to an alb target group of its own (one port each, as AWS allows). Changed in place; the port's alb "
      + "target group is replaced (AWS fixes a target group's port at creation).")
  private Integer port;

  // 26: the default certificate and ALB's 25 certificates per load balancer besides it (ALB user guide, quotas).
  @Required
  @Size(min = 1, max = 26)
  @ValidationRule(value = "self.all(c, self.exists_one(d, d == c))", message = "a certificate is listed twice")
  @JsonPropertyDescription("ACM certificate ARNs, in the ALB's region and ISSUED: the first is the listener's default "
      + "certificate, the others are added to its certificate list for SNI (the ALB picks by the client's server name). "
      + "A certificate that is not ISSUED, or in another region, is refused with a message naming it. Changed in place.")
  private List<@Pattern(AwsIdPatterns.ACM_CERTIFICATE_ARN) @Size(max = AwsIdPatterns.ACM_CERTIFICATE_ARN_MAX) String> certificateArns;

  @Default(DEFAULT_SSL_POLICY)
  @Pattern("^ELBSecurityPolicy-[A-Za-z0-9-]{1,100}$")
  @JsonPropertyDescription("The listener's security policy (ELBSecurityPolicy-...). Default " + DEFAULT_SSL_POLICY
      + " (TLS 1.3 and 1.2), what AWS recommends; AWS refuses a name it does not know. Changed in place.")
  private String sslPolicy;

  @Default("false")
  @JsonPropertyDescription("true: the ALB's HTTP listener answers every request with 301 to https:// on this port, and "
      + "the routes' rules are on the HTTPS listener only; the NLB's health checks go through HTTPS. Default false: both "
      + "listeners serve the function and the routes.")
  private Boolean redirectHttp;

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public List<String> getCertificateArns() {
    return certificateArns;
  }

  public void setCertificateArns(List<String> certificateArns) {
    this.certificateArns = certificateArns;
  }

  public String getSslPolicy() {
    return sslPolicy;
  }

  public void setSslPolicy(String sslPolicy) {
    this.sslPolicy = sslPolicy;
  }

  public Boolean getRedirectHttp() {
    return redirectHttp;
  }

  public void setRedirectHttp(Boolean redirectHttp) {
    this.redirectHttp = redirectHttp;
  }
}
