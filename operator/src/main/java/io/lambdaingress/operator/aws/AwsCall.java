package io.lambdaingress.operator.aws;

import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** The one place where SDK exceptions become {@link AwsFailure}s with our reasons. */
final class AwsCall {

  private AwsCall() {}

  static <T> T run(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw AwsFailure.of(e, what);
    }
  }

  static void run(String what, Runnable call) {
    run(what, () -> {
      call.run();
      return null;
    });
  }

  /** For reads of one named resource: "not found" is an answer (empty), not a failure. */
  static <T> Optional<T> find(String what, Supplier<T> call) {
    try {
      return Optional.ofNullable(run(what, call));
    } catch (AwsFailure f) {
      if (f.isNotFound()) {
        return Optional.empty();
      }
      throw f;
    }
  }
}
