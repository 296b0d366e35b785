package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The ALB's load balancer attributes the spec sets (ALB user guide, "Load balancer attributes"). */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlbAttributesSpec {

  /** The ALB attributes extra may set: the others are typed fields, the operator's own, or not for this chain. */
  public static final String EXTRA_KEYS = "['routing.http.xff_header_processing.mode', 'routing.http.xff_client_port.enabled', "
      + "'routing.http.preserve_host_header.enabled', 'routing.http.x_amzn_tls_version_and_cipher_suite.enabled', "
      + "'routing.http.desync_mitigation_mode', 'routing.http2.enabled', 'client_keep_alive.seconds', 'waf.fail_open.enabled', "
      + "'zonal_shift.config.enabled']";

  @Min(1)
  @Max(4000)
  @JsonPropertyDescription("idle_timeout.timeout_seconds: how long a connection may be idle (1-4000 s; AWS's default 60). "
      + "Omitted: not managed (AWS's value stays). Changed in place.")
  private Integer idleTimeoutSeconds;

  @JsonPropertyDescription("routing.http.drop_invalid_header_fields.enabled: drop HTTP headers whose names are not valid "
      + "(AWS's default false). Omitted: not managed. Changed in place.")
  private Boolean dropInvalidHeaderFields;

  @JsonPropertyDescription("deletion_protection.enabled (default false, always managed). While true, deleting the "
      + "LambdaIngress does not delete the ALB: the object stays, Ready=False reason InvalidSpec saying so, until this is set "
      + "false (the operator then turns it off and deletes) or deletionPolicy is Retain.")
  private Boolean deletionProtection;

  @JsonPropertyDescription("access_logs.s3.*: access logs to an S3 bucket. Set: turned on to that bucket and prefix, "
      + "and kept so. Omitted while spec.alb.attributes is there: turned off (access_logs.s3.enabled false), the bucket and "
      + "prefix AWS had left as they are; without spec.alb.attributes not managed. Changed in place.")
  private AccessLogsSpec accessLogs;

  @Size(max = 20)
  @ValidationRule(value = "self.all(k, k in " + EXTRA_KEYS + ")",
      message = "spec.alb.attributes.extra takes only these keys: " + EXTRA_KEYS
          + " (the others are typed fields, set by the operator, or not for this chain)")
  @JsonPropertyDescription("Further ALB attributes by their AWS key, from an allow-list: " + EXTRA_KEYS
      + ". Values as AWS takes them (strings); AWS refuses a bad value (InvalidSpec). Each key set is managed; a key "
      + "removed is no longer managed (AWS's value stays).")
  private Map<String, @Size(max = 256) String> extra;

  public Integer getIdleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }

  public void setIdleTimeoutSeconds(Integer idleTimeoutSeconds) {
    this.idleTimeoutSeconds = idleTimeoutSeconds;
  }

  public Boolean getDropInvalidHeaderFields() {
    return dropInvalidHeaderFields;
  }

  public void setDropInvalidHeaderFields(Boolean dropInvalidHeaderFields) {
    this.dropInvalidHeaderFields = dropInvalidHeaderFields;
  }

  public Boolean getDeletionProtection() {
    return deletionProtection;
  }

  public void setDeletionProtection(Boolean deletionProtection) {
    this.deletionProtection = deletionProtection;
  }

  public AccessLogsSpec getAccessLogs() {
    return accessLogs;
  }

  public void setAccessLogs(AccessLogsSpec accessLogs) {
    this.accessLogs = accessLogs;
  }

  public Map<String, String> getExtra() {
    return extra;
  }

  public void setExtra(Map<String, String> extra) {
    this.extra = extra;
  }
}
