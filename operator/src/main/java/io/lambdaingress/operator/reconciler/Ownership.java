package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import java.util.Map;

/**
 * The rule that keeps us from touching what is not ours: a resource is ours only when it carries all of
 * this object's owner tags. A name we derive but find taken by anything else is a NameConflict, never an
 * adoption; nothing here ever changes or deletes such a resource.
 */
public record Ownership(Map<String, String> ownerTags) {

  public Ownership {
    ownerTags = Map.copyOf(ownerTags);
  }

  public boolean owns(Map<String, String> tags) {
    return ownerTags.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey())));
  }

  /** Fails with NameConflict naming the resource when it is not ours. */
  public void require(String kind, String name, Map<String, String> tags) {
    if (!owns(tags)) {
      throw new AwsFailure(Reason.NameConflict, kind + " " + name + " already exists and is not owned by this LambdaIngress "
          + "(it lacks the owner tags " + ownerTags + "); the operator will not adopt or change it: "
          + "delete or rename it, or give this object another name");
    }
  }
}
