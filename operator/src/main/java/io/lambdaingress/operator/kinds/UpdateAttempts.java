package io.lambdaingress.operator.kinds;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last update the operator asked AWS to make to each managed function. AWS reports an update it aborted
 * only as LastUpdateStatus Failed, with the previous code and configuration kept: the spec then differs from
 * the function exactly as before, and without this memory the same update would be asked for again and again,
 * each attempt reported as Progressing. Kept in memory only: after a restart a failed update is tried once more.
 */
public final class UpdateAttempts {

  private final Map<String, String> lastAsked = new ConcurrentHashMap<>();

  void asked(String function, String change) {
    lastAsked.put(function, change);
  }

  boolean lastAskedWas(String function, String change) {
    return change.equals(lastAsked.get(function));
  }
}
