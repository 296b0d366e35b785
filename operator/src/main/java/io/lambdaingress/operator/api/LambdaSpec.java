package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The function behind the ALB: managed by the operator, or an existing one. */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.function) != has(self.functionArn)", message = "set exactly one of spec.lambda.function and spec.lambda.functionArn")
public class LambdaSpec {

  @JsonPropertyDescription("A function the operator creates and updates. Exactly one of function and functionArn.")
  private FunctionSpec function;

  @Pattern(AwsIdPatterns.FUNCTION_ARN)
  @JsonPropertyDescription("An existing function (arn:aws:lambda:REGION:ACCOUNT:function:NAME, optionally :VERSION or :ALIAS) "
      + "the operator never modifies: only the invoke permission and the registration are added. Exactly one of function and "
      + "functionArn. Refused at apply when malformed; Ready=False InvalidSpec when it matches none of the operator's "
      + "allowedFunctionArns (chart value, empty by default: no existing function until it is set), DependencyNotFound when "
      + "the function does not exist.")
  private String functionArn;

  @Default("false")
  @JsonPropertyDescription("Send multi-value headers and query parameters to the function (lambda target group attribute). Default false.")
  private Boolean multiValueHeaders;

  public FunctionSpec getFunction() {
    return function;
  }

  public void setFunction(FunctionSpec function) {
    this.function = function;
  }

  public String getFunctionArn() {
    return functionArn;
  }

  public void setFunctionArn(String functionArn) {
    this.functionArn = functionArn;
  }

  public Boolean getMultiValueHeaders() {
    return multiValueHeaders;
  }

  public void setMultiValueHeaders(Boolean multiValueHeaders) {
    this.multiValueHeaders = multiValueHeaders;
  }
}
