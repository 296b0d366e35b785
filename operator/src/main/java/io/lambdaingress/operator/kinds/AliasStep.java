package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaVersions;
import io.lambdaingress.operator.aws.Reason;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * The alias {@link #ALIAS} of a managed function and the versions the operator publishes for it: a version
 * published per image digest, the alias pointing at one version with a weight to at most one other, and
 * the operator's versions that neither serves deleted. Every deletion of an alias or a version is here; only
 * versions the operator published ({@link #DESCRIPTION}) are ever deleted.
 */
public final class AliasStep {

  public static final String ALIAS = "live";
  /** Marks the versions the operator published: only those are ever deleted. */
  public static final String DESCRIPTION = "lambdaingress.io rollout of ";
  // AWS refuses to delete a version another alias (not ours) still points at.
  private static final String IN_USE = "ResourceConflictException";
  private static final Comparator<FunctionConfiguration> NEWEST = Comparator.comparingLong(v -> Long.parseLong(v.version()));

  private final LambdaVersions versions;
  private final Announcer writes;

  public AliasStep(LambdaVersions versions, Announcer writes) {
    this.versions = versions;
    this.writes = writes;
  }

  /** The published versions of the function. */
  public List<FunctionConfiguration> versions(String functionName) {
    return versions.versions(functionName);
  }

  /**
   * The version running {@code digest}: the newest of {@code published}, or, for the digest $LATEST runs
   * ({@code latestDigest}), $LATEST published now. A digest that has no version and is not $LATEST's any more
   * fails: nothing can bring its code back.
   *
   * <p>For $LATEST's digest a version counts only with $LATEST's configuration ({@code latest}: the spec's role, timeout,
   * memory, environment, VPC, which $LATEST has once the function step is done): a version is a snapshot of both, and the
   * alias serves what the version holds. Matched by code alone, a change of the configuration alone (memory, say) reached
   * $LATEST but never the alias, which kept serving the version published before it. Such a change is published at
   * once and the alias moved to it; only a new image goes through the canary's steps. An older digest keeps the
   * configuration it was published with (its code cannot be published again with another).
   */
  public String versionRunning(String functionName, List<FunctionConfiguration> published, String digest, String latestDigest,
      CreateFunctionRequest latest) {
    String sha = sha(digest);
    boolean isLatest = digest.equals(latestDigest);
    Optional<String> found = isLatest ? latestsVersion(published, latestDigest, latest)
        : published.stream().filter(v -> sha.equals(v.codeSha256())).max(NEWEST).map(FunctionConfiguration::version);
    return found.orElseGet(() -> {
      if (!isLatest) {
        throw new AwsFailure(Reason.AwsError, "function " + functionName + " has no version of " + digest
            + " any more (deleted out of band?); the rollout cannot send traffic back to it");
      }
      FunctionConfiguration answer = writes.made("Published", "version of function " + functionName, digest,
          () -> versions.publish(functionName, sha, DESCRIPTION + digest));
      // Lambda publishes no version of a $LATEST unchanged since its last one, and answers with an existing version
      // instead: when that one was deleted, the answer can be a version of other code. Never send traffic to it.
      if (!sha.equals(answer.codeSha256())) {
        throw new AwsFailure(Reason.AwsError, "function " + functionName + ": PublishVersion of " + digest + " answered version "
            + answer.version() + ", which runs sha256:" + answer.codeSha256() + " ($LATEST unchanged since a version of it that was "
            + "deleted out of band?); any change to the function's configuration lets Lambda publish it again");
      }
      return answer.version();
    });
  }

  /**
   * The version Lambda holds of $LATEST as it is now ({@code latestDigest} and configuration {@code latest}), if any: the
   * newest such. Kept by {@link #prune}: Lambda publishes no version of a $LATEST unchanged since its last version and
   * answers with that one, so a version of $LATEST deleted while $LATEST stays (a canary rolled back) could not be
   * published again.
   */
  public static Optional<String> latestsVersion(List<FunctionConfiguration> published, String latestDigest, CreateFunctionRequest latest) {
    String sha = sha(latestDigest);
    return published.stream().filter(v -> sha.equals(v.codeSha256())).filter(v -> FunctionStep.configurationChange(latest, v) == null)
        .max(NEWEST).map(FunctionConfiguration::version);
  }

  private static String sha(String digest) {
    return digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
  }

  /**
   * The alias on {@code version} with {@code weights} (version -> 0..1) to another; written only when it
   * differs. Returns its ARN.
   *
   * @param describe what it points at, for the Event
   */
  public String ensure(String functionName, String version, Map<String, Double> weights, String describe) {
    AliasConfiguration found = versions.alias(functionName, ALIAS).orElse(null);
    if (found != null && version.equals(found.functionVersion()) && sameWeights(found, weights)) {
      return found.aliasArn();
    }
    return writes.made(found == null ? "Created" : "Updated", "alias " + ALIAS + " of function " + functionName, describe,
        () -> versions.putAlias(functionName, ALIAS, version, weights, found != null));
  }

  private static boolean sameWeights(AliasConfiguration a, Map<String, Double> wanted) {
    Map<String, Double> have = a.routingConfig() == null || a.routingConfig().additionalVersionWeights() == null
        ? Map.of() : a.routingConfig().additionalVersionWeights();
    if (!have.keySet().equals(wanted.keySet())) {
      return false;
    }
    return wanted.entrySet().stream().allMatch(e -> Math.abs(have.get(e.getKey()) - e.getValue()) < 1e-6);
  }

  /** Deletes the versions the operator published that are not in {@code keep}; one AWS refuses (another alias uses it) stays. */
  public void prune(String functionName, List<FunctionConfiguration> published, Set<String> keep, String why) {
    for (FunctionConfiguration v : published) {
      if (keep.contains(v.version()) || v.description() == null || !v.description().startsWith(DESCRIPTION)) {
        continue;
      }
      try {
        writes.made("Deleted", "version " + v.version() + " of function " + functionName, why,
            () -> versions.deleteVersion(functionName, v.version()));
      } catch (AwsFailure f) {
        if (!IN_USE.equals(f.awsErrorCode())) {
          throw f;
        }
      }
    }
  }

  /** The alias, then every version the operator published: gone. */
  public void remove(String functionName, String why) {
    if (versions.alias(functionName, ALIAS).isPresent()) {
      writes.made("Deleted", "alias " + ALIAS + " of function " + functionName, why, () -> versions.deleteAlias(functionName, ALIAS));
    }
    prune(functionName, versions.versions(functionName), Set.of(), why);
  }
}
