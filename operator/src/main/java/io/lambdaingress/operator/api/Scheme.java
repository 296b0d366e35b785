package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** A load balancer's scheme, spelled as AWS and the API spell it. */
public enum Scheme {
  INTERNAL("internal"),
  INTERNET_FACING("internet-facing");

  private final String value;

  Scheme(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
