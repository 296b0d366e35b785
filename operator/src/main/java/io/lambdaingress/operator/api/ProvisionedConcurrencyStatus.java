package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Provisioned concurrency as Lambda reports it (GetProvisionedConcurrencyConfig) on the alias the ALB invokes. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProvisionedConcurrencyStatus {

  @JsonPropertyDescription("Where it is allocated: the function's qualifier (the alias live).")
  private String qualifier;

  @JsonPropertyDescription("The version the alias points at, which the allocation serves.")
  private String functionVersion;

  @JsonPropertyDescription("Instances asked of Lambda.")
  private Integer requested;

  @JsonPropertyDescription("Instances Lambda has allocated so far.")
  private Integer allocated;

  @JsonPropertyDescription("IN_PROGRESS while Lambda allocates, READY once every instance is ready, FAILED (statusReason says why).")
  private String status;

  @JsonPropertyDescription("Lambda's reason for FAILED; or why the spec's value is not asked yet (a canary in progress).")
  private String statusReason;

  public String getQualifier() {
    return qualifier;
  }

  public void setQualifier(String qualifier) {
    this.qualifier = qualifier;
  }

  public String getFunctionVersion() {
    return functionVersion;
  }

  public void setFunctionVersion(String functionVersion) {
    this.functionVersion = functionVersion;
  }

  public Integer getRequested() {
    return requested;
  }

  public void setRequested(Integer requested) {
    this.requested = requested;
  }

  public Integer getAllocated() {
    return allocated;
  }

  public void setAllocated(Integer allocated) {
    this.allocated = allocated;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getStatusReason() {
    return statusReason;
  }

  public void setStatusReason(String statusReason) {
    this.statusReason = statusReason;
  }
}
