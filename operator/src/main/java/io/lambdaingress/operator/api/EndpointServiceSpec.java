package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** PrivateLink: the NLB offered to other VPCs and accounts as a VPC endpoint service (docs/privatelink.md). */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
// Without an allowed principal the account's own endpoints could connect, and acceptance would never be asked of it.
@ValidationRule(value = "!has(self.acceptConnectionsFrom) || self.acceptConnectionsFrom.all(a, has(self.allowedPrincipals) && "
    + "self.allowedPrincipals.exists(p, p == '*' || p.contains(':' + a + ':')))",
    fieldPath = ".acceptConnectionsFrom",
    message = "every account in acceptConnectionsFrom must also be allowed: add arn:aws:iam::<account>:root (or a principal of "
        + "that account) to allowedPrincipals")
@ValidationRule(value = "!has(self.acceptConnectionsFrom) || size(self.acceptConnectionsFrom) == 0 || !has(self.acceptanceRequired) "
    + "|| self.acceptanceRequired", fieldPath = ".acceptConnectionsFrom",
    message = "acceptConnectionsFrom has no effect with acceptanceRequired: false (AWS accepts every allowed endpoint itself)")
public class EndpointServiceSpec {

  @Default("true")
  @JsonPropertyDescription("Whether a consumer's endpoint waits for acceptance (pendingAcceptance) before it can connect. "
      + "Default true. Changed in place.")
  private Boolean acceptanceRequired;

  @Size(max = 50)
  @ValidationRule(value = "self.all(p, self.exists_one(q, q == p))", message = "a principal is listed twice")
  @JsonPropertyDescription("IAM principals allowed to create endpoints to the service: arn:aws:iam::<account>:root, "
      + "arn:aws:iam::<account>:role/<name> or :user/<name>, or * (anyone). Changed in place; removing one does not "
      + "disconnect endpoints already accepted.")
  private List<@Pattern(AwsIdPatterns.ENDPOINT_SERVICE_PRINCIPAL) @Size(max = AwsIdPatterns.ENDPOINT_SERVICE_PRINCIPAL_MAX) String>
      allowedPrincipals;

  @Size(max = 50)
  @ValidationRule(value = "self.all(a, self.exists_one(b, b == a))", message = "an account is listed twice")
  @JsonPropertyDescription("AWS account ids (12 digits) whose pending endpoint requests the operator accepts; requests from "
      + "other accounts stay pendingAcceptance for a person to accept or reject. Needs acceptanceRequired.")
  private List<@Pattern(AwsIdPatterns.ACCOUNT_ID) @Size(max = 12) String> acceptConnectionsFrom;

  @Pattern(AwsIdPatterns.PRIVATE_DNS_NAME)
  @Size(max = 253)
  @JsonPropertyDescription("Private DNS name consumers' endpoints answer to (a domain you own). AWS verifies it with a TXT "
      + "record you publish: status.endpointService.privateDns has its name and value. Changed in place.")
  private String privateDnsName;

  public Boolean getAcceptanceRequired() {
    return acceptanceRequired;
  }

  public void setAcceptanceRequired(Boolean acceptanceRequired) {
    this.acceptanceRequired = acceptanceRequired;
  }

  public List<String> getAllowedPrincipals() {
    return allowedPrincipals;
  }

  public void setAllowedPrincipals(List<String> allowedPrincipals) {
    this.allowedPrincipals = allowedPrincipals;
  }

  public List<String> getAcceptConnectionsFrom() {
    return acceptConnectionsFrom;
  }

  public void setAcceptConnectionsFrom(List<String> acceptConnectionsFrom) {
    this.acceptConnectionsFrom = acceptConnectionsFrom;
  }

  public String getPrivateDnsName() {
    return privateDnsName;
  }

  public void setPrivateDnsName(String privateDnsName) {
    this.privateDnsName = privateDnsName;
  }
}
