package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The application load balancer between the NLB and the function. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlbSpec {

  @Default("internal")
  @JsonPropertyDescription("internal (default) or internet-facing. Changing it replaces the ALB.")
  private Scheme scheme;

  @Required
  @Size(min = 2, max = 16)
  @JsonPropertyDescription("At least two subnets (subnet-...) in different zones, as AWS requires for an ALB. Changed in place.")
  private List<String> subnets;

  @Size(max = 5)
  @JsonPropertyDescription("Security groups (sg-...) of the ALB. Changed in place.")
  private List<String> securityGroups;

  @Required
  @JsonPropertyDescription("The HTTP listener; the NLB forwards to this port and health-checks through it.")
  private ListenerSpec listener;

  public Scheme getScheme() {
    return scheme;
  }

  public void setScheme(Scheme scheme) {
    this.scheme = scheme;
  }

  public List<String> getSubnets() {
    return subnets;
  }

  public void setSubnets(List<String> subnets) {
    this.subnets = subnets;
  }

  public List<String> getSecurityGroups() {
    return securityGroups;
  }

  public void setSecurityGroups(List<String> securityGroups) {
    this.securityGroups = securityGroups;
  }

  public ListenerSpec getListener() {
    return listener;
  }

  public void setListener(ListenerSpec listener) {
    this.listener = listener;
  }
}
