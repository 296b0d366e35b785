package io.lambdaingress.operator.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every AWS action the operators of this test JVM called (Failsafe runs all integration tests in one JVM):
 * what IamPolicyIT compares docs/iam-policy.json with.
 */
public final class SuiteAwsCalls {

  private static final Set<String> CALLED = ConcurrentHashMap.newKeySet();
  private static final Set<String> CLASSES = ConcurrentHashMap.newKeySet();

  private SuiteAwsCalls() {}

  static void record(Map<String, Long> calls, String testClass) {
    CALLED.addAll(calls.keySet());
    CLASSES.add(testClass);
  }

  public static Set<String> called() {
    return Set.copyOf(CALLED);
  }

  /** The test classes whose operator calls were recorded. */
  public static Set<String> recordedFrom() {
    return Set.copyOf(CLASSES);
  }
}
