package io.lambdaingress.operator.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AddPermissionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;

/** Lambda: the managed function, its code (image), configuration, tags, and the invoke permission. */
public class LambdaFunctionClient {

  /** One statement of a function's resource policy, reduced to what a permission check compares. */
  public record PolicyStatement(String sid, String action, String principal, String sourceArn) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LambdaClient lambda;

  LambdaFunctionClient(LambdaClient lambda) {
    this.lambda = lambda;
  }

  /** For a unit test's fake of this adapter: it overrides the calls it answers; any other fails. */
  protected LambdaFunctionClient() {
    this(null);
  }

  /** The function with its configuration, code location and tags; empty when it does not exist. */
  public Optional<GetFunctionResponse> function(String nameOrArn) {
    return AwsCall.find("function " + nameOrArn, () -> lambda.getFunction(r -> r.functionName(nameOrArn)));
  }

  /** Every function of the account and region, with its configuration (50 a call, as ListFunctions pages). */
  public List<FunctionConfiguration> allFunctions() {
    return AwsCall.run("functions", () -> lambda.listFunctionsPaginator(r -> r.maxItems(50)).functions().stream().toList());
  }

  /** The function's tags; empty when it does not exist. */
  public Optional<Map<String, String>> tags(String functionArn) {
    return AwsCall.find("tags of function " + functionArn, () -> lambda.listTags(r -> r.resource(functionArn)).tags());
  }

  public FunctionConfiguration create(CreateFunctionRequest request) {
    CreateFunctionResponse created;
    try {
      created = AwsCall.run("create function " + request.functionName(), () -> lambda.createFunction(request));
    } catch (AwsFailure f) {
      throw EcrPullRefusal.explain(f, request.code() == null ? null : request.code().imageUri());
    }
    return FunctionConfiguration.builder().functionName(created.functionName()).functionArn(created.functionArn())
        .state(created.state()).lastUpdateStatus(created.lastUpdateStatus()).build();
  }

  public void updateConfiguration(UpdateFunctionConfigurationRequest request) {
    AwsCall.run("update configuration of function " + request.functionName(), () -> lambda.updateFunctionConfiguration(request));
  }

  public void updateImage(String name, String imageUri) {
    try {
      AwsCall.run("update image of function " + name, () -> lambda.updateFunctionCode(r -> r.functionName(name).imageUri(imageUri)));
    } catch (AwsFailure f) {
      throw EcrPullRefusal.explain(f, imageUri);
    }
  }

  /** Reserved concurrency (PutFunctionConcurrency). */
  public void reserveConcurrency(String name, int executions) {
    AwsCall.run("reserve concurrency of function " + name,
        () -> lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(executions)));
  }

  public void unreserveConcurrency(String name) {
    AwsCall.run("remove the reserved concurrency of function " + name, () -> lambda.deleteFunctionConcurrency(r -> r.functionName(name)));
  }

  public void delete(String name) {
    AwsCall.run("delete function " + name, () -> lambda.deleteFunction(r -> r.functionName(name)));
  }

  public void tag(String functionArn, Map<String, String> tags) {
    if (!tags.isEmpty()) {
      AwsCall.run("tag function " + functionArn, () -> lambda.tagResource(r -> r.resource(functionArn).tags(tags)));
    }
  }

  public void untag(String functionArn, Collection<String> keys) {
    if (!keys.isEmpty()) {
      AwsCall.run("untag function " + functionArn, () -> lambda.untagResource(r -> r.resource(functionArn).tagKeys(keys)));
    }
  }

  /** The statements of the function's resource policy; empty when it has none. */
  public List<PolicyStatement> policy(String nameOrArn) {
    Optional<String> doc = AwsCall.find("policy of function " + nameOrArn, () -> lambda.getPolicy(r -> r.functionName(nameOrArn)).policy());
    List<PolicyStatement> statements = new ArrayList<>();
    doc.ifPresent(json -> {
      try {
        for (JsonNode s : JSON.readTree(json).path("Statement")) {
          statements.add(new PolicyStatement(s.path("Sid").asText(), s.path("Action").asText(),
              s.path("Principal").path("Service").asText(), s.path("Condition").path("ArnLike").path("AWS:SourceArn").asText(null)));
        }
      } catch (Exception e) {
        throw new AwsFailure(Reason.AwsError, "policy of function " + nameOrArn + " is not valid JSON: " + e.getMessage());
      }
    });
    return statements;
  }

  public void addPermission(AddPermissionRequest request) {
    AwsCall.run("add permission " + request.statementId() + " to function " + request.functionName(), () -> lambda.addPermission(request));
  }

  public void removePermission(String nameOrArn, String statementId) {
    removePermission(nameOrArn, null, statementId);
  }

  /** From the policy of one alias or version ({@code qualifier}), or of the function itself (null). */
  public void removePermission(String nameOrArn, String qualifier, String statementId) {
    AwsCall.run("remove permission " + statementId + " from function " + nameOrArn + (qualifier == null ? "" : ":" + qualifier),
        () -> lambda.removePermission(r -> r.functionName(nameOrArn).qualifier(qualifier).statementId(statementId)));
  }
}
