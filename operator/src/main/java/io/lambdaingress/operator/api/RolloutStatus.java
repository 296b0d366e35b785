package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Where a rollout is: the whole of its state (no timer lives only in the operator's memory), so a restarted
 * or newly elected operator carries on at the same step.
 */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {

  @JsonPropertyDescription("Progressing (a canary takes part of the traffic), Succeeded (the stable version takes it all) or Aborted "
      + "(an alarm sent the traffic back to the stable version; the aborted digest is not tried again until the tag moves or "
      + "the annotation lambdaingress.io/retry-rollout changes).")
  private String result;

  @JsonPropertyDescription("Version (published by the operator) that takes the traffic the canary does not.")
  private String stableVersion;

  @JsonPropertyDescription("Image digest of the stable version.")
  private String stableDigest;

  @JsonPropertyDescription("Version being rolled out, while Progressing.")
  private String canaryVersion;

  @JsonPropertyDescription("Image digest being rolled out, while Progressing.")
  private String canaryDigest;

  @JsonPropertyDescription("Percent of the requests the canary gets now (0 when no rollout is under way).")
  private Integer weight;

  @JsonPropertyDescription("The step under way, from 1 (0 when no rollout is under way).")
  private Integer step;

  @JsonPropertyDescription("When the rollout of canaryDigest started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the next step (or the promotion to 100 %) is due (RFC 3339).")
  private String nextStepAt;

  @JsonPropertyDescription("Digest whose rollout was aborted; not rolled out again while the tag still points at it.")
  private String abortedDigest;

  @JsonPropertyDescription("The alarm that aborted the rollout.")
  private String abortedBy;

  @JsonPropertyDescription("Value of the annotation lambdaingress.io/retry-rollout when the rollout was aborted; a different value retries.")
  private String retryToken;

  @JsonPropertyDescription("Provisioned concurrency (spec...function.provisionedConcurrency) on the alias live: where, how much, READY or not.")
  private ProvisionedConcurrencyStatus provisionedConcurrency;

  public ProvisionedConcurrencyStatus getProvisionedConcurrency() {
    return provisionedConcurrency;
  }

  public void setProvisionedConcurrency(ProvisionedConcurrencyStatus provisionedConcurrency) {
    this.provisionedConcurrency = provisionedConcurrency;
  }

  public String getResult() {
    return result;
  }

  public void setResult(String result) {
    this.result = result;
  }

  public String getStableVersion() {
    return stableVersion;
  }

  public void setStableVersion(String stableVersion) {
    this.stableVersion = stableVersion;
  }

  public String getStableDigest() {
    return stableDigest;
  }

  public void setStableDigest(String stableDigest) {
    this.stableDigest = stableDigest;
  }

  public String getCanaryVersion() {
    return canaryVersion;
  }

  public void setCanaryVersion(String canaryVersion) {
    this.canaryVersion = canaryVersion;
  }

  public String getCanaryDigest() {
    return canaryDigest;
  }

  public void setCanaryDigest(String canaryDigest) {
    this.canaryDigest = canaryDigest;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public Integer getStep() {
    return step;
  }

  public void setStep(Integer step) {
    this.step = step;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getNextStepAt() {
    return nextStepAt;
  }

  public void setNextStepAt(String nextStepAt) {
    this.nextStepAt = nextStepAt;
  }

  public String getAbortedDigest() {
    return abortedDigest;
  }

  public void setAbortedDigest(String abortedDigest) {
    this.abortedDigest = abortedDigest;
  }

  public String getAbortedBy() {
    return abortedBy;
  }

  public void setAbortedBy(String abortedBy) {
    this.abortedBy = abortedBy;
  }

  public String getRetryToken() {
    return retryToken;
  }

  public void setRetryToken(String retryToken) {
    this.retryToken = retryToken;
  }
}
