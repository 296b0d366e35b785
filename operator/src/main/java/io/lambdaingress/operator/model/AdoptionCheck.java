package io.lambdaingress.operator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetMapping;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Whether a resource spec.adopt names may become the object's, with no I/O: each one as read from AWS against what
 * the model would create. What AWS sets only at creation (type, scheme, subnets and static IPs of an NLB, VPC,
 * a target group's type, protocol and port, a function's package type) must already be the spec's: adopting would
 * otherwise mean replacing it, which is what adoption is for avoiding; such a difference is refused, naming the
 * field, the resource's value and the spec's. What AWS changes in place is listed, to be said field by field and
 * then changed by the chain's usual steps. A resource carrying another LambdaIngress's owner tags is never shared.
 */
public final class AdoptionCheck {

  /** What an adopted resource serves as, and the spec.adopt field that names it. */
  public enum Kind {
    NLB("NLB", "spec.adopt.nlb"), NLB_LISTENER("NLB listener", "spec.adopt.nlbListener"),
    ALB_TARGET_GROUP("alb target group", "spec.adopt.albTargetGroup"), ALB("ALB", "spec.adopt.alb"),
    ALB_LISTENER("ALB listener", "spec.adopt.albListener"), LAMBDA_TARGET_GROUP("lambda target group", "spec.adopt.lambdaTargetGroup"),
    FUNCTION("function", "spec.adopt.function");

    private final String label;
    private final String field;

    Kind(String label, String field) {
      this.label = label;
      this.field = field;
    }

    public String label() {
      return label;
    }

    public String field() {
      return field;
    }
  }

  /** One field that differs: its spec path (or what it is), the resource's value and the spec's. */
  public record Difference(String field, String observed, String wanted) {
    public String describe() {
      return field + ": " + observed + " -> " + wanted;
    }
  }

  /**
   * One adopted resource compared.
   *
   * @param inPlace what AWS changes in place (the chain's steps change it)
   * @param fixed what AWS sets only at creation: any is a refusal
   * @param problem a refusal of another kind (the listener is not on the adopted load balancer), or null
   */
  public record Finding(Kind kind, String name, String arn, Map<String, String> tags, List<Difference> inPlace,
      List<Difference> fixed, String problem) {
    public Finding {
      tags = Map.copyOf(tags);
      inPlace = List.copyOf(inPlace);
      fixed = List.copyOf(fixed);
    }

    public String resource() {
      return kind.label() + " " + (name == null ? arn : name);
    }
  }

  /** Why adoption is refused, said for a person; {@code conflict}: another object owns something (else the spec is wrong). */
  public record Refusal(boolean conflict, String message) {}

  private AdoptionCheck() {}

  /**
   * The refusal, if any: a resource owned by another object first (NameConflict), else every creation-only
   * difference and listener misplacement in one message (InvalidSpec); empty when adoption may go on.
   *
   * @param owns whether tags make a resource this object's (its owner tags, or a former cluster name's)
   */
  public static Optional<Refusal> refusal(List<Finding> findings, Predicate<Map<String, String>> owns) {
    List<String> conflicts = findings.stream().filter(f -> ownedByAnother(f.tags(), owns))
        .map(f -> f.kind().field() + ": " + f.resource() + " is owned by LambdaIngress " + f.tags().get(ChainModel.TAG_NAMESPACE) + "/"
            + f.tags().get(ChainModel.TAG_NAME) + " (cluster " + f.tags().get(ChainModel.TAG_CLUSTER) + ")")
        .toList();
    if (!conflicts.isEmpty()) {
      return Optional.of(new Refusal(true, String.join("; ", conflicts) + ": a resource is never shared between two objects; "
          + "delete that object with deletionPolicy Retain first, or leave the resource out of spec.adopt"));
    }
    List<String> wrong = new ArrayList<>();
    for (Finding f : findings) {
      if (f.problem() != null) {
        wrong.add(f.kind().field() + ": " + f.problem());
      }
      f.fixed().forEach(d -> wrong.add(f.resource() + ": " + d.field() + " is " + d.observed() + " on the resource but " + d.wanted()
          + " in the spec"));
    }
    if (wrong.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Refusal(false, "cannot adopt without replacing: " + String.join("; ", wrong) + " (AWS sets these only at "
        + "creation): make the spec say what the resource has, or leave the resource out of spec.adopt to have a new one created; "
        + "nothing was changed in AWS"));
  }

  /** Carries owner tags (some of them) that are not this object's. */
  static boolean ownedByAnother(Map<String, String> tags, Predicate<Map<String, String>> owns) {
    boolean tagged = tags.containsKey(ChainModel.TAG_CLUSTER) || tags.containsKey(ChainModel.TAG_NAMESPACE) || tags.containsKey(ChainModel.TAG_NAME);
    return tagged && !owns.test(tags);
  }

  public static Finding nlb(ChainModel.NlbSide desired, String vpcId, LoadBalancer lb, Map<String, String> attributes,
      Map<String, String> tags) {
    List<Difference> fixed = loadBalancerFixed(desired.loadBalancer().typeAsString(), desired.loadBalancer().schemeAsString(),
        "spec.nlb.scheme", "VPC (of spec.nlb.subnetMappings)", vpcId, lb);
    Set<String> wantedSubnets = desired.loadBalancer().subnetMappings().stream().map(SubnetMapping::subnetId).collect(Collectors.toCollection(TreeSet::new));
    Set<String> subnets = subnetsOf(lb);
    if (!wantedSubnets.equals(subnets)) {
      fixed.add(new Difference("spec.nlb.subnetMappings[].subnetId", subnets.toString(), wantedSubnets.toString()));
    }
    for (SubnetMapping m : desired.loadBalancer().subnetMappings()) {
      // AWS reports each zone's private address; where it reports none there is nothing to compare.
      List<String> reported = lb.availabilityZones().stream().filter(az -> m.subnetId().equals(az.subnetId()))
          .flatMap(az -> az.loadBalancerAddresses().stream()).map(a -> a.privateIPv4Address()).filter(Objects::nonNull).toList();
      if (m.privateIPv4Address() != null && !reported.isEmpty() && !reported.contains(m.privateIPv4Address())) {
        fixed.add(new Difference("spec.nlb.subnetMappings[].privateIPv4Address (" + m.subnetId() + ")", String.join(",", reported),
            m.privateIPv4Address()));
      }
    }
    // AWS gives an NLB security groups only at its creation and never takes them all away: with or without is fixed.
    Set<String> groups = new TreeSet<>(lb.securityGroups());
    Set<String> wantedGroups = new TreeSet<>(desired.loadBalancer().securityGroups());
    if (groups.isEmpty() != wantedGroups.isEmpty()) {
      fixed.add(new Difference("spec.nlb.securityGroups", groups.toString(), wantedGroups.toString()));
    }
    List<Difference> inPlace = new ArrayList<>();
    if (!groups.isEmpty() && !wantedGroups.isEmpty() && !groups.equals(wantedGroups)) {
      inPlace.add(new Difference("spec.nlb.securityGroups", groups.toString(), wantedGroups.toString()));
    }
    attributes(desired.attributes(), attributes, "spec.nlb.crossZoneLoadBalancing", inPlace);
    tagDifference(desired.loadBalancer().tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())), tags).ifPresent(inPlace::add);
    return new Finding(Kind.NLB, lb.loadBalancerName(), lb.loadBalancerArn(), tags, inPlace, fixed, null);
  }

  public static Finding alb(ChainModel.AlbSide desired, String vpcId, LoadBalancer lb, Map<String, String> tags) {
    List<Difference> fixed = loadBalancerFixed(desired.loadBalancer().typeAsString(), desired.loadBalancer().schemeAsString(),
        "spec.alb.scheme", "VPC (of spec.alb.subnets)", vpcId, lb);
    List<Difference> inPlace = new ArrayList<>();
    // An ALB's subnets and security groups are changed in place (SetSubnets, SetSecurityGroups): its IPs are AWS's anyway.
    Set<String> subnets = subnetsOf(lb);
    Set<String> wantedSubnets = new TreeSet<>(desired.loadBalancer().subnets());
    if (!wantedSubnets.equals(subnets)) {
      inPlace.add(new Difference("spec.alb.subnets", subnets.toString(), wantedSubnets.toString()));
    }
    Set<String> groups = new TreeSet<>(lb.securityGroups());
    Set<String> wantedGroups = new TreeSet<>(desired.loadBalancer().securityGroups());
    if (!wantedGroups.isEmpty() && !wantedGroups.equals(groups)) {
      inPlace.add(new Difference("spec.alb.securityGroups", groups.toString(), wantedGroups.toString()));
    }
    tagDifference(desired.loadBalancer().tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())), tags).ifPresent(inPlace::add);
    return new Finding(Kind.ALB, lb.loadBalancerName(), lb.loadBalancerArn(), tags, inPlace, fixed, null);
  }

  /**
   * A listener: on the adopted load balancer, or refused; its protocol, port and default action are changed in place.
   *
   * @param forwardTo the name of the target group the chain makes it forward to
   */
  public static Finding listener(Kind kind, Listener l, String loadBalancerArn, String loadBalancerName, String protocol, int port,
      String portField, String forwardTo, Map<String, String> tags) {
    if (!l.loadBalancerArn().equals(loadBalancerArn)) {
      return new Finding(kind, null, l.listenerArn(), tags, List.of(), List.of(), "listener " + l.listenerArn() + " is on load balancer "
          + l.loadBalancerArn() + ", not on " + loadBalancerName + " (" + loadBalancerArn + ")");
    }
    List<Difference> inPlace = new ArrayList<>();
    if (!protocol.equals(l.protocolAsString())) {
      inPlace.add(new Difference("protocol", l.protocolAsString(), protocol));
    }
    if (l.port() != port) {
      inPlace.add(new Difference(portField, String.valueOf(l.port()), String.valueOf(port)));
    }
    List<String> now = l.defaultActions().stream().map(AdoptionCheck::describe).toList();
    if (!now.equals(List.of("forward to " + forwardTo))) {
      inPlace.add(new Difference("default action", String.join(", ", now), "forward to " + forwardTo));
    }
    return new Finding(kind, null, l.listenerArn(), tags, inPlace, List.of(), null);
  }

  /**
   * A listener of an adopted load balancer on a port the chain serves on, when spec.adopt names no listener of it: AWS
   * allows one listener per port, so the chain could not create its own there, only change this one, and what spec.adopt
   * does not name is never changed (nor could it be: the IAM policy lets the operator change a listener of a load balancer
   * it did not name {@code li-*} only by our owner tag). Refused unless it is already this object's (one the operator
   * created there, which carries the owner tags from its creation on); another object's is a NameConflict.
   *
   * @param portField the spec field asking for a listener on that port
   * @param nameable whether spec.adopt could name it ({@code kind}'s field is free and this is the port it serves as);
   *     else it is to be deleted, or the spec to take another port
   */
  public static Optional<Finding> unnamedListener(Kind kind, Listener l, String loadBalancerName, String portField, boolean nameable,
      Map<String, String> tags, Predicate<Map<String, String>> owns) {
    if (owns.test(tags)) {
      return Optional.empty();
    }
    String remedy = nameable ? "name it in " + kind.field() + " to adopt it" : "delete it, or set " + portField + " to a port it does not use";
    return Optional.of(new Finding(kind, null, l.listenerArn(), tags, List.of(), List.of(), "listener " + l.listenerArn() + " of "
        + loadBalancerName + " is on port " + l.port() + " (" + portField + ") but spec.adopt does not name it: " + remedy
        + " (a load balancer has one listener per port, so the chain cannot create its own beside it)"));
  }

  /** A target group: type, protocol, port and VPC as the model's, or refused; the health check and attributes in place. */
  public static Finding targetGroup(Kind kind, software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest desired,
      String portField, Map<String, String> wantedAttributes, String attributeField, TargetGroup tg, Map<String, String> attributes,
      Map<String, String> tags) {
    List<Difference> fixed = new ArrayList<>();
    if (!Objects.equals(desired.targetTypeAsString(), tg.targetTypeAsString())) {
      fixed.add(new Difference("target type", tg.targetTypeAsString(), desired.targetTypeAsString()));
    }
    if (desired.protocol() != null && !Objects.equals(desired.protocolAsString(), tg.protocolAsString())) {
      fixed.add(new Difference("protocol", tg.protocolAsString(), desired.protocolAsString()));
    }
    if (desired.port() != null && !Objects.equals(desired.port(), tg.port())) {
      fixed.add(new Difference(portField, String.valueOf(tg.port()), String.valueOf(desired.port())));
    }
    if (desired.vpcId() != null && !Objects.equals(desired.vpcId(), tg.vpcId())) {
      fixed.add(new Difference("VPC", tg.vpcId(), desired.vpcId()));
    }
    List<Difference> inPlace = new ArrayList<>();
    if (desired.healthCheckPath() != null && !desired.healthCheckPath().equals(tg.healthCheckPath())) {
      inPlace.add(new Difference("spec.nlb.healthCheck.path", tg.healthCheckPath(), desired.healthCheckPath()));
    }
    if (desired.healthCheckProtocol() != null && !desired.healthCheckProtocolAsString().equals(tg.healthCheckProtocolAsString())) {
      inPlace.add(new Difference("health check protocol", tg.healthCheckProtocolAsString(), desired.healthCheckProtocolAsString()));
    }
    if (desired.healthCheckPort() != null && !desired.healthCheckPort().equals(tg.healthCheckPort())) {
      inPlace.add(new Difference("health check port", tg.healthCheckPort(), desired.healthCheckPort()));
    }
    attributes(wantedAttributes, attributes, attributeField, inPlace);
    tagDifference(desired.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())), tags).ifPresent(inPlace::add);
    return new Finding(kind, tg.targetGroupName(), tg.targetGroupArn(), tags, inPlace, fixed, null);
  }

  private static List<Difference> loadBalancerFixed(String type, String scheme, String schemeField, String vpcField, String vpcId,
      LoadBalancer lb) {
    List<Difference> fixed = new ArrayList<>();
    if (!type.equals(lb.typeAsString())) {
      fixed.add(new Difference("type", lb.typeAsString(), type));
    }
    if (!scheme.equals(lb.schemeAsString())) {
      fixed.add(new Difference(schemeField, lb.schemeAsString(), scheme));
    }
    if (vpcId != null && !vpcId.equals(lb.vpcId())) {
      fixed.add(new Difference(vpcField, lb.vpcId(), vpcId));
    }
    return fixed;
  }

  private static Set<String> subnetsOf(LoadBalancer lb) {
    return lb.availabilityZones().stream().map(az -> az.subnetId()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static void attributes(Map<String, String> wanted, Map<String, String> observed, String field, List<Difference> into) {
    wanted.forEach((k, v) -> {
      if (!v.equals(observed.get(k))) {
        into.add(new Difference(field + " (" + k + ")", String.valueOf(observed.get(k)), v));
      }
    });
  }

  /**
   * The tags besides the owner tags (which adoption adds): the resource gets exactly spec.tags, so a tag only the
   * resource has is removed. Keys only (values may be sensitive); AWS's own (aws:) are never touched.
   */
  static Optional<Difference> tagDifference(Map<String, String> wanted, Map<String, String> observed) {
    Map<String, String> want = withoutOwnerTags(wanted);
    Map<String, String> have = withoutOwnerTags(observed);
    if (want.equals(have)) {
      return Optional.empty();
    }
    return Optional.of(new Difference("spec.tags", "keys " + new TreeSet<>(have.keySet()), "keys " + new TreeSet<>(want.keySet())
        + changedValues(have, want)));
  }

  private static Map<String, String> withoutOwnerTags(Map<String, String> tags) {
    return tags.entrySet().stream().filter(e -> !e.getKey().startsWith("lambdaingress.io/") && !e.getKey().startsWith("aws:"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  static String changedValues(Map<String, String> was, Map<String, String> want) {
    Set<String> changed = want.entrySet().stream().filter(e -> was.containsKey(e.getKey()) && !e.getValue().equals(was.get(e.getKey())))
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    return changed.isEmpty() ? "" : " (values of " + changed + " changed)";
  }

  /** The name in a target group's ARN ({@code ...:targetgroup/NAME/ID}). */
  static String targetGroupName(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length < 6 ? arn : parts[5].split("/")[1];
  }

  private static String describe(Action a) {
    if (!"forward".equals(a.typeAsString())) {
      return a.typeAsString();
    }
    Set<String> arns = a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()
        ? a.forwardConfig().targetGroups().stream().map(TargetGroupTuple::targetGroupArn).collect(Collectors.toCollection(TreeSet::new))
        : a.targetGroupArn() == null ? Set.of() : Set.of(a.targetGroupArn());
    return "forward to " + arns.stream().map(AdoptionCheck::targetGroupName).collect(Collectors.joining(" + "));
  }
}
