package io.lambdaingress.operator.model;

import java.util.Map;
import java.util.Optional;

/**
 * One load balancer, target group or function as discovery found it: its kind (read from AWS, not guessed
 * from the name), ARN, name and tags. Who owns it is said by its owner tags alone.
 */
public record OwnedResource(Kind kind, String arn, String name, Map<String, String> tags) {

  /** Declared in the order a chain is deleted: each may still be in use by the ones before it. */
  public enum Kind {
    NLB("NLB"), ALB_TARGET_GROUP("alb target group"), ALB("ALB"), LAMBDA_TARGET_GROUP("lambda target group"), FUNCTION("function");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** As the Events and logs name it, e.g. "alb target group". */
    public String label() {
      return label;
    }
  }

  /** The object a resource's owner tags name: cluster, namespace and name, all three present. */
  public record Owner(String cluster, String namespace, String name) {

    public static Optional<Owner> of(Map<String, String> tags) {
      String cluster = tags.get(ChainModel.TAG_CLUSTER);
      String namespace = tags.get(ChainModel.TAG_NAMESPACE);
      String name = tags.get(ChainModel.TAG_NAME);
      return cluster == null || namespace == null || name == null ? Optional.empty()
          : Optional.of(new Owner(cluster, namespace, name));
    }

    /** "namespace/name", the object's key in Kubernetes. */
    public String objectKey() {
      return namespace + "/" + name;
    }

    @Override
    public String toString() {
      return cluster + "/" + namespace + "/" + name;
    }
  }

  public OwnedResource {
    tags = Map.copyOf(tags);
  }

  public Optional<Owner> owner() {
    return Owner.of(tags);
  }

  /** "NLB li-default-a-1a2b3c4d-nlb": how Events and logs name it. */
  public String describe() {
    return kind.label() + " " + name;
  }
}
