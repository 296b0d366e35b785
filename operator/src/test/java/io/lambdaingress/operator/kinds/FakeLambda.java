package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.model.ChainModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.model.EnvironmentResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;

/**
 * A fake of the Lambda adapter for unit tests of {@link FunctionStep}: functions by name with their tags
 * and policy statements, and the answer AWS gives to deletions. Each deletion is written to the shared
 * {@code log} (see {@link FakeElb}). Calls it does not answer fail.
 */
final class FakeLambda extends LambdaFunctionClient {

  static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:";

  private final List<String> log;
  private final Map<String, Map<String, String>> tags = new HashMap<>();
  private final Map<String, List<PolicyStatement>> policies = new HashMap<>();
  private final Map<String, GetFunctionResponse> managed = new HashMap<>();
  private AwsFailure refusal;
  private AwsFailure updateRefusal;
  private int listings;

  FakeLambda(List<String> log) {
    this.log = log;
  }

  void addFunction(String name, Map<String, String> withTags, PolicyStatement... statements) {
    tags.put(name, Map.copyOf(withTags));
    policies.put(name, new ArrayList<>(List.of(statements)));
  }

  /** A function as GetFunction answers it (configuration, image, tags); its updates are only logged. */
  void addManaged(String name, FunctionConfiguration configuration, String imageUri, Map<String, String> withTags) {
    managed.put(name, GetFunctionResponse.builder().configuration(configuration).code(c -> c.imageUri(imageUri)).tags(withTags).build());
  }

  /** Its tags changed out of band. */
  void retag(String name, Map<String, String> withTags) {
    tags.put(name, Map.copyOf(withTags));
  }

  void refuseDeletions(AwsFailure failure) {
    this.refusal = failure;
  }

  /** From now on every configuration or code update is answered with {@code failure} (null: accepted). */
  void refuseUpdates(AwsFailure failure) {
    this.updateRefusal = failure;
  }

  boolean has(String name) {
    return tags.containsKey(name);
  }

  @Override
  public Optional<GetFunctionResponse> function(String name) {
    if (managed.containsKey(name)) {
      return Optional.of(managed.get(name));
    }
    return Optional.ofNullable(tags.get(name)).map(t -> GetFunctionResponse.builder().tags(t)
        .configuration(FunctionConfiguration.builder().functionName(name).functionArn(ARN + name)
            .build()).build());
  }

  /** Every function added, as ListFunctions gives it: with the environment variable every function of ours has. */
  @Override
  public List<FunctionConfiguration> allFunctions() {
    listings++;
    return tags.keySet().stream().map(n -> FunctionConfiguration.builder().functionName(n).functionArn(ARN + n)
        .environment(EnvironmentResponse.builder().variables(Map.of(ChainModel.HEALTH_PATH_ENV, "/healthz")).build()).build()).toList();
  }

  /** How many times {@link #allFunctions} was called. */
  int listings() {
    return listings;
  }

  @Override
  public Optional<Map<String, String>> tags(String functionArn) {
    return Optional.ofNullable(tags.get(functionArn.substring(functionArn.lastIndexOf(':') + 1)));
  }

  @Override
  public List<PolicyStatement> policy(String name) {
    return List.copyOf(policies.getOrDefault(name, List.of()));
  }

  @Override
  public void delete(String name) {
    log.add("DeleteFunction " + name);
    if (refusal != null) {
      throw refusal;
    }
    tags.remove(name);
    policies.remove(name);
  }

  @Override
  public void removePermission(String name, String qualifier, String statementId) {
    log.add("RemovePermission " + statementId + " " + name);
    if (refusal != null) {
      throw refusal;
    }
    policies.getOrDefault(name, new ArrayList<>()).removeIf(s -> s.sid().equals(statementId));
  }

  @Override
  public void updateConfiguration(UpdateFunctionConfigurationRequest request) {
    log.add("UpdateFunctionConfiguration " + request.functionName());
    if (updateRefusal != null) {
      throw updateRefusal;
    }
  }

  @Override
  public void updateImage(String name, String imageUri) {
    log.add("UpdateFunctionCode " + name + " " + imageUri);
    if (updateRefusal != null) {
      throw updateRefusal;
    }
  }
}
