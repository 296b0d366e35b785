package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.ProvisionedConcurrencyStatus;
import io.lambdaingress.operator.api.RolloutSpec;
import io.lambdaingress.operator.aws.AlarmClient;
import io.lambdaingress.operator.aws.LambdaVersions;
import io.lambdaingress.operator.kinds.AliasStep;
import io.lambdaingress.operator.kinds.ProvisionedConcurrencyStep;
import io.lambdaingress.operator.model.RolloutMachine;
import io.lambdaingress.operator.model.RolloutMachine.Decision;
import io.lambdaingress.operator.model.RolloutMachine.State;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * A canary rollout's AWS side: what to serve is {@link RolloutMachine}'s decision; this class reads the
 * alarms, then has {@link AliasStep} publish the versions, shift the alias {@link #ALIAS} (the stable version,
 * the canary's weight) and prune the operator's old versions.
 */
final class CanaryStep {

  static final String ALIAS = AliasStep.ALIAS;

  /**
   * What the reconciler knows of the rollout before this run: spec, status, the retry annotation, now; the function's
   * provisioned concurrency (null: none).
   */
  record Input(RolloutSpec spec, State state, String retryToken, Instant now, Integer provisionedConcurrency) {}

  /** The alias's ARN (the target ELB invokes), the rollout's next state and what changed, its provisioned concurrency. */
  record Result(String aliasArn, Decision decision, ProvisionedConcurrencyStatus provisioned) {
    /** The rollout was switched off and its alias, permission and versions are gone. */
    static final Result REMOVED = new Result(null, null, null);
  }

  private final AliasStep aliases;
  private final AlarmClient alarms;
  private final ProvisionedConcurrencyStep provisioned;

  CanaryStep(LambdaVersions versions, AlarmClient alarms, AwsWrites writes) {
    this.aliases = new AliasStep(versions, writes);
    this.alarms = alarms;
    this.provisioned = new ProvisionedConcurrencyStep(versions, writes);
  }

  /**
   * @param digest the digest $LATEST runs now (the function is not busy)
   * @param latest the configuration $LATEST has now (the spec's: the function step is done)
   */
  Result apply(String functionName, String digest, CreateFunctionRequest latest, Input in) {
    List<String> watched = in.spec().getAlarms() == null ? List.of() : in.spec().getAlarms();
    // Alarms matter only while a canary takes traffic: no read otherwise.
    Set<String> alarming = in.state().progressing() ? alarms.inAlarm(watched) : Set.of();
    Decision d = RolloutMachine.next(in.state(), in.spec().getSteps(), digest, in.now(), alarming, in.retryToken());
    List<FunctionConfiguration> published = aliases.versions(functionName);
    String stable = aliases.versionRunning(functionName, published, d.traffic().primaryDigest(), digest, latest);
    String canary = d.traffic().canaryDigest() == null ? null
        : aliases.versionRunning(functionName, published, d.traffic().canaryDigest(), digest, latest);
    State next = d.next().withVersions(stable, canary);
    String aliasArn = shift(functionName, stable, canary, d.traffic().weight());
    ProvisionedConcurrencyStatus pc = provisioned.ensure(functionName, in.provisionedConcurrency(), stable, weighted(stable, canary,
        d.traffic().weight()));
    Set<String> keep = new HashSet<>();
    keep.add(stable);
    keep.add(Objects.requireNonNullElse(canary, stable));
    List<FunctionConfiguration> now = aliases.versions(functionName);
    // $LATEST's own version stays too (a canary rolled back, waiting for the retry annotation): Lambda would not publish
    // it again while $LATEST is unchanged (AliasStep#latestsVersion).
    AliasStep.latestsVersion(now, digest, latest).ifPresent(keep::add);
    aliases.prune(functionName, now, keep, "neither stable nor canary nor $LATEST's");
    return new Result(aliasArn, new Decision(next, d.traffic(), d.change(), d.wakeAt()), pc);
  }

  /** The alias: {@code stable}, and {@code weight} % to {@code canary}. */
  private String shift(String functionName, String stable, String canary, int weight) {
    Map<String, Double> weights = new HashMap<>();
    // AWS refuses an alias whose routing names its own version ("Function version N is already included in
    // routing configuration"): when the canary runs the stable version, all traffic goes to it anyway.
    if (weighted(stable, canary, weight)) {
      weights.put(canary, weight / 100.0);
    }
    return aliases.ensure(functionName, stable, weights,
        "version " + stable + (weights.isEmpty() ? "" : ", " + weight + " % to version " + canary));
  }

  private static boolean weighted(String stable, String canary, int weight) {
    return canary != null && !canary.equals(stable) && weight > 0;
  }

  /** Rollout switched off: the alias goes, then every version the operator published. */
  void remove(String functionName) {
    aliases.remove(functionName, "rollout switched off");
  }
}
