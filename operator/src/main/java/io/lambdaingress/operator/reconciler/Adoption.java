package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lambdaingress.operator.api.AdoptedStatus;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.kinds.Announcer;
import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.model.AdoptedNames;
import io.lambdaingress.operator.model.AdoptedTargets;
import io.lambdaingress.operator.model.AdoptionCheck;
import io.lambdaingress.operator.model.AdoptionCheck.Finding;
import io.lambdaingress.operator.model.AdoptionCheck.Kind;
import io.lambdaingress.operator.model.ChainModel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;

/**
 * spec.adopt taken over, before the chain's first write of each run: every named resource read and compared with
 * the spec ({@link AdoptionCheck}); a refusal throws (InvalidSpec, NameConflict, DependencyNotFound) with nothing
 * written. Otherwise what is not yet the object's gets its owner tags, its in-place differences said field by field,
 * and the chain's steps then find it by its name and converge it like one they created. Run every time: an adopted
 * resource stays protected from replacement (a creation-only difference is refused, never replaced) for as long as
 * spec.adopt names it. Letting go (deletionPolicy Retain) removes the owner tags again.
 */
final class Adoption {

  private final ElbInventory inventory;
  private final LambdaFunctionClient lambda;
  private final Set<String> formerClusters;
  private final KubernetesEvents events;

  Adoption(ElbInventory inventory, LambdaFunctionClient lambda, Set<String> formerClusters, KubernetesEvents events) {
    this.inventory = inventory;
    this.lambda = lambda;
    this.formerClusters = Set.copyOf(formerClusters);
    this.events = events;
  }

  /**
   * What spec.adopt names, as the status records it; {@code tookNow}: this run added owner tags, so the status is to
   * record the changes to come before the chain makes them (a run that then failed would lose them).
   */
  record Result(List<AdoptedStatus> adopted, boolean tookNow) {}

  /**
   * The adopted resources, checked and taken over; null when spec.adopt names nothing.
   *
   * @param vpcId the spec's VPC (its subnets'), null when not known
   * @param pinnedImageUri the managed function's image by digest, when spec.adopt names the function
   * @param previous what the status recorded: a resource adopted before keeps the changes recorded then
   */
  Result apply(HasMetadata object, ChainModel model, String vpcId, String pinnedImageUri, List<AdoptedStatus> previous,
      Announcer writes) {
    AdoptedNames adopt = model.adopted();
    if (!adopt.any()) {
      return null;
    }
    Ownership ownership = Ownership.byTags(model.ownerTags(), formerClusters);
    List<Finding> findings = read(model, vpcId, pinnedImageUri, ownership);
    Optional<AdoptionCheck.Refusal> refusal = AdoptionCheck.refusal(findings, ownership::owns);
    if (refusal.isPresent()) {
      throw new AwsFailure(refusal.get().conflict() ? Reason.NameConflict : Reason.InvalidSpec, refusal.get().message());
    }
    List<AdoptedStatus> adopted = new ArrayList<>();
    boolean tookNow = false;
    for (Finding f : findings) {
      List<String> changes = f.inPlace().stream().map(AdoptionCheck.Difference::describe).toList();
      if (!ownership.owns(f.tags())) {
        take(f, ownership, model.ownerTags(), writes);
        tookNow = true;
        // Said before the steps change them (each of those writes is said again as it is made).
        f.inPlace().forEach(d -> events.normal(object, "AdoptionChange", f.resource() + ": " + d.describe() + " (changed in place)"));
      } else {
        changes = previous == null ? changes : previous.stream().filter(p -> f.arn().equals(p.getArn())).findFirst()
            .map(p -> p.getChangedFields() == null ? List.<String>of() : p.getChangedFields()).orElse(changes);
      }
      adopted.add(new AdoptedStatus(f.kind().label(), f.arn(), changes));
    }
    return new Result(adopted, tookNow);
  }

  /**
   * Adds the owner tags: from now on the steps (and the deletion, and discovery) know it as the object's. The tags
   * are read afresh first: another object may have taken it since the shared read.
   */
  private void take(Finding f, Ownership ownership, Map<String, String> ownerTags, Announcer writes) {
    Map<String, String> now = f.kind() == Kind.FUNCTION ? lambda.function(f.arn()).map(fn -> fn.tags() == null ? Map.<String, String>of() : fn.tags())
        .orElse(Map.of()) : inventory.freshTags(f.arn());
    AdoptionCheck.refusal(List.of(new Finding(f.kind(), f.name(), f.arn(), now, List.of(), List.of(), null)), ownership::owns)
        .ifPresent(r -> {
          throw new AwsFailure(Reason.NameConflict, r.message());
        });
    writes.made("Adopted", f.resource(), "owner tags added (" + f.arn() + ")", () -> {
      if (f.kind() == Kind.FUNCTION) {
        lambda.tag(f.arn(), ownerTags);
      } else {
        inventory.writes().retag(f.arn(), now, ownerTags, List.of());
      }
    });
  }

  private List<Finding> read(ChainModel model, String vpcId, String pinnedImageUri, Ownership ownership) {
    AdoptedNames adopt = model.adopted();
    List<Finding> findings = new ArrayList<>();
    LoadBalancer nlb = null;
    if (adopt.nlb() != null) {
      nlb = loadBalancer(Kind.NLB, adopt.nlb());
      String arn = nlb.loadBalancerArn();
      findings.add(AdoptionCheck.nlb(model.nlb(), vpcId, nlb, inventory.loadBalancerAttributes(arn), inventory.tags(arn)));
    }
    if (adopt.nlbListener() != null) {
      Listener l = listener(Kind.NLB_LISTENER, adopt.nlbListener(), nlb);
      findings.add(AdoptionCheck.listener(Kind.NLB_LISTENER, l, nlb.loadBalancerArn(), nlb.loadBalancerName(), "TCP",
          model.nlb().listenerPort(), "spec.nlb.listener.port", model.nlb().albTargetGroup().name(), listenerTags(l)));
    }
    if (nlb != null) {
      findings.addAll(unnamedListeners(Kind.NLB_LISTENER, nlb, adopt.nlbListener(), model.nlb().listenerPort(), "spec.nlb.listener.port",
          model, ownership));
    }
    if (adopt.albTargetGroup() != null) {
      TargetGroup tg = targetGroup(Kind.ALB_TARGET_GROUP, adopt.albTargetGroup());
      Finding group = AdoptionCheck.targetGroup(Kind.ALB_TARGET_GROUP, model.nlb().albTargetGroup(), "port (spec.alb.listener.port)", Map.of(),
          "", tg, Map.of(), inventory.tags(tg.targetGroupArn()));
      String albName = model.alb().name();
      // The chain's ALB is the adopted one, or a new one (no ARN yet: never registered here).
      findings.add(AdoptedTargets.withTargets(group, registered(tg), id -> adopt.alb() != null && id.contains("/" + albName + "/"),
          adopt.alb() != null ? "ALB " + albName : "the ALB the chain makes", "spec.adopt.alb"));
    }
    LoadBalancer alb = null;
    if (adopt.alb() != null) {
      alb = loadBalancer(Kind.ALB, adopt.alb());
      findings.add(AdoptionCheck.alb(model.alb(), vpcId, alb, inventory.tags(alb.loadBalancerArn())));
    }
    if (adopt.albListener() != null) {
      Listener l = listener(Kind.ALB_LISTENER, adopt.albListener(), alb);
      findings.add(AdoptionCheck.listener(Kind.ALB_LISTENER, l, alb.loadBalancerArn(), alb.loadBalancerName(), "HTTP",
          model.alb().listenerPort(), "spec.alb.listener.port", model.alb().lambdaTargetGroup().name(), listenerTags(l)));
    }
    if (alb != null) {
      findings.addAll(unnamedListeners(Kind.ALB_LISTENER, alb, adopt.albListener(), model.alb().listenerPort(), "spec.alb.listener.port",
          model, ownership));
    }
    if (adopt.lambdaTargetGroup() != null) {
      TargetGroup tg = targetGroup(Kind.LAMBDA_TARGET_GROUP, adopt.lambdaTargetGroup());
      Finding group = AdoptionCheck.targetGroup(Kind.LAMBDA_TARGET_GROUP, model.alb().lambdaTargetGroup(), "port",
          model.alb().lambdaTargetGroupAttributes(), "spec.lambda.multiValueHeaders", tg, inventory.targetGroupAttributes(tg.targetGroupArn()),
          inventory.tags(tg.targetGroupArn()));
      String function = model.function().map(ChainModel.ManagedFunction::name).orElseGet(() -> functionName(model.existingFunctionArn()));
      findings.add(AdoptedTargets.withTargets(group, registered(tg), id -> function.equals(functionName(id)), "function " + function,
          "spec.adopt.function"));
    }
    if (adopt.function() != null) {
      GetFunctionResponse fn = lambda.function(adopt.function().name()).orElseThrow(() -> missing(Kind.FUNCTION, adopt.function(), "function"));
      if (adopt.function().byArn() && !fn.configuration().functionArn().equals(adopt.function().given())) {
        throw missing(Kind.FUNCTION, adopt.function(), "function");
      }
      var desired = model.function().orElseThrow().request(pinnedImageUri);
      findings.add(AdoptedTargets.function(desired, fn.configuration(), fn.code() == null ? null : fn.code().imageUri(),
          fn.tags() == null ? Map.of() : fn.tags()));
    }
    return findings;
  }

  /** The group's targets, those draining left out (they are on their way out). */
  private List<String> registered(TargetGroup tg) {
    return inventory.client().targetHealth(tg.targetGroupArn()).stream()
        .filter(d -> d.targetHealth() == null || d.targetHealth().state() != TargetHealthStateEnum.DRAINING).map(d -> d.target().id()).toList();
  }

  /** A function's name from its name or ARN, qualified or not. */
  private static String functionName(String nameOrArn) {
    String[] parts = nameOrArn.split(":");
    return parts.length >= 7 ? parts[6] : nameOrArn;
  }

  private LoadBalancer loadBalancer(Kind kind, AdoptedNames.Ref ref) {
    LoadBalancer lb = inventory.loadBalancer(ref.name()).orElseThrow(() -> missing(kind, ref, "load balancer"));
    if (ref.byArn() && !lb.loadBalancerArn().equals(ref.given())) {
      throw missing(kind, ref, "load balancer");
    }
    return lb;
  }

  private TargetGroup targetGroup(Kind kind, AdoptedNames.Ref ref) {
    TargetGroup tg = inventory.targetGroup(ref.name()).orElseThrow(() -> missing(kind, ref, "target group"));
    if (ref.byArn() && !tg.targetGroupArn().equals(ref.given())) {
      throw missing(kind, ref, "target group");
    }
    return tg;
  }

  /** The listener, on the adopted load balancer or (for the check to refuse it) wherever it is. */
  private Listener listener(Kind kind, AdoptedNames.Ref ref, LoadBalancer on) {
    Optional<Listener> l = inventory.listeners(on.loadBalancerArn()).stream().filter(x -> x.listenerArn().equals(ref.given())).findFirst();
    if (l.isPresent()) {
      return l.get();
    }
    try {
      return inventory.client().listenersByArn(List.of(ref.given())).stream().findFirst().orElseThrow(() -> missing(kind, ref, "listener"));
    } catch (AwsFailure f) {
      throw f.isNotFound() || "ListenerNotFound".equals(f.awsErrorCode()) ? missing(kind, ref, "listener") : f;
    }
  }

  /**
   * The listeners of an adopted load balancer on the ports the chain serves on (its listener's, and spec.alb.https's:
   * the ALB's HTTPS listener, the NLB's of that port) that spec.adopt does not name and that are not this object's.
   */
  private List<Finding> unnamedListeners(Kind kind, LoadBalancer lb, AdoptedNames.Ref named, int port, String portField, ChainModel model,
      Ownership ownership) {
    Map<Integer, String> ports = new TreeMap<>(Map.of(port, portField));
    model.alb().https().ifPresent(h -> ports.putIfAbsent(h.port(), "spec.alb.https.port"));
    List<Finding> found = new ArrayList<>();
    for (Listener l : inventory.listeners(lb.loadBalancerArn())) {
      if (ports.containsKey(l.port()) && (named == null || !named.given().equals(l.listenerArn()))) {
        AdoptionCheck.unnamedListener(kind, l, lb.loadBalancerName(), ports.get(l.port()), named == null && l.port() == port,
            listenerTags(l), ownership::owns)
            .ifPresent(found::add);
      }
    }
    return found;
  }

  private Map<String, String> listenerTags(Listener l) {
    return inventory.client().tags(List.of(l.listenerArn())).getOrDefault(l.listenerArn(), Map.of());
  }

  private static AwsFailure missing(Kind kind, AdoptedNames.Ref ref, String what) {
    return new AwsFailure(Reason.DependencyNotFound, kind.field() + ": no " + what + " " + ref.given() + " in this account and region"
        + (ref.byArn() ? " (one of that name may exist under another ARN: it was re-created)" : ""));
  }

  /**
   * deletionPolicy Retain: the adopted resources lose the owner tags (each read afresh, only where they are this
   * object's), so that Terraform or a person can take them back; nothing else of them changes. So do the listeners the
   * object created on an adopted load balancer (they carry the owner tags from their creation on): they stay with their
   * load balancer, and another object adopting it later would find them another object's.
   */
  void letGo(ChainModel model, Announcer writes) {
    AdoptedNames adopt = model.adopted();
    Ownership ownership = Ownership.byTags(model.ownerTags(), formerClusters);
    List<String> keys = List.copyOf(model.ownerTags().keySet());
    Set<String> arns = new LinkedHashSet<>();
    for (AdoptedNames.Ref lbRef : new AdoptedNames.Ref[] {adopt.nlb(), adopt.alb()}) {
      if (lbRef != null) {
        inventory.freshLoadBalancer(lbRef.name()).ifPresent(lb -> {
          arns.add(lb.loadBalancerArn());
          inventory.client().listeners(lb.loadBalancerArn()).forEach(l -> arns.add(l.listenerArn()));
        });
      }
    }
    for (AdoptedNames.Ref group : new AdoptedNames.Ref[] {adopt.albTargetGroup(), adopt.lambdaTargetGroup()}) {
      if (group != null) {
        inventory.freshTargetGroup(group.name()).ifPresent(tg -> arns.add(tg.targetGroupArn()));
      }
    }
    for (AdoptedNames.Ref l : new AdoptedNames.Ref[] {adopt.nlbListener(), adopt.albListener()}) {
      if (l != null) {
        arns.add(l.given());
      }
    }
    for (String arn : arns) {
      Map<String, String> tags;
      try {
        tags = inventory.client().tags(List.of(arn)).getOrDefault(arn, Map.of());
      } catch (AwsFailure f) {
        if (f.isNotFound() || "ListenerNotFound".equals(f.awsErrorCode())) {
          continue;
        }
        throw f;
      }
      if (ownership.owns(tags)) {
        writes.made("Released", arn, "deletionPolicy Retain: owner tags removed, the resource stays as it is",
            () -> inventory.writes().retag(arn, tags, Map.of(), keys));
      }
    }
    if (adopt.function() != null) {
      lambda.function(adopt.function().name()).filter(fn -> ownership.owns(fn.tags() == null ? Map.of() : fn.tags()))
          .ifPresent(fn -> writes.made("Released", "function " + fn.configuration().functionName(),
              "deletionPolicy Retain: owner tags removed, the function stays as it is", () -> lambda.untag(fn.configuration().functionArn(), keys)));
    }
  }
}
