package io.lambdaingress.operator.model;

import io.lambdaingress.operator.model.OwnedResource.Owner;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What to delete among the resources that carry our owner tags (the AWS Load Balancer Controller's idea:
 * the wanted set against everything tagged as ours), with no I/O. Two questions:
 *
 * <ul>
 *   <li>leftovers of a live object: tagged as its own, not wanted by its converged chain (an old function
 *       after a rename, resources named after a former cluster name, ...);
 *   <li>orphans: tagged as owned by an object of this cluster that no longer exists (deleted while the
 *       operator was down and its finalizer removed by hand).
 * </ul>
 *
 * Both come out in deletion order (NLB, alb target group, ALB, lambda target group, function). A resource
 * is a candidate only when all three owner tags are present and match; the cluster tag may name this
 * cluster or one of its former names ({@code clusterNames}).
 */
public final class CleanupPlan {

  /** Marks the resources of a {@code deletionPolicy: Retain} object that was deleted: never orphans. */
  public static final String TAG_RETAINED = "lambdaingress.io/retained";

  private static final Comparator<OwnedResource> DELETION_ORDER =
      Comparator.comparing(OwnedResource::kind).thenComparing(OwnedResource::arn);

  private CleanupPlan() {}

  /**
   * The object's resources its chain no longer wants.
   *
   * @param wantedArns the ARNs of the converged chain (status pieces); anything else of the object's goes
   */
  public static List<OwnedResource> leftovers(Collection<OwnedResource> found, Set<String> clusterNames,
      String namespace, String name, Set<String> wantedArns) {
    return found.stream()
        .filter(r -> r.owner().filter(o -> clusterNames.contains(o.cluster()) && o.namespace().equals(namespace)
            && o.name().equals(name)).isPresent())
        .filter(r -> !wantedArns.contains(r.arn()))
        .sorted(DELETION_ORDER).toList();
  }

  /**
   * The resources whose owning object does not exist, per owner. Only objects this operator could see
   * count: a namespace it does not watch belongs to another operator (or to none yet), so nothing there is
   * an orphan. Resources a Retain object left behind on purpose are not orphans either.
   *
   * @param existingObjects "namespace/name" of every LambdaIngress that exists, read after {@code found}
   *     so that a resource created in between is never taken for an orphan
   */
  public static Map<Owner, List<OwnedResource>> orphans(Collection<OwnedResource> found, Set<String> clusterNames,
      Predicate<String> watchedNamespace, Set<String> existingObjects) {
    return found.stream()
        .filter(r -> !r.tags().containsKey(TAG_RETAINED))
        .filter(r -> r.owner().filter(o -> clusterNames.contains(o.cluster()) && watchedNamespace.test(o.namespace())
            && !existingObjects.contains(o.objectKey())).isPresent())
        .sorted(DELETION_ORDER)
        .collect(Collectors.groupingBy(r -> r.owner().orElseThrow(), () -> new TreeMap<>(Comparator.comparing(Owner::toString)),
            Collectors.toList()));
  }
}
