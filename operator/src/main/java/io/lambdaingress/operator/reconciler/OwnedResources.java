package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.cache.FunctionCatalog;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.OwnedResource;
import io.lambdaingress.operator.model.OwnedResource.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Discovery by owner tags, in bulk across objects: every load balancer, target group and function whose
 * cluster tag names this cluster (or a former name of it). Load balancers and target groups come from the
 * shared {@link ElbInventory} listing and its bulk tag reads (20 ARNs a call), functions from the
 * {@link FunctionCatalog}: a resync of N objects reads no more than its reconciles already do, plus
 * ListFunctions once per listing.
 *
 * <p>The Resource Groups Tagging API (GetResources, 100 resources with their tags a call) would answer the
 * same question in fewer calls for functions; its SDK module is not available to this build, and the ELB
 * side would still be listed for the reconciles anyway.
 */
final class OwnedResources {

  private final ElbInventory elb;
  private final FunctionCatalog functions;
  private final Set<String> clusterNames;
  private final Duration tagAge;

  /** @param tagAge how old the load balancers' and target groups' tags may be (they only select candidates) */
  OwnedResources(ElbInventory elb, FunctionCatalog functions, Set<String> clusterNames, Duration tagAge) {
    this.elb = elb;
    this.functions = functions;
    this.clusterNames = Set.copyOf(clusterNames);
    this.tagAge = tagAge;
  }

  /** What carries our cluster tag; {@code freshFunctions}: functions from a listing of the last few seconds (after our own writes). */
  List<OwnedResource> find(boolean freshFunctions) {
    return find(() -> functions.candidates(freshFunctions));
  }

  /** The same, the functions from a listing begun at {@code functionsListedSince} or later. */
  List<OwnedResource> find(Instant functionsListedSince) {
    return find(() -> functions.candidates(functionsListedSince));
  }

  private List<OwnedResource> find(Supplier<List<OwnedResource>> functionCandidates) {
    List<OwnedResource> found = new ArrayList<>();
    if (!read(functionCandidates, found)) {
      // A listed load balancer or group is gone since the listing (deleted for another object: 500 objects deleted at
      // once do it all the time). It is nobody's to find, not a failure of this discovery; the next one lists afresh.
      elb.listAfresh();
    }
    return found;
  }

  /** Adds what carries our cluster tag to {@code found}; false when a listed resource was gone. */
  private boolean read(Supplier<List<OwnedResource>> functionCandidates, List<OwnedResource> found) {
    boolean allThere = true;
    for (LoadBalancer lb : elb.listedLoadBalancers()) {
      Kind kind = switch (lb.typeAsString()) {
        case "network" -> Kind.NLB;
        case "application" -> Kind.ALB;
        default -> null; // gateway load balancers: never ours
      };
      allThere &= add(found, kind, lb.loadBalancerArn(), lb.loadBalancerName());
    }
    for (TargetGroup tg : elb.listedTargetGroups()) {
      Kind kind = switch (tg.targetTypeAsString()) {
        case "alb" -> Kind.ALB_TARGET_GROUP;
        case "lambda" -> Kind.LAMBDA_TARGET_GROUP;
        default -> null;
      };
      allThere &= add(found, kind, tg.targetGroupArn(), tg.targetGroupName());
    }
    functionCandidates.get().stream().filter(this::ours).forEach(found::add);
    return allThere;
  }

  /** False when the resource is gone since the listing (its tags cannot be read): then it is nobody's to find. */
  private boolean add(List<OwnedResource> found, Kind kind, String arn, String name) {
    if (kind != null) {
      Map<String, String> tags;
      try {
        tags = elb.tags(arn, tagAge);
      } catch (AwsFailure f) {
        if (!f.isNotFound()) {
          throw f;
        }
        return false;
      }
      if (ofOurClusters(tags)) {
        found.add(new OwnedResource(kind, arn, name, tags));
      }
    }
    return true;
  }


  private boolean ours(OwnedResource r) {
    return ofOurClusters(r.tags());
  }

  /** Untagged resources of anyone else are common: an absent cluster tag is simply not ours (Set.of() refuses null). */
  private boolean ofOurClusters(Map<String, String> tags) {
    String cluster = tags.get(ChainModel.TAG_CLUSTER);
    return cluster != null && clusterNames.contains(cluster);
  }

  FunctionCatalog functions() {
    return functions;
  }
}
