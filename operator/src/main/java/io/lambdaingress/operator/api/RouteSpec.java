package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One route: an ALB listener rule that forwards what {@link RouteMatch} matches to its own lambda target
 * group and function. The function has the same shape as {@code spec.lambda} (so whatever that gains, a
 * route's function gains too).
 */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
// One switch for the route: a second one inside lambda that the operator ignored would mislead.
@ValidationRule(value = "!(has(self.lambda.multiValueHeaders) && self.lambda.multiValueHeaders)",
    message = "set multiValueHeaders on the route, not in its lambda")
public class RouteSpec {

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("A DNS label (a-z, 0-9, -; at most 63), unique among the routes: names the route's target group "
      + "and, when lambda.function.name is omitted, its function. Renaming a route replaces its pieces.")
  private String name;

  @Required
  @JsonPropertyDescription("What the route takes: ALB listener rule conditions, all of which must match. Routes are "
      + "evaluated in list order, the first that matches wins; what none matches goes to spec.lambda.")
  private RouteMatch match;

  @Required
  @JsonPropertyDescription("The route's function: one the operator manages (function) or an existing one (functionArn), "
      + "as in spec.lambda. Its multiValueHeaders is not used: set the route's.")
  private LambdaSpec lambda;

  @Default("false")
  @JsonPropertyDescription("Send multi-value headers and query parameters to the route's function (its target group's "
      + "attribute). Default false.")
  private Boolean multiValueHeaders;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public RouteMatch getMatch() {
    return match;
  }

  public void setMatch(RouteMatch match) {
    this.match = match;
  }

  public LambdaSpec getLambda() {
    return lambda;
  }

  public void setLambda(LambdaSpec lambda) {
    this.lambda = lambda;
  }

  public Boolean getMultiValueHeaders() {
    return multiValueHeaders;
  }

  public void setMultiValueHeaders(Boolean multiValueHeaders) {
    this.multiValueHeaders = multiValueHeaders;
  }
}
