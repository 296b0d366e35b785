package io.lambdaingress.operator.kinds;

/**
 * Says an AWS write: {@code AwsWrites} for a live object (log line and Event), a log line for an orphan.
 * Creations and updates are said before the call; a deletion once AWS accepted it, so a deletion AWS refuses
 * (ResourceInUse, AccessDenied) and that is tried again never claims "Deleted".
 */
@FunctionalInterface
public interface Announcer {
  void announce(String action, String resource, String why);
}
