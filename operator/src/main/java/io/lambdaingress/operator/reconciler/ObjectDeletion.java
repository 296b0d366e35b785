package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.RouteModel;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at deleting what a LambdaIngress owns, in the order AWS allows: the routes' rules first (they forward
 * to the routes' groups), then the routes' groups and functions, the endpoint services (AWS deletes an NLB only once
 * no service uses it), the chain, and whatever else still carries the object's owner tags. What earlier attempts
 * finished is not done again ({@link DeletionProgress}).
 */
final class ObjectDeletion {

  private static final Logger log = LoggerFactory.getLogger(ObjectDeletion.class);

  private final RouteReconciler routes;
  private final BiFunction<ChainModel, AwsWrites, PrivateLinkStep> privateLink;
  private final ChainDeletion chain;
  private final OwnerTagCleanup ownerTags;
  private final AwsCallCounter calls;
  private final DeletionProgress progress = new DeletionProgress();

  ObjectDeletion(RouteReconciler routes, BiFunction<ChainModel, AwsWrites, PrivateLinkStep> privateLink, ChainDeletion chain,
      OwnerTagCleanup ownerTags, AwsCallCounter calls) {
    this.routes = routes;
    this.privateLink = privateLink;
    this.chain = chain;
    this.ownerTags = ownerTags;
    this.calls = calls;
  }

  /** Why the deletion must come back (something of it is still in use), or null when nothing of the object's is left. */
  String attempt(LambdaIngress li, ChainModel model, List<RouteModel> routeModels, AwsWrites writes) {
    DeletionProgress.Attempt attempt = progress.of(li.getMetadata().getUid(), Instant.now());
    long callsBefore = calls.callsOnThisThread();
    String outcome = "failed";
    try {
      String waiting = attempt.unlessFinished("routes", () -> routes.delete(model, routeModels, writes));
      if (waiting == null) {
        waiting = attempt.unlessFinished("endpoint services", () -> privateLink.apply(model, writes).deleteAll("object deleted"));
      }
      if (waiting == null) {
        waiting = chain.delete(model, writes, attempt);
      }
      if (waiting == null) {
        waiting = ownerTags.remainder(model, attempt.began(), writes);
      }
      if (waiting == null) {
        attempt.complete();
      }
      outcome = waiting == null ? "done" : "waits: " + waiting;
      return waiting;
    } finally {
      // One line per attempt, with what it cost: a deletion's time at scale is attempts times calls per attempt.
      log.atInfo().addKeyValue("object", FailureReport.key(li)).addKeyValue("awsCalls", calls.callsOnThisThread() - callsBefore)
          .log("deletion {}", outcome);
    }
  }
}
