package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.cache.ElbInventory;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run that acted on the shared listing ({@link ElbInventory}) and met a resource that is gone (deleted out
 * of band, still listed): the listing is dropped and the run made once more in the same reconcile, so the
 * object converges now instead of after a failed attempt and its backoff.
 */
final class StaleReadRetry {

  private static final Logger log = LoggerFactory.getLogger(StaleReadRetry.class);

  // AWS error codes that mean "the shared listing was out of date", not "the spec is wrong".
  private static final Set<String> STALE = Set.of("LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound");

  private final ElbInventory inventory;

  StaleReadRetry(ElbInventory inventory) {
    this.inventory = inventory;
  }

  <T> T run(LambdaIngress li, Supplier<T> run) {
    try {
      return run.get();
    } catch (AwsFailure f) {
      // Our own failures (NameConflict, ...) carry no AWS code; Set.of().contains(null) would throw.
      if (f.awsErrorCode() == null || !STALE.contains(f.awsErrorCode())) {
        throw f;
      }
      log.atInfo().addKeyValue("object", li.getMetadata().getNamespace() + "/" + li.getMetadata().getName())
          .log("shared listing out of date ({}); listing again", f.awsErrorCode());
      inventory.listAfresh();
      return run.get();
    }
  }
}
