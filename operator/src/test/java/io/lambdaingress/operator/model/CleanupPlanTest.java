package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.model.OwnedResource.Kind;
import io.lambdaingress.operator.model.OwnedResource.Owner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CleanupPlanTest {

  private static final Set<String> CLUSTERS = Set.of("prod", "prod-old");

  private static Map<String, String> owner(String cluster, String namespace, String name) {
    return Map.of(ChainModel.TAG_CLUSTER, cluster, ChainModel.TAG_NAMESPACE, namespace, ChainModel.TAG_NAME, name);
  }

  private static OwnedResource r(Kind kind, String arn, Map<String, String> tags) {
    return new OwnedResource(kind, arn, arn, tags);
  }

  /** A whole chain of one owner, listed in creation order (the reverse of deletion order). */
  private static List<OwnedResource> chain(String prefix, Map<String, String> tags) {
    return List.of(r(Kind.FUNCTION, prefix + "fn", tags), r(Kind.LAMBDA_TARGET_GROUP, prefix + "ltg", tags),
        r(Kind.ALB, prefix + "alb", tags), r(Kind.ALB_TARGET_GROUP, prefix + "atg", tags), r(Kind.NLB, prefix + "nlb", tags));
  }

  @Test
  void aConvergedChainHasNoLeftovers() {
    List<OwnedResource> found = chain("new-", owner("prod", "ns", "a"));
    Set<String> wanted = Set.of("new-fn", "new-ltg", "new-alb", "new-atg", "new-nlb");

    assertThat(CleanupPlan.leftovers(found, CLUSTERS, "ns", "a", wanted)).isEmpty();
  }

  @Test
  void theOldFunctionAfterARenameIsTheOnlyLeftover() {
    Map<String, String> tags = owner("prod", "ns", "a");
    List<OwnedResource> found = new java.util.ArrayList<>(chain("new-", tags));
    found.add(r(Kind.FUNCTION, "old-fn", tags));

    assertThat(CleanupPlan.leftovers(found, CLUSTERS, "ns", "a", Set.of("new-fn", "new-ltg", "new-alb", "new-atg", "new-nlb")))
        .extracting(OwnedResource::arn).containsExactly("old-fn");
  }

  @Test
  void aFormerClusterNamesChainIsDeletedInReverseDependencyOrder() {
    List<OwnedResource> found = new java.util.ArrayList<>(chain("old-", owner("prod-old", "ns", "a")));
    found.addAll(chain("new-", owner("prod", "ns", "a")));

    assertThat(CleanupPlan.leftovers(found, CLUSTERS, "ns", "a", Set.of("new-fn", "new-ltg", "new-alb", "new-atg", "new-nlb")))
        .extracting(OwnedResource::arn).containsExactly("old-nlb", "old-atg", "old-alb", "old-ltg", "old-fn");
  }

  @Test
  void aDeletedObjectWantsNothingOfItsOwn() {
    List<OwnedResource> found = chain("a-", owner("prod", "ns", "a"));

    assertThat(CleanupPlan.leftovers(found, CLUSTERS, "ns", "a", Set.of())).extracting(OwnedResource::kind)
        .containsExactly(Kind.NLB, Kind.ALB_TARGET_GROUP, Kind.ALB, Kind.LAMBDA_TARGET_GROUP, Kind.FUNCTION);
  }

  @Test
  void anOrphanCaughtMidRolloutSwitchLosesBothLambdaGroupsBeforeItsFunctions() {
    // A rollout switch under way: the function's group (-ltg) and the alias's (-lta), a route's alias group (-rta).
    Map<String, String> tags = owner("prod", "ns", "a");
    List<OwnedResource> found = new java.util.ArrayList<>(chain("a-", tags));
    found.add(r(Kind.LAMBDA_TARGET_GROUP, "a-lta", tags));
    found.add(r(Kind.LAMBDA_TARGET_GROUP, "a-orders-rta", tags));
    found.add(r(Kind.FUNCTION, "a-orders-fn", tags));

    List<OwnedResource> plan = CleanupPlan.orphans(found, CLUSTERS, ns -> true, Set.of()).get(new Owner("prod", "ns", "a"));
    assertThat(plan).extracting(OwnedResource::kind).containsExactly(Kind.NLB, Kind.ALB_TARGET_GROUP, Kind.ALB,
        Kind.LAMBDA_TARGET_GROUP, Kind.LAMBDA_TARGET_GROUP, Kind.LAMBDA_TARGET_GROUP, Kind.FUNCTION, Kind.FUNCTION);
    assertThat(plan).extracting(OwnedResource::arn).contains("a-ltg", "a-lta", "a-orders-rta");
  }

  @Test
  void neverALeftoverWithoutAllThreeOwnerTagsMatching() {
    Map<String, String> noName = new HashMap<>(owner("prod", "ns", "a"));
    noName.remove(ChainModel.TAG_NAME);
    List<OwnedResource> found = List.of(
        r(Kind.FUNCTION, "other-cluster", owner("staging", "ns", "a")),
        r(Kind.FUNCTION, "other-namespace", owner("prod", "ns2", "a")),
        r(Kind.FUNCTION, "other-name", owner("prod", "ns", "b")),
        r(Kind.FUNCTION, "lookalike-name", owner("prod", "ns", "a-")),
        r(Kind.FUNCTION, "no-name-tag", noName),
        r(Kind.FUNCTION, "no-tags", Map.of()));

    assertThat(CleanupPlan.leftovers(found, CLUSTERS, "ns", "a", Set.of())).isEmpty();
  }

  @Test
  void orphansAreTheResourcesOfObjectsThatNoLongerExist() {
    List<OwnedResource> found = new java.util.ArrayList<>(chain("gone-", owner("prod", "ns", "gone")));
    found.addAll(chain("live-", owner("prod", "ns", "live")));
    found.addAll(chain("renamed-cluster-", owner("prod-old", "ns", "gone-too")));

    Map<Owner, List<OwnedResource>> orphans = CleanupPlan.orphans(found, CLUSTERS, ns -> true, Set.of("ns/live"));

    assertThat(orphans).containsOnlyKeys(new Owner("prod", "ns", "gone"), new Owner("prod-old", "ns", "gone-too"));
    assertThat(orphans.get(new Owner("prod", "ns", "gone"))).extracting(OwnedResource::arn)
        .containsExactly("gone-nlb", "gone-atg", "gone-alb", "gone-ltg", "gone-fn");
  }

  @Test
  void retainedResourcesUnwatchedNamespacesAndOtherClustersAreNeverOrphans() {
    Map<String, String> retained = new HashMap<>(owner("prod", "ns", "kept"));
    retained.put(CleanupPlan.TAG_RETAINED, "true");
    List<OwnedResource> found = List.of(
        r(Kind.NLB, "retained", retained),
        r(Kind.NLB, "unwatched", owner("prod", "elsewhere", "x")),
        r(Kind.NLB, "other-cluster", owner("staging", "ns", "x")));

    assertThat(CleanupPlan.orphans(found, CLUSTERS, "ns"::equals, Set.of())).isEmpty();
  }

  @Test
  void anObjectOfTheSameNameInAnotherNamespaceDoesNotKeepOrphansAlive() {
    List<OwnedResource> found = chain("a-", owner("prod", "ns", "a"));

    assertThat(CleanupPlan.orphans(found, CLUSTERS, ns -> true, Set.of("ns2/a"))).containsOnlyKeys(new Owner("prod", "ns", "a"));
  }
}
