package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.api.LambdaIngressStatus;
import io.lambdaingress.operator.api.RouteStatus;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.model.AlbSlot;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.RouteModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * Converges and deletes an object's routes ({@link RouteStep}) beside its chain: after the chain (the rules
 * live on its ALB listener) and before the clean-up by owner tags (which must see the routes' resources as
 * wanted); on deletion before the chain (rules first, then the routes' groups and functions).
 */
public final class RouteReconciler {

  private final AwsClients aws;
  private final ElbInventory inventory;
  private final ChainReconciler chain;
  private final Set<String> formerClusters;

  public RouteReconciler(AwsClients aws, ElbInventory inventory, ChainReconciler chain, Set<String> formerClusters) {
    this.aws = aws;
    this.inventory = inventory;
    this.chain = chain;
    this.formerClusters = Set.copyOf(formerClusters);
  }

  /**
   * @param listenerArns the ALB listeners the rules go on ({@link ChainStatus#routedListenerArns})
   * @param unroutedListenerArns listeners of ours that carry no rule (the HTTP one while it redirects to HTTPS)
   * @param rollouts each route's rollout input by route name (routes with a rollout only)
   */
  public RouteStep.Outcome apply(ChainModel desired, List<RouteModel> routes, List<String> listenerArns, List<String> unroutedListenerArns,
      LambdaIngressStatus previous, AwsWrites writes, Map<String, CanaryStep.Input> rollouts) {
    RecordedChain recordedChain = RecordedChain.of(previous);
    Map<String, RouteStatus> recorded = new HashMap<>();
    if (previous != null && previous.getRoutes() != null) {
      previous.getRoutes().forEach(r -> recorded.put(r.getName(), r));
    }
    Ownership ownership = new Ownership(desired.ownerTags(), formerClusters, recordedChain.identities());
    return step(ownership, writes).apply(routes, listenerArns, unroutedListenerArns, recorded, rollouts);
  }

  /** Returns why it must be called again, or null when no route piece of ours is left. */
  public String delete(ChainModel desired, List<RouteModel> routes, AwsWrites writes) {
    if (routes.isEmpty()) {
      return null;
    }
    Ownership ownership = Ownership.byTags(desired.ownerTags(), formerClusters);
    // The ALBs of both sides (AlbSlot): the second one after a replacement, both during one.
    List<LoadBalancer> albs = Stream.of(AlbSlot.values()).map(slot -> aws.elbV2().loadBalancer(desired.inSlot(slot).alb().name()))
        .flatMap(Optional::stream).toList();
    return step(ownership, writes).delete(routes, albs);
  }

  private RouteStep step(Ownership ownership, AwsWrites writes) {
    return new RouteStep(inventory, aws.lambda(), ownership, writes, chain::pin, new CanaryStep(aws.lambdaVersions(), aws.alarms(), writes));
  }
}
