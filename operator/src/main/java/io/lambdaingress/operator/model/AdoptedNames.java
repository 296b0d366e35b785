package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.AdoptSpec;
import java.util.stream.Stream;

/**
 * What spec.adopt names, each as given (ARN or name) and by the name the chain finds it under: the model puts these
 * names where it would put derived ones, so every step finds the adopted resource as it finds one it created. Listeners
 * have no name: they are found on their load balancer by port, and named by ARN only. An ARN carries the name (ELB:
 * {@code loadbalancer/net/NAME/ID}, {@code targetgroup/NAME/ID}; Lambda: {@code function:NAME}), and names are unique
 * per account and region, so the name finds it; whether it is still the resource of that ARN is checked on reading.
 */
public record AdoptedNames(Ref nlb, Ref nlbListener, Ref albTargetGroup, Ref alb, Ref albListener, Ref lambdaTargetGroup, Ref function) {

  public static final AdoptedNames NONE = new AdoptedNames(null, null, null, null, null, null, null);

  /** One reference: as the spec gives it, and the resource's name (null for a listener). */
  public record Ref(String given, String name) {
    public boolean byArn() {
      return given.startsWith("arn:");
    }
  }

  public static AdoptedNames of(AdoptSpec a) {
    if (a == null) {
      return NONE;
    }
    return new AdoptedNames(elb(a.getNlb()), listener(a.getNlbListener()), elb(a.getAlbTargetGroup()), elb(a.getAlb()),
        listener(a.getAlbListener()), elb(a.getLambdaTargetGroup()), function(a.getFunction()));
  }

  public boolean any() {
    return Stream.of(nlb, nlbListener, albTargetGroup, alb, albListener, lambdaTargetGroup, function).anyMatch(r -> r != null);
  }

  /** The adopted name, or {@code derived} when that resource is not adopted. */
  static String or(Ref ref, String derived) {
    return ref == null ? derived : ref.name();
  }

  private static Ref elb(String given) {
    if (given == null) {
      return null;
    }
    if (!given.startsWith("arn:")) {
      return new Ref(given, given);
    }
    // ...:loadbalancer/net/NAME/ID or ...:targetgroup/NAME/ID
    String[] parts = given.split(":", 6)[5].split("/");
    return new Ref(given, parts[0].equals("loadbalancer") ? parts[2] : parts[1]);
  }

  private static Ref listener(String given) {
    return given == null ? null : new Ref(given, null);
  }

  private static Ref function(String given) {
    if (given == null) {
      return null;
    }
    int at = given.indexOf(":function:");
    return new Ref(given, at < 0 ? given : given.substring(at + ":function:".length()));
  }
}
