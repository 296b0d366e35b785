package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.Announcer;
import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.cache.FunctionCatalog;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.CleanupPlan;
import io.lambdaingress.operator.model.OwnedResource;
import io.lambdaingress.operator.model.OwnedResource.Kind;
import io.lambdaingress.operator.model.OwnedResource.Owner;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Clean-up by owner tags for one object, beside the chain that finds its resources by derived name: what
 * carries the object's owner tags but its converged chain does not use is deleted (the old function after a
 * rename, whatever was named after a former cluster name), and a deleted object leaves nothing tagged as
 * its own. The periodic {@link OrphanSweep} uses the same discovery and deletion for objects that are gone.
 */
public final class OwnerTagCleanup {

  private final OperatorSettings settings;
  private final OwnedResources discovery;
  private final OwnedDeletion deletion;
  private final LambdaFunctionClient lambda;
  private final ElbInventory inventory;
  private final FunctionCatalog functions;
  // Tags change only by our writes (which update the caches) or rarely out of band, and here they only select
  // candidates (OwnedDeletion reads each resource afresh before deleting it). Functions: with the event queue,
  // each object's cleanup comes once per full verification (5 to 15 minutes): a 5-minute age re-read every
  // function's tags each time (ListTags: one call per function, the same count as the full verification's
  // own reads of them). Load balancers and target groups: each object's cleanup after every converged run
  // read the tags of every listed one (2,500 at N = 500) within the 5 s window, a sweep that under throttling
  // took longer than the window (bench-scale --faults 500: 46 of 50 threads waited in it). A resource
  // created since is read at first sight, whatever this age.
  private static final java.time.Duration DISCOVERY_TAG_AGE = java.time.Duration.ofHours(1);

  public OwnerTagCleanup(OperatorSettings settings, ElbInventory inventory, LambdaFunctionClient lambda, Clock clock) {
    this.settings = settings;
    this.inventory = inventory;
    this.lambda = lambda;
    // Functions are listed as often as load balancers: at most twice per resync period.
    this.functions = new FunctionCatalog(lambda, settings.resyncPeriod().dividedBy(2), DISCOVERY_TAG_AGE, clock);
    this.discovery = new OwnedResources(inventory, functions, settings.ownedClusterNames(), DISCOVERY_TAG_AGE);
    this.deletion = new OwnedDeletion(inventory, lambda, functions);
  }

  /** The ownership rule for the object: its owner tags, the cluster tag also by a former cluster name. */
  public Ownership ownership(Map<String, String> ownerTags) {
    return Ownership.byTags(ownerTags, settings.formerClusterNames());
  }

  /**
   * After a run that converged the whole chain (so every wanted replacement serves): deletes the object's
   * other tagged resources. {@code wrote}: the run changed something, so the functions come from a listing
   * of the last few seconds (an old function is found at once instead of at the next periodic listing).
   * {@code routeArns}: the target groups and functions of the object's routes, wanted too.
   *
   * @return why it must come back soon (a group still in use by a load balancer being deleted), or null
   */
  public String leftovers(ChainModel model, ChainStatus chain, Set<String> routeArns, boolean wrote, AwsWrites writes) {
    Set<String> wanted = new HashSet<>(routeArns);
    Stream.of(chain.nlbArn(), chain.nlbTargetGroupArn(), chain.nlbHttpsTargetGroupArn(), chain.albArn(), chain.lambdaTargetGroupArn(),
            chain.functionArn())
        .filter(a -> a != null).forEach(wanted::add);
    return deleteTagged(model, wanted, wrote, writes, "no longer part of the chain (it carries this object's owner tags)");
  }

  /**
   * Before the chain is converged, while former cluster names are set: an NLB of a former name goes first
   * when the new NLB asks for static IPs, because AWS gives a private IP to one load balancer at a time
   * (the former NLB holds them). The object is unreachable until the new NLB serves, as in any NLB
   * replacement; without static IPs the former NLB serves until the new chain does.
   */
  public void releaseStaticIps(ChainModel model, AwsWrites writes) {
    boolean staticIps = model.nlb().loadBalancer().subnetMappings().stream().anyMatch(m -> m.privateIPv4Address() != null);
    if (settings.formerClusterNames().isEmpty() || !staticIps) {
      return;
    }
    List<OwnedResource> formerNlbs = CleanupPlan.leftovers(discovery.find(false), settings.formerClusterNames(),
        model.ownerTags().get(ChainModel.TAG_NAMESPACE), model.ownerTags().get(ChainModel.TAG_NAME), Set.of())
        .stream().filter(r -> r.kind() == Kind.NLB).toList();
    if (!formerNlbs.isEmpty()) {
      deletion.delete(formerNlbs, ownership(model.ownerTags()), writes::announce,
          "tagged with a former cluster name; it holds the static IPs the NLB under the new name needs");
    }
  }

  /**
   * After the chain's named resources are deleted: anything else still carrying the object's owner tags, the
   * functions from a listing begun after {@code deletionBegan} (the object's first deletion attempt: all it
   * made exists by then).
   */
  public String remainder(ChainModel model, Instant deletionBegan, AwsWrites writes) {
    return deleteTagged(model, Set.of(), discovery.find(deletionBegan), writes, "object deleted");
  }

  private String deleteTagged(ChainModel model, Set<String> wanted, boolean fresh, AwsWrites writes, String why) {
    return deleteTagged(model, wanted, discovery.find(fresh), writes, why);
  }

  private String deleteTagged(ChainModel model, Set<String> wanted, List<OwnedResource> found, AwsWrites writes, String why) {
    String namespace = model.ownerTags().get(ChainModel.TAG_NAMESPACE);
    String name = model.ownerTags().get(ChainModel.TAG_NAME);
    List<OwnedResource> plan = CleanupPlan.leftovers(found, settings.ownedClusterNames(), namespace, name, wanted);
    return plan.isEmpty() ? null : deletion.delete(plan, ownership(model.ownerTags()), writes::announce, why);
  }

  /**
   * deletionPolicy Retain: every resource of the object is tagged {@link CleanupPlan#TAG_RETAINED}, so that
   * it is left alone and never reported as an orphan. Adopting it again (the same object re-created) drops
   * the tag: the chain's tags are then exactly the spec's.
   */
  public void markRetained(ChainModel model, AwsWrites writes) {
    String namespace = model.ownerTags().get(ChainModel.TAG_NAMESPACE);
    String name = model.ownerTags().get(ChainModel.TAG_NAME);
    Ownership ownership = ownership(model.ownerTags());
    Map<String, String> mark = Map.of(CleanupPlan.TAG_RETAINED, "true");
    for (OwnedResource r : CleanupPlan.leftovers(discovery.find(true), settings.ownedClusterNames(), namespace, name, Set.of())) {
      if (deletion.currentTags(r).filter(ownership::owns).filter(t -> !t.containsKey(CleanupPlan.TAG_RETAINED)).isPresent()) {
        writes.made("Retained", r.describe(), "deletionPolicy Retain: tagged " + CleanupPlan.TAG_RETAINED + " so it is never taken for an orphan",
            () -> {
              if (r.kind() == Kind.FUNCTION) {
                functions.tag(r.arn(), r.tags(), mark);
              } else {
                inventory.writes().retag(r.arn(), r.tags(), mark, List.of());
              }
            });
      }
    }
  }

  // --- for the OrphanSweep ---

  /** Everything tagged by this cluster or a former name of it, the functions listed afresh. */
  List<OwnedResource> everything() {
    return discovery.find(true);
  }

  /** Deletes an orphan's resources (in plan order), each confirmed by its tags read afresh. */
  String deleteOrphan(Owner owner, List<OwnedResource> plan, Announcer announcer) {
    Map<String, String> ownerTags = Map.of(ChainModel.TAG_CLUSTER, settings.clusterName(),
        ChainModel.TAG_NAMESPACE, owner.namespace(), ChainModel.TAG_NAME, owner.name());
    return deletion.delete(plan, ownership(ownerTags), announcer, "orphan: LambdaIngress " + owner.objectKey() + " no longer exists");
  }

  OperatorSettings settings() {
    return settings;
  }
}
