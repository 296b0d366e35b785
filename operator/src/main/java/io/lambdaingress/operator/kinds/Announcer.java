package io.lambdaingress.operator.kinds;

import java.util.function.Supplier;

/**
 * Says an AWS write: {@code AwsWrites} for a live object (log line and Event), a log line for an orphan.
 * A write is said only once AWS accepted it ({@link #made}): a write AWS refuses (ResourceInUse,
 * AccessDenied, a throttle the SDK gave up on) throws, is said by the failure report instead, and the retry
 * that follows never repeats a "Created", "Updated" or "Deleted" that did not happen.
 */
@FunctionalInterface
public interface Announcer {

  /** Says a write already made (AWS accepted it), or, for the few that are not writes, a decision. */
  void announce(String action, String resource, String why);

  /** Makes the write, then says it; a write AWS refuses throws before anything is said. */
  default void made(String action, String resource, String why, Runnable write) {
    write.run();
    announce(action, resource, why);
  }

  /** The same for a write whose answer the caller needs (a created resource, its ARN). */
  default <T> T made(String action, String resource, String why, Supplier<T> write) {
    T answer = write.get();
    announce(action, resource, why);
    return answer;
  }
}
