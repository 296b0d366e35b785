package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The NLB target group's health check, which passes through the ALB to the function. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheckSpec {

  @Default("/healthz")
  @Pattern("^/[\\x21-\\x7e]*$")
  @Size(max = 1024)
  @JsonPropertyDescription("HTTP path the NLB health-checks through the ALB's listener; the function must answer it 200 (managed functions get it as LAMBDA_INGRESS_HEALTH_PATH). Default /healthz. Changed in place.")
  private String path;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
