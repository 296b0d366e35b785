package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.FunctionStep;

/**
 * ELB's permission to invoke one function of a LambdaIngress (spec.lambda's or a route's): without a
 * rollout ELB invokes the function itself, under statement {@code statementId}; with one it invokes the
 * alias, under {@code statementId-live} on the alias's own policy (AWS keeps one policy per qualifier).
 * A switch between the two grants the new one first and retires the old one only after the listener or
 * rule has moved (LambdaSwitch), so both the chain and each route do it in the same order.
 */
final class InvokePermission {

  private final FunctionStep functions;
  private final CanaryStep canaries;
  private final String statementId;
  private final String whose;

  /** @param whose prefix of the reasons logged, naming whose function it is ("" or "route orders: ") */
  InvokePermission(FunctionStep functions, CanaryStep canaries, String statementId, String whose) {
    this.functions = functions;
    this.canaries = canaries;
    this.statementId = statementId;
    this.whose = whose;
  }

  private String aliasStatement() {
    return statementId + "-" + CanaryStep.ALIAS;
  }

  /** ELB may invoke, from {@code targetGroupArn}, the alias ({@code viaAlias}) or the function; true when just written. */
  boolean grant(String functionArn, boolean viaAlias, String targetGroupArn) {
    return viaAlias
        ? functions.ensurePermission(functionArn, CanaryStep.ALIAS, aliasStatement(), targetGroupArn)
        : functions.ensurePermission(functionArn, statementId, targetGroupArn);
  }

  /**
   * Once the listener or rule forwards to the wanted group and the other group is gone: with a rollout the
   * function's own permission goes; without one, if a rollout was on before, the alias's permission, the
   * alias and the versions the operator published go. Returns {@link CanaryStep.Result#REMOVED} in that
   * last case, else null.
   */
  CanaryStep.Result retireOther(String functionArn, String functionName, boolean viaAlias, boolean rolloutWasOn) {
    if (viaAlias) {
      functions.removePermission(functionArn, null, statementId, whose + "ELB invokes the alias " + CanaryStep.ALIAS);
      return null;
    }
    if (rolloutWasOn) {
      functions.removePermission(functionArn, CanaryStep.ALIAS, aliasStatement(), whose + "rollout switched off");
      canaries.remove(functionName);
      return CanaryStep.Result.REMOVED;
    }
    return null;
  }
}
