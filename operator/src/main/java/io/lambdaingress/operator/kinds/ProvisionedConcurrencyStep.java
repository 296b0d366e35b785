package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.api.ProvisionedConcurrencyStatus;
import io.lambdaingress.operator.aws.LambdaVersions;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;

/**
 * Provisioned concurrency on the alias the ALB invokes ({@link AliasStep#ALIAS}). Lambda refuses it on an alias with
 * weighted routing ("Alias with weights can not be used with Provisioned Concurrency"; terraform-provider-aws#48116 met
 * it), but keeps a configuration made before the weights: so it is asked for while the alias points at one version, stays
 * in force through the canary, and a change asked meanwhile waits for the canary's end. The status is Lambda's own
 * report (IN_PROGRESS, READY, FAILED), read each run.
 */
public final class ProvisionedConcurrencyStep {

  private final LambdaVersions lambda;
  private final Announcer writes;

  public ProvisionedConcurrencyStep(LambdaVersions lambda, Announcer writes) {
    this.lambda = lambda;
    this.writes = writes;
  }

  /**
   * @param desired the spec's value, null for none
   * @param version the version the alias points at (its primary one)
   * @param weighted whether the alias has weighted routing now (a canary takes traffic)
   * @return what the status shows, null when there is none and none is asked
   */
  public ProvisionedConcurrencyStatus ensure(String functionName, Integer desired, String version, boolean weighted) {
    String alias = AliasStep.ALIAS;
    Optional<GetProvisionedConcurrencyConfigResponse> current = lambda.provisionedConcurrency(functionName, alias);
    Integer requested = current.map(GetProvisionedConcurrencyConfigResponse::requestedProvisionedConcurrentExecutions).orElse(null);
    if (desired == null) {
      if (requested != null) {
        writes.made("Updated", "alias " + alias + " of function " + functionName, "provisioned concurrency " + requested + " -> none",
            () -> lambda.removeProvisionedConcurrency(functionName, alias));
      }
      return null;
    }
    if (!Objects.equals(requested, desired)) {
      if (weighted) {
        ProvisionedConcurrencyStatus waiting = status(alias, version, current);
        waiting.setStatusReason(desired + " asked once the canary ends: Lambda refuses provisioned concurrency on an alias with "
            + "weighted routing" + (requested == null ? "" : "; " + requested + " stay in force meanwhile"));
        return waiting;
      }
      writes.made("Updated", "alias " + alias + " of function " + functionName, "provisioned concurrency "
          + Objects.toString(requested, "none") + " -> " + desired, () -> lambda.provisionConcurrency(functionName, alias, desired));
      current = lambda.provisionedConcurrency(functionName, alias);
    }
    return status(alias, version, current);
  }

  private static ProvisionedConcurrencyStatus status(String alias, String version, Optional<GetProvisionedConcurrencyConfigResponse> c) {
    ProvisionedConcurrencyStatus s = new ProvisionedConcurrencyStatus();
    s.setQualifier(alias);
    s.setFunctionVersion(version);
    c.ifPresent(r -> {
      s.setRequested(r.requestedProvisionedConcurrentExecutions());
      s.setAllocated(r.allocatedProvisionedConcurrentExecutions());
      s.setStatus(r.statusAsString());
      s.setStatusReason(r.statusReason());
    });
    return s;
  }
}
