package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.ChainModel;
import java.util.Map;
import java.util.Set;

/**
 * The rule that keeps us from touching what is not ours: a resource is ours when it carries all of this
 * object's owner tags, or when it is the very resource the object's status recorded as ours (an identity
 * only a creation of ours can have: see {@code RecordedChain}) — so owner tags removed or changed out of band
 * are put back instead of turning our own resource into a conflict. A name we derive but find taken by
 * anything else is a NameConflict, never an adoption; nothing here ever changes or deletes such a resource.
 *
 * <p>{@code formerClusters}: names this cluster had before (LAMBDA_INGRESS_FORMER_CLUSTER_NAMES). A
 * resource whose cluster tag names one of them, with the same namespace and name, is ours too: the operator
 * told so takes over what it created under its old name (a function keeps its name and is retagged) and
 * deletes the rest once the new chain serves.
 */
public record Ownership(Map<String, String> ownerTags, Set<String> formerClusters, Set<String> recorded) {

  public Ownership {
    ownerTags = Map.copyOf(ownerTags);
    formerClusters = Set.copyOf(formerClusters);
    recorded = Set.copyOf(recorded);
  }

  public Ownership(Map<String, String> ownerTags) {
    this(ownerTags, Set.of(), Set.of());
  }

  /** Ours by tags only, former cluster names included (no status record: deletion, discovery). */
  public static Ownership byTags(Map<String, String> ownerTags, Set<String> formerClusters) {
    return new Ownership(ownerTags, formerClusters, Set.of());
  }

  public boolean owns(Map<String, String> tags) {
    return ownerTags.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey()))
        || e.getKey().equals(ChainModel.TAG_CLUSTER) && tags.get(e.getKey()) != null && formerClusters.contains(tags.get(e.getKey())));
  }

  /** Fails with NameConflict naming the resource when it is not ours by its tags. */
  public void require(String kind, String name, Map<String, String> tags) {
    require(kind, name, null, tags);
  }

  /** Fails with NameConflict naming the resource when it is not ours by its tags nor by the status' record. */
  public void require(String kind, String name, String identity, Map<String, String> tags) {
    if (!owns(tags) && (identity == null || !recorded.contains(identity))) {
      throw new AwsFailure(Reason.NameConflict, kind + " " + name + " already exists and is not owned by this LambdaIngress "
          + "(it lacks the owner tags " + ownerTags + "); the operator will not adopt or change it: "
          + "delete or rename it, or give this object another name");
    }
  }

  /** A function as the status records it: its ARN and the digest of the image it runs. */
  public static String functionIdentity(String functionArn, String imageDigest) {
    return functionArn + "@" + imageDigest;
  }
}
