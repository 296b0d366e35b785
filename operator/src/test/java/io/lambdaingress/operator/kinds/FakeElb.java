package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * A fake of the ELB adapter for unit tests of the kind classes: load balancers and target groups by name
 * with their tags, listeners and their rules, and the answer AWS gives to deletions ({@link #refuseDeletions}).
 * Each deletion, and each write to a listener or rule, it is asked for is written to the shared {@code log},
 * where the test's announcer writes the announcements, so a test sees their order. Calls it does not answer
 * fail (the adapter's SDK client is absent).
 */
final class FakeElb extends ElbV2Client {

  private final List<String> log;
  private final Map<String, LoadBalancer> loadBalancers = new HashMap<>();
  private final Map<String, TargetGroup> targetGroups = new HashMap<>();
  private final Map<String, Map<String, String>> tags = new HashMap<>();
  private AwsFailure refusal;
  private AwsFailure creationRefusal;
  private final Map<String, List<TargetHealthDescription>> registrations = new HashMap<>();
  private final Map<String, List<Listener>> listeners = new HashMap<>();
  private final Map<String, List<Rule>> rules = new HashMap<>();
  private int created;

  FakeElb(List<String> log) {
    this.log = log;
  }

  TargetGroup addTargetGroup(String name, Map<String, String> withTags) {
    TargetGroup tg = TargetGroup.builder().targetGroupName(name).targetType("lambda")
        .targetGroupArn("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/" + name + "/0123456789abcdef").build();
    targetGroups.put(name, tg);
    tags.put(tg.targetGroupArn(), Map.copyOf(withTags));
    return tg;
  }

  LoadBalancer addLoadBalancer(String name, Map<String, String> withTags) {
    LoadBalancer lb = LoadBalancer.builder().loadBalancerName(name).type("network")
        .loadBalancerArn("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/" + name + "/0123456789abcdef").build();
    loadBalancers.put(name, lb);
    tags.put(lb.loadBalancerArn(), Map.copyOf(withTags));
    return lb;
  }

  /** From now on every deletion is answered with {@code failure} (null: accepted). */
  void refuseDeletions(AwsFailure failure) {
    this.refusal = failure;
  }

  /** From now on every target group creation is answered with {@code failure} (null: accepted). */
  void refuseCreations(AwsFailure failure) {
    this.creationRefusal = failure;
  }

  /** {@code targetArn} registered in the group on {@code port}, in this health state (healthy, draining, ...). */
  void register(TargetGroup group, String targetArn, int port, String state) {
    registrations.computeIfAbsent(group.targetGroupArn(), k -> new ArrayList<>()).add(TargetHealthDescription.builder()
        .target(t -> t.id(targetArn).port(port)).targetHealth(h -> h.state(state)).build());
  }

  /** The group's deregistration delay has passed: AWS lists no target in it any more. */
  void drained(TargetGroup group) {
    registrations.remove(group.targetGroupArn());
  }

  boolean has(String name) {
    return loadBalancers.containsKey(name) || targetGroups.containsKey(name);
  }

  @Override
  public LoadBalancer createLoadBalancer(CreateLoadBalancerRequest request) {
    log.add("CreateLoadBalancer " + request.name() + " " + request.securityGroups());
    // As AWS answers an NLB created with security groups: the PrivateLink setting on (SetSecurityGroups, its default).
    LoadBalancer lb = addLoadBalancer(request.name(), tagMap(request.tags())).toBuilder().type(request.typeAsString())
        .scheme(request.schemeAsString()).securityGroups(request.securityGroups())
        .availabilityZones(request.subnetMappings().stream().map(m -> software.amazon.awssdk.services.elasticloadbalancingv2.model
            .AvailabilityZone.builder().subnetId(m.subnetId()).build()).toList())
        .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(request.securityGroups().isEmpty() ? null : "on").build();
    loadBalancers.put(lb.loadBalancerName(), lb);
    return lb;
  }

  @Override
  public void setSecurityGroups(String loadBalancerArn, Collection<String> groups, String enforcePrivateLink) {
    log.add("SetSecurityGroups " + groups + (enforcePrivateLink == null ? "" : " " + enforcePrivateLink));
    loadBalancers.replaceAll((name, lb) -> !lb.loadBalancerArn().equals(loadBalancerArn) ? lb : lb.toBuilder().securityGroups(groups)
        .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(enforcePrivateLink == null
            ? lb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic() : enforcePrivateLink).build());
  }

  /** The load balancer as this fake has it now. */
  LoadBalancer loadBalancerNamed(String name) {
    return loadBalancers.get(name);
  }

  /** Replaces what the fake has for that name (an out-of-band change, or a load balancer as another tool made it). */
  void putLoadBalancer(LoadBalancer lb) {
    loadBalancers.put(lb.loadBalancerName(), lb);
  }

  @Override
  public Optional<LoadBalancer> loadBalancer(String name) {
    return Optional.ofNullable(loadBalancers.get(name));
  }

  @Override
  public List<LoadBalancer> allLoadBalancers() {
    return new ArrayList<>(loadBalancers.values());
  }

  @Override
  public Optional<TargetGroup> targetGroup(String name) {
    return Optional.ofNullable(targetGroups.get(name));
  }

  @Override
  public List<TargetGroup> allTargetGroups() {
    return new ArrayList<>(targetGroups.values());
  }

  @Override
  public Map<String, Map<String, String>> tags(Collection<String> arns) {
    Map<String, Map<String, String>> found = new HashMap<>();
    arns.stream().filter(tags::containsKey).forEach(arn -> found.put(arn, tags.get(arn)));
    return found;
  }

  @Override
  public List<TargetHealthDescription> targetHealth(String targetGroupArn) {
    return List.copyOf(registrations.getOrDefault(targetGroupArn, List.of()));
  }

  @Override
  public void deregisterTarget(String targetGroupArn, String targetId, Integer port) {
    log.add("DeregisterTargets " + targetId);
    registrations.getOrDefault(targetGroupArn, new ArrayList<>()).replaceAll(d -> d.target().id().equals(targetId)
        ? d.toBuilder().targetHealth(h -> h.state("draining")).build() : d);
  }

  @Override
  public TargetGroup createTargetGroup(CreateTargetGroupRequest request) {
    log.add("CreateTargetGroup " + request.name());
    if (creationRefusal != null) {
      throw creationRefusal;
    }
    return addTargetGroup(request.name(), tagMap(request.tags()));
  }

  private static Map<String, String> tagMap(List<Tag> tags) {
    Map<String, String> map = new HashMap<>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  @Override
  public void deleteLoadBalancer(String arn) {
    delete("DeleteLoadBalancer", arn, loadBalancers.values().stream().filter(lb -> lb.loadBalancerArn().equals(arn))
        .map(LoadBalancer::loadBalancerName).findFirst().orElse(arn));
  }

  @Override
  public void deleteTargetGroup(String arn) {
    delete("DeleteTargetGroup", arn, targetGroups.values().stream().filter(tg -> tg.targetGroupArn().equals(arn))
        .map(TargetGroup::targetGroupName).findFirst().orElse(arn));
  }

  private void delete(String action, String arn, String name) {
    log.add(action + " " + name);
    if (refusal != null) {
      throw refusal;
    }
    loadBalancers.remove(name);
    targetGroups.remove(name);
    tags.remove(arn);
  }

  /** A rule on the listener, at that priority, forwarding to the group, with these tags; returns its ARN. */
  String addRule(String listenerArn, int priority, List<RuleCondition> conditions, String targetGroupArn, Map<String, String> withTags) {
    Rule r = Rule.builder().ruleArn(listenerArn.replace(":listener/", ":listener-rule/") + "/" + (++created)).priority(Integer.toString(priority))
        .conditions(conditions).actions(forwardTo(targetGroupArn)).isDefault(false).build();
    rules.computeIfAbsent(listenerArn, k -> new ArrayList<>()).add(r);
    tags.put(r.ruleArn(), Map.copyOf(withTags));
    return r.ruleArn();
  }

  @Override
  public List<Listener> listeners(String loadBalancerArn) {
    return List.copyOf(listeners.getOrDefault(loadBalancerArn, List.of()));
  }

  @Override
  public Listener createListener(CreateListenerRequest request) {
    Map<String, String> given = tagMap(request.tags());
    log.add("CreateListener " + request.protocolAsString() + ":" + request.port() + " tags " + new java.util.TreeMap<>(given));
    Listener l = Listener.builder().listenerArn(request.loadBalancerArn().replace(":loadbalancer/", ":listener/") + "/" + (++created))
        .loadBalancerArn(request.loadBalancerArn()).protocol(request.protocol()).port(request.port())
        .defaultActions(request.defaultActions()).build();
    listeners.computeIfAbsent(request.loadBalancerArn(), k -> new ArrayList<>()).add(l);
    tags.put(l.listenerArn(), Map.copyOf(given));
    return l;
  }

  @Override
  public Optional<Listener> modifyListener(ModifyListenerRequest request) {
    log.add("ModifyListener " + request.listenerArn() + " " + request.protocolAsString() + ":" + request.port());
    for (List<Listener> onLb : listeners.values()) {
      for (int i = 0; i < onLb.size(); i++) {
        Listener l = onLb.get(i);
        if (l.listenerArn().equals(request.listenerArn())) {
          Listener changed = l.toBuilder().protocol(request.protocol()).port(request.port()).defaultActions(request.defaultActions()).build();
          onLb.set(i, changed);
          return Optional.of(changed);
        }
      }
    }
    throw new IllegalStateException("no listener " + request.listenerArn());
  }

  @Override
  public List<Rule> rules(String listenerArn) {
    return List.copyOf(rules.getOrDefault(listenerArn, List.of()));
  }

  @Override
  public Rule createRule(String listenerArn, int priority, List<RuleCondition> conditions, String targetGroupArn, Map<String, String> withTags) {
    log.add("CreateRule " + priority + " tags " + new java.util.TreeMap<>(withTags));
    String arn = addRule(listenerArn, priority, conditions, targetGroupArn, withTags);
    return rules.get(listenerArn).stream().filter(r -> r.ruleArn().equals(arn)).findFirst().orElseThrow();
  }

  @Override
  public void modifyRule(String ruleArn, List<RuleCondition> conditions, String targetGroupArn) {
    log.add("ModifyRule " + ruleArn + " carrying " + new java.util.TreeMap<>(tags.getOrDefault(ruleArn, Map.of())));
    rules.values().forEach(list -> list.replaceAll(r -> r.ruleArn().equals(ruleArn)
        ? r.toBuilder().conditions(conditions).actions(forwardTo(targetGroupArn)).build() : r));
  }

  @Override
  public void setRulePriorities(Map<String, Integer> priorities) {
    log.add("SetRulePriorities " + priorities + " carrying " + priorities.keySet().stream()
        .map(arn -> new java.util.TreeMap<>(tags.getOrDefault(arn, Map.of()))).toList());
    rules.values().forEach(list -> list.replaceAll(r -> priorities.containsKey(r.ruleArn())
        ? r.toBuilder().priority(Integer.toString(priorities.get(r.ruleArn()))).build() : r));
  }

  @Override
  public void deleteRule(String ruleArn) {
    log.add("DeleteRule " + ruleArn);
    rules.values().forEach(list -> list.removeIf(r -> r.ruleArn().equals(ruleArn)));
    tags.remove(ruleArn);
  }

  @Override
  public void addTags(String arn, Map<String, String> add) {
    log.add("AddTags " + arn + " " + new java.util.TreeMap<>(add));
    Map<String, String> now = new HashMap<>(tags.getOrDefault(arn, Map.of()));
    now.putAll(add);
    tags.put(arn, Map.copyOf(now));
  }
}
