package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.RolloutSpec;
import io.lambdaingress.operator.aws.AlarmClient;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaVersionClient;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.RolloutMachine;
import io.lambdaingress.operator.model.RolloutMachine.Decision;
import io.lambdaingress.operator.model.RolloutMachine.State;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * A canary rollout's AWS side: a version published per digest, the alias {@link #ALIAS} pointing at the
 * stable version with the canary's weight, and the operator's old versions pruned. What to serve is
 * {@link RolloutMachine}'s decision; this class reads the alarms, publishes, shifts and prunes.
 */
final class CanaryStep {

  static final String ALIAS = "live";
  /** Marks the versions the operator published: only those are ever deleted. */
  static final String DESCRIPTION = "lambdaingress.io rollout of ";

  /** What the reconciler knows of the rollout before this run: spec, status, the retry annotation, now. */
  record Input(RolloutSpec spec, State state, String retryToken, Instant now) {}

  /** The alias's ARN (the target ELB invokes), the rollout's next state and what changed. */
  record Result(String aliasArn, Decision decision) {
    /** The rollout was switched off and its alias, permission and versions are gone. */
    static final Result REMOVED = new Result(null, null);
  }

  private final LambdaVersionClient versions;
  private final AlarmClient alarms;
  private final AwsWrites writes;

  CanaryStep(LambdaVersionClient versions, AlarmClient alarms, AwsWrites writes) {
    this.versions = versions;
    this.alarms = alarms;
    this.writes = writes;
  }

  /** @param digest the digest $LATEST runs now (the function is not busy) */
  Result apply(String functionName, String digest, Input in) {
    List<String> watched = in.spec().getAlarms() == null ? List.of() : in.spec().getAlarms();
    // Alarms matter only while a canary takes traffic: no read otherwise.
    Set<String> alarming = in.state().progressing() ? alarms.inAlarm(watched) : Set.of();
    Decision d = RolloutMachine.next(in.state(), in.spec().getSteps(), digest, in.now(), alarming, in.retryToken());
    List<FunctionConfiguration> published = versions.versions(functionName);
    String stable = versionOf(functionName, published, d.traffic().primaryDigest(), digest);
    String canary = d.traffic().canaryDigest() == null ? null : versionOf(functionName, published, d.traffic().canaryDigest(), digest);
    State next = d.next().withVersions(stable, canary);
    String aliasArn = shift(functionName, stable, canary, d.traffic().weight());
    Set<String> keep = new java.util.HashSet<>();
    keep.add(stable);
    keep.add(Objects.requireNonNullElse(canary, stable));
    prune(functionName, versions.versions(functionName), keep);
    return new Result(aliasArn, new Decision(next, d.traffic(), d.change(), d.wakeAt()));
  }

  /** The version running {@code digest}: the newest published one, or $LATEST published now. */
  private String versionOf(String functionName, List<FunctionConfiguration> published, String digest, String latestDigest) {
    String sha = digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
    return published.stream().filter(v -> sha.equals(v.codeSha256()))
        .max(Comparator.comparingLong(v -> Long.parseLong(v.version()))).map(FunctionConfiguration::version)
        .orElseGet(() -> {
          if (!digest.equals(latestDigest)) {
            throw new AwsFailure(Reason.AwsError, "function " + functionName + " has no version of " + digest
                + " any more (deleted out of band?); the rollout cannot send traffic back to it");
          }
          return writes.made("Published", "version of function " + functionName, digest,
              () -> versions.publish(functionName, sha, DESCRIPTION + digest).version());
        });
  }

  /** The alias: {@code stable}, and {@code weight} % to {@code canary}; written only when it differs. */
  private String shift(String functionName, String stable, String canary, int weight) {
    Map<String, Double> weights = new HashMap<>();
    // AWS refuses an alias whose routing names its own version ("Function version N is already included in
    // routing configuration"): when the canary runs the stable version, all traffic goes to it anyway.
    if (canary != null && !canary.equals(stable) && weight > 0) {
      weights.put(canary, weight / 100.0);
    }
    AliasConfiguration found = versions.alias(functionName, ALIAS).orElse(null);
    if (found != null && stable.equals(found.functionVersion()) && sameWeights(found, weights)) {
      return found.aliasArn();
    }
    return writes.made(found == null ? "Created" : "Updated", "alias " + ALIAS + " of function " + functionName,
        "version " + stable + (weights.isEmpty() ? "" : ", " + weight + " % to version " + canary),
        () -> versions.putAlias(functionName, ALIAS, stable, weights, found != null));
  }

  private static boolean sameWeights(AliasConfiguration a, Map<String, Double> wanted) {
    Map<String, Double> have = a.routingConfig() == null || a.routingConfig().additionalVersionWeights() == null
        ? Map.of() : a.routingConfig().additionalVersionWeights();
    if (!have.keySet().equals(wanted.keySet())) {
      return false;
    }
    return wanted.entrySet().stream().allMatch(e -> Math.abs(have.get(e.getKey()) - e.getValue()) < 1e-6);
  }

  /** Deletes the versions the operator published that neither the stable nor the canary runs. */
  void prune(String functionName, List<FunctionConfiguration> published, Set<String> keep) {
    for (FunctionConfiguration v : published) {
      if (keep.contains(v.version()) || v.description() == null || !v.description().startsWith(DESCRIPTION)) {
        continue;
      }
      try {
        writes.made("Deleted", "version " + v.version() + " of function " + functionName, "neither stable nor canary",
            () -> versions.deleteVersion(functionName, v.version()));
      } catch (AwsFailure f) {
        // Another alias (not ours) still points at it: AWS refuses, and it stays.
        if (!"ResourceConflictException".equals(f.awsErrorCode())) {
          throw f;
        }
      }
    }
  }

  /** Rollout switched off: the alias goes, then every version the operator published. */
  void remove(String functionName) {
    if (versions.alias(functionName, ALIAS).isPresent()) {
      writes.made("Deleted", "alias " + ALIAS + " of function " + functionName, "rollout switched off",
          () -> versions.deleteAlias(functionName, ALIAS));
    }
    prune(functionName, versions.versions(functionName), Set.of());
  }
}
