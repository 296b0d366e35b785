package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaVersions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;

/**
 * A fake of Lambda's versions and aliases for unit tests of {@link AliasStep}: one function's versions and
 * its aliases, and AWS's refusals (a version another alias uses, a write refused). Each write is written to
 * the shared {@code log} (see {@link FakeElb}).
 */
final class FakeVersions implements LambdaVersions {

  static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:";
  // The memory of every version and of $LATEST unless a test gives another.
  static final int DEFAULT_MEMORY = 512;

  private final List<String> log;
  private final List<FunctionConfiguration> versions = new ArrayList<>();
  private final Map<String, AliasConfiguration> aliases = new HashMap<>();
  private final Set<String> inUse = new HashSet<>();
  private final Map<String, GetProvisionedConcurrencyConfigResponse> provisioned = new HashMap<>();
  private String latestSha;
  private int latestMemory = DEFAULT_MEMORY;
  private AwsFailure refusal;
  // The version PublishVersion answers without publishing ($LATEST unchanged since its last version); null: it publishes.
  private String unchangedAnswer;

  FakeVersions(List<String> log) {
    this.log = log;
  }

  /**
   * The configuration of every version here and of $LATEST, as {@link #settings} describes it: role, timeout, environment
   * the same for all, the memory given.
   */
  static CreateFunctionRequest settings(int memoryMiB) {
    return CreateFunctionRequest.builder().role("arn:aws:iam::123456789012:role/fn").timeout(30).memorySize(memoryMiB)
        .environment(e -> e.variables(Map.of("MODE", "live"))).build();
  }

  private static FunctionConfiguration.Builder configured(int memoryMiB) {
    CreateFunctionRequest c = settings(memoryMiB);
    return FunctionConfiguration.builder().role(c.role()).timeout(c.timeout()).memorySize(c.memorySize())
        .environment(e -> e.variables(c.environment().variables()));
  }

  /** A published version running {@code sha}; {@code ours}: with the description the operator gives its versions. */
  void addVersion(String version, String sha, boolean ours) {
    addVersion(version, sha, ours, DEFAULT_MEMORY);
  }

  /** The same, published while $LATEST had {@code memoryMiB}. */
  void addVersion(String version, String sha, boolean ours, int memoryMiB) {
    versions.add(configured(memoryMiB).version(version).codeSha256(sha)
        .description(ours ? AliasStep.DESCRIPTION + "sha256:" + sha : "published by hand").build());
  }

  /** $LATEST unchanged since its last version: PublishVersion answers with {@code version} and publishes nothing. */
  void unchangedSince(String version) {
    unchangedAnswer = version;
  }

  /** What $LATEST runs: what PublishVersion publishes. */
  void latest(String sha) {
    latest(sha, DEFAULT_MEMORY);
  }

  /** The same, with $LATEST's memory. */
  void latest(String sha, int memoryMiB) {
    latestSha = sha;
    latestMemory = memoryMiB;
  }

  /** Another alias (not ours) points at this version: AWS refuses its deletion. */
  void inUse(String version) {
    inUse.add(version);
  }

  /** From now on every write is answered with {@code failure} (null: accepted). */
  void refuseWrites(AwsFailure failure) {
    refusal = failure;
  }

  List<String> versionNumbers() {
    return versions.stream().map(FunctionConfiguration::version).toList();
  }

  @Override
  public List<FunctionConfiguration> versions(String functionName) {
    return List.copyOf(versions);
  }

  @Override
  public FunctionConfiguration publish(String functionName, String codeSha256, String description) {
    write("PublishVersion " + functionName);
    if (!codeSha256.equals(latestSha)) {
      throw new AwsFailure(io.lambdaingress.operator.aws.Reason.AwsError, "CodeSha256 does not match", "PreconditionFailedException", null);
    }
    if (unchangedAnswer != null) {
      // Lambda publishes nothing for a $LATEST unchanged since its last version and answers with an existing one.
      return versions.stream().filter(v -> v.version().equals(unchangedAnswer)).findFirst().orElseThrow();
    }
    String version = String.valueOf(versions.stream().mapToLong(v -> Long.parseLong(v.version())).max().orElse(0) + 1);
    FunctionConfiguration v = configured(latestMemory).version(version).codeSha256(codeSha256).description(description).build();
    versions.add(v);
    return v;
  }

  @Override
  public void deleteVersion(String functionName, String version) {
    write("DeleteFunction " + functionName + ":" + version);
    if (inUse.contains(version)) {
      throw new AwsFailure(io.lambdaingress.operator.aws.Reason.AwsError, "Unable to delete version because the following aliases reference it",
          "ResourceConflictException", null);
    }
    versions.removeIf(v -> v.version().equals(version));
  }

  @Override
  public Optional<AliasConfiguration> alias(String functionName, String alias) {
    return Optional.ofNullable(aliases.get(alias));
  }

  @Override
  public String putAlias(String functionName, String alias, String version, Map<String, Double> weights, boolean exists) {
    write((exists ? "UpdateAlias " : "CreateAlias ") + alias + " " + version + " " + weights);
    String arn = ARN + functionName + ":" + alias;
    aliases.put(alias, AliasConfiguration.builder().aliasArn(arn).name(alias).functionVersion(version)
        .routingConfig(r -> r.additionalVersionWeights(weights)).build());
    return arn;
  }

  @Override
  public void deleteAlias(String functionName, String alias) {
    write("DeleteAlias " + alias);
    aliases.remove(alias);
  }

  @Override
  public Optional<GetProvisionedConcurrencyConfigResponse> provisionedConcurrency(String functionName, String qualifier) {
    return Optional.ofNullable(provisioned.get(qualifier));
  }

  /** Lambda's report of a qualifier's provisioned concurrency, as if it had allocated {@code allocated} of it so far. */
  void reportProvisioned(String qualifier, int requested, int allocated, String status) {
    provisioned.put(qualifier, GetProvisionedConcurrencyConfigResponse.builder().requestedProvisionedConcurrentExecutions(requested)
        .allocatedProvisionedConcurrentExecutions(allocated).status(status).build());
  }

  @Override
  public void provisionConcurrency(String functionName, String qualifier, int executions) {
    write("PutProvisionedConcurrencyConfig " + qualifier + " " + executions);
    reportProvisioned(qualifier, executions, 0, "IN_PROGRESS");
  }

  @Override
  public void removeProvisionedConcurrency(String functionName, String qualifier) {
    write("DeleteProvisionedConcurrencyConfig " + qualifier);
    provisioned.remove(qualifier);
  }

  private void write(String call) {
    log.add(call);
    if (refusal != null) {
      throw refusal;
    }
  }
}
