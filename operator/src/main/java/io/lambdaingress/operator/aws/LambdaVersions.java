package io.lambdaingress.operator.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;

/**
 * What the alias and versions of a function need of Lambda ({@link LambdaVersionClient}): an interface so
 * that the kind class's unit test answers it with a fake instead of a rollout IT.
 */
public interface LambdaVersions {

  /** The published versions (not $LATEST), with their CodeSha256 and description. */
  List<FunctionConfiguration> versions(String functionName);

  /** Publishes $LATEST as a version, only if its code is still {@code codeSha256} (PublishVersion's own guard). */
  FunctionConfiguration publish(String functionName, String codeSha256, String description);

  /** Deletes one published version (DeleteFunction with a Qualifier). */
  void deleteVersion(String functionName, String version);

  Optional<AliasConfiguration> alias(String functionName, String alias);

  /** Creates or updates the alias: {@code version}, plus {@code weights} (version -> 0..1) to at most one other; its ARN. */
  String putAlias(String functionName, String alias, String version, Map<String, Double> weights, boolean exists);

  void deleteAlias(String functionName, String alias);

  /** The provisioned concurrency configuration of a version or alias; empty when it has none. */
  Optional<GetProvisionedConcurrencyConfigResponse> provisionedConcurrency(String functionName, String qualifier);

  void provisionConcurrency(String functionName, String qualifier, int executions);

  void removeProvisionedConcurrency(String functionName, String qualifier);
}
