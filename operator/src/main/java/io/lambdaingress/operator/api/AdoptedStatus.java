package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One resource spec.adopt named, as the operator took it over. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdoptedStatus {

  @JsonPropertyDescription("What it serves as: NLB, NLB listener, alb target group, ALB, ALB listener, lambda target group, function.")
  private String kind;

  @JsonPropertyDescription("Its ARN.")
  private String arn;

  @JsonPropertyDescription("What differed from the spec when it was adopted and was changed in place (field: resource's value -> "
      + "spec's value; the keys only for tags and environment variables).")
  private List<String> changedFields;

  public AdoptedStatus() {}

  public AdoptedStatus(String kind, String arn, List<String> changedFields) {
    this.kind = kind;
    this.arn = arn;
    this.changedFields = changedFields == null || changedFields.isEmpty() ? null : List.copyOf(changedFields);
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getArn() {
    return arn;
  }

  public void setArn(String arn) {
    this.arn = arn;
  }

  public List<String> getChangedFields() {
    return changedFields;
  }

  public void setChangedFields(List<String> changedFields) {
    this.changedFields = changedFields;
  }
}
