package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The NLB's load balancer attributes the spec sets (NLB user guide, "Load balancer attributes"). */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NlbAttributesSpec {

  /** The NLB attributes extra may set (cross-zone is spec.nlb.crossZoneLoadBalancing). */
  public static final String EXTRA_KEYS = "['dns_record.client_routing_policy', 'zonal_shift.config.enabled']";

  @JsonPropertyDescription("deletion_protection.enabled (default false, always managed). While true, deleting the "
      + "LambdaIngress does not delete the NLB: the object stays, Ready=False reason InvalidSpec saying so, until this is set "
      + "false (the operator then turns it off and deletes) or deletionPolicy is Retain.")
  private Boolean deletionProtection;

  @Size(max = 10)
  @ValidationRule(value = "self.all(k, k in " + EXTRA_KEYS + ")",
      message = "spec.nlb.attributes.extra takes only these keys: " + EXTRA_KEYS
          + " (cross-zone is spec.nlb.crossZoneLoadBalancing, deletion protection a typed field)")
  @JsonPropertyDescription("Further NLB attributes by their AWS key, from an allow-list: " + EXTRA_KEYS
      + ". Values as AWS takes them (strings). Each key set is managed; a key removed is no longer managed.")
  private Map<String, @Size(max = 256) String> extra;

  public Boolean getDeletionProtection() {
    return deletionProtection;
  }

  public void setDeletionProtection(Boolean deletionProtection) {
    this.deletionProtection = deletionProtection;
  }

  public Map<String, String> getExtra() {
    return extra;
  }

  public void setExtra(Map<String, String> extra) {
    this.extra = extra;
  }
}
