package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key/value pair of an ALB query-string condition. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueryStringMatch {

  @Size(min = 1, max = 128)
  @JsonPropertyDescription("The query parameter's name (at most 128 characters); omitted: any parameter whose value matches. "
      + "Wildcards * and ? count towards the rule's 5.")
  private String key;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("The value (at most 128 characters; * and ? are wildcards, compared case-insensitively).")
  private String value;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }
}
