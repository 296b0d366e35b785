package io.lambdaingress.operator.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;

/** Lambda versions and aliases of a managed function: what a canary rollout publishes and shifts. */
public final class LambdaVersionClient implements LambdaVersions {

  private final LambdaClient lambda;

  LambdaVersionClient(LambdaClient lambda) {
    this.lambda = lambda;
  }

  @Override
  public List<FunctionConfiguration> versions(String functionName) {
    return AwsCall.run("versions of function " + functionName,
        () -> lambda.listVersionsByFunctionPaginator(r -> r.functionName(functionName).maxItems(50)).versions().stream()
            .filter(v -> !"$LATEST".equals(v.version())).toList());
  }

  @Override
  public FunctionConfiguration publish(String functionName, String codeSha256, String description) {
    var v = AwsCall.run("publish version of function " + functionName,
        () -> lambda.publishVersion(r -> r.functionName(functionName).codeSha256(codeSha256).description(description)));
    return FunctionConfiguration.builder().functionName(v.functionName()).functionArn(v.functionArn()).version(v.version())
        .codeSha256(v.codeSha256()).description(v.description()).build();
  }

  @Override
  public void deleteVersion(String functionName, String version) {
    AwsCall.run("delete version " + version + " of function " + functionName,
        () -> lambda.deleteFunction(r -> r.functionName(functionName).qualifier(version)));
  }

  @Override
  public Optional<AliasConfiguration> alias(String functionName, String alias) {
    return AwsCall.find("alias " + alias + " of function " + functionName,
        () -> lambda.getAlias(r -> r.functionName(functionName).name(alias))).map(a -> AliasConfiguration.builder()
            .aliasArn(a.aliasArn()).name(a.name()).functionVersion(a.functionVersion()).routingConfig(a.routingConfig()).build());
  }

  @Override
  public String putAlias(String functionName, String alias, String version, Map<String, Double> weights, boolean exists) {
    AliasRoutingConfiguration routing = AliasRoutingConfiguration.builder().additionalVersionWeights(weights).build();
    if (exists) {
      return AwsCall.run("update alias " + alias + " of function " + functionName, () -> lambda.updateAlias(r -> r
          .functionName(functionName).name(alias).functionVersion(version).routingConfig(routing))).aliasArn();
    }
    return AwsCall.run("create alias " + alias + " of function " + functionName, () -> lambda.createAlias(r -> r
        .functionName(functionName).name(alias).functionVersion(version).routingConfig(routing))).aliasArn();
  }

  @Override
  public void deleteAlias(String functionName, String alias) {
    AwsCall.run("delete alias " + alias + " of function " + functionName,
        () -> lambda.deleteAlias(r -> r.functionName(functionName).name(alias)));
  }

  @Override
  public Optional<GetProvisionedConcurrencyConfigResponse> provisionedConcurrency(String functionName, String qualifier) {
    return AwsCall.find("provisioned concurrency of " + functionName + ":" + qualifier,
        () -> lambda.getProvisionedConcurrencyConfig(r -> r.functionName(functionName).qualifier(qualifier)));
  }

  @Override
  public void provisionConcurrency(String functionName, String qualifier, int executions) {
    AwsCall.run("provision concurrency of " + functionName + ":" + qualifier, () -> lambda.putProvisionedConcurrencyConfig(r -> r
        .functionName(functionName).qualifier(qualifier).provisionedConcurrentExecutions(executions)));
  }

  @Override
  public void removeProvisionedConcurrency(String functionName, String qualifier) {
    AwsCall.run("remove the provisioned concurrency of " + functionName + ":" + qualifier,
        () -> lambda.deleteProvisionedConcurrencyConfig(r -> r.functionName(functionName).qualifier(qualifier)));
  }
}
