package io.lambdaingress.operator.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Elastic Load Balancing v2: load balancers, listeners, target groups, registrations, tags, attributes.
 * SDK calls only; bulk reads where the API allows them (tags: 20 ARNs a call; whole-account listings paged).
 */
public class ElbV2Client {

  public static final int TAG_BATCH = 20;
  public static final int LISTENER_BATCH = 20;
  private static final int PAGE = 400;

  private final ElasticLoadBalancingV2Client elb;

  ElbV2Client(ElasticLoadBalancingV2Client elb) {
    this.elb = elb;
  }

  /** For a unit test's fake of this adapter: it overrides the calls it answers; any other fails. */
  protected ElbV2Client() {
    this(null);
  }

  // --- reads ---

  public Optional<LoadBalancer> loadBalancer(String name) {
    return AwsCall.find("load balancer " + name,
        () -> elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().stream().findFirst().orElse(null));
  }

  /** Every load balancer of the account and region (one call per 400): the bulk read of a resync. */
  public List<LoadBalancer> allLoadBalancers() {
    return AwsCall.run("load balancers", () -> elb.describeLoadBalancersPaginator(r -> r.pageSize(PAGE)).loadBalancers().stream().toList());
  }

  public Optional<TargetGroup> targetGroup(String name) {
    return AwsCall.find("target group " + name,
        () -> elb.describeTargetGroups(r -> r.names(name)).targetGroups().stream().findFirst().orElse(null));
  }

  /** Every target group of the account and region (one call per 400). */
  public List<TargetGroup> allTargetGroups() {
    return AwsCall.run("target groups", () -> elb.describeTargetGroupsPaginator(r -> r.pageSize(PAGE)).targetGroups().stream().toList());
  }

  /**
   * The failure AWS gives for a load balancer or target group ARN that no longer exists (what a shared read
   * reports for an ARN its answer left out).
   */
  public static AwsFailure notFound(String arn) {
    boolean group = arn.contains(":targetgroup/");
    return new AwsFailure(Reason.DependencyNotFound, (group ? "target group " : "load balancer ") + arn + " no longer exists",
        group ? "TargetGroupNotFound" : "LoadBalancerNotFound", null);
  }

  /** Tags of load balancers and target groups, by ARN; 20 ARNs per call as the API allows. */
  public Map<String, Map<String, String>> tags(Collection<String> arns) {
    Map<String, Map<String, String>> tags = new HashMap<>();
    List<String> all = List.copyOf(arns);
    for (int i = 0; i < all.size(); i += TAG_BATCH) {
      List<String> batch = all.subList(i, Math.min(all.size(), i + TAG_BATCH));
      AwsCall.run("tags of " + batch, () -> elb.describeTags(r -> r.resourceArns(batch))).tagDescriptions()
          .forEach(d -> {
            Map<String, String> m = new HashMap<>();
            d.tags().forEach(t -> m.put(t.key(), t.value()));
            tags.put(d.resourceArn(), Map.copyOf(m));
          });
    }
    return tags;
  }

  /**
   * The same, leaving out those that are gone. AWS fails the whole call when one ARN of it is gone (deleted
   * since it was listed, by us for another object or out of band): each is then read alone, so that only
   * the gone ones are left out instead of failing every caller whose ARN shared the call.
   */
  public Map<String, Map<String, String>> tagsOfThoseThere(List<String> arns) {
    try {
      return tags(arns);
    } catch (AwsFailure f) {
      if (!f.isNotFound() || arns.size() == 1) {
        throw f;
      }
      Map<String, Map<String, String>> read = new HashMap<>();
      for (String arn : arns) {
        try {
          read.putAll(tags(List.of(arn)));
        } catch (AwsFailure alone) {
          if (!alone.isNotFound()) {
            throw alone;
          }
        }
      }
      return read;
    }
  }

  public List<Listener> listeners(String loadBalancerArn) {
    return AwsCall.run("listeners of " + loadBalancerArn,
        () -> elb.describeListenersPaginator(r -> r.loadBalancerArn(loadBalancerArn)).listeners().stream().toList());
  }

  /** A listener's rules, its default rule included (isDefault), every page. */
  public List<Rule> rules(String listenerArn) {
    List<Rule> rules = new ArrayList<>();
    String marker = null;
    do {
      String from = marker;
      var page = AwsCall.run("rules of " + listenerArn, () -> elb.describeRules(r -> r.listenerArn(listenerArn).marker(from).pageSize(PAGE)));
      rules.addAll(page.rules());
      marker = page.nextMarker();
    } while (marker != null && !marker.isEmpty());
    return rules;
  }

  /**
   * Listeners by ARN, whichever load balancers they are on: {@value #LISTENER_BATCH} a call (the API states
   * no limit for ListenerArns; the batch of its DescribeLoadBalancers/DescribeTags ARN lists is kept). One
   * ARN that no longer exists fails the call with ListenerNotFound.
   */
  public List<Listener> listenersByArn(Collection<String> listenerArns) {
    List<String> all = List.copyOf(listenerArns);
    List<Listener> found = new ArrayList<>();
    for (int i = 0; i < all.size(); i += LISTENER_BATCH) {
      List<String> batch = all.subList(i, Math.min(all.size(), i + LISTENER_BATCH));
      found.addAll(AwsCall.run("listeners " + batch, () -> elb.describeListeners(r -> r.listenerArns(batch))).listeners());
    }
    return found;
  }

  public Map<String, String> loadBalancerAttributes(String arn) {
    Map<String, String> attrs = new HashMap<>();
    AwsCall.run("attributes of " + arn, () -> elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(arn)))
        .attributes().forEach(a -> attrs.put(a.key(), a.value()));
    return attrs;
  }

  public Map<String, String> targetGroupAttributes(String arn) {
    Map<String, String> attrs = new HashMap<>();
    AwsCall.run("attributes of " + arn, () -> elb.describeTargetGroupAttributes(r -> r.targetGroupArn(arn)))
        .attributes().forEach(a -> attrs.put(a.key(), a.value()));
    return attrs;
  }

  /** The registered targets' ids (and ports) of a target group. */
  public List<TargetDescription> targets(String targetGroupArn) {
    return targetHealth(targetGroupArn).stream().map(TargetHealthDescription::target).toList();
  }

  /** The registered targets of a target group with the health AWS reports for each (one DescribeTargetHealth). */
  public List<TargetHealthDescription> targetHealth(String targetGroupArn) {
    return AwsCall.run("targets of " + targetGroupArn,
        () -> elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)).targetHealthDescriptions());
  }

  // --- writes ---

  public LoadBalancer createLoadBalancer(CreateLoadBalancerRequest request) {
    return AwsCall.run("create load balancer " + request.name(), () -> elb.createLoadBalancer(request)).loadBalancers().get(0);
  }

  public void deleteLoadBalancer(String arn) {
    AwsCall.run("delete load balancer " + arn, () -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(arn)));
  }

  public void setLoadBalancerAttributes(String arn, Map<String, String> attributes) {
    List<LoadBalancerAttribute> attrs = new ArrayList<>();
    attributes.forEach((k, v) -> attrs.add(LoadBalancerAttribute.builder().key(k).value(v).build()));
    AwsCall.run("set attributes of " + arn, () -> elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(attrs)));
  }

  /** @param enforcePrivateLink on/off for an NLB (EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic), null: not sent */
  public void setSecurityGroups(String loadBalancerArn, Collection<String> groups, String enforcePrivateLink) {
    AwsCall.run("set security groups of " + loadBalancerArn, () -> elb.setSecurityGroups(r -> r.loadBalancerArn(loadBalancerArn)
        .securityGroups(groups).enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(enforcePrivateLink)));
  }

  public void setSubnets(String loadBalancerArn, Collection<String> subnets) {
    AwsCall.run("set subnets of " + loadBalancerArn, () -> elb.setSubnets(r -> r.loadBalancerArn(loadBalancerArn).subnets(subnets)));
  }

  public Listener createListener(CreateListenerRequest request) {
    return AwsCall.run("create listener on " + request.loadBalancerArn(), () -> elb.createListener(request)).listeners().get(0);
  }

  /** Sets a listener's protocol and port and forwards it to a target group (in place). */
  /** The listener as AWS reports it after the change (empty if the answer names none). */
  public Optional<Listener> modifyListener(String listenerArn, ProtocolEnum protocol, int port, String targetGroupArn) {
    return modifyListener(ModifyListenerRequest.builder().listenerArn(listenerArn).protocol(protocol).port(port)
        .defaultActions(forwardTo(targetGroupArn)).build());
  }

  /** A listener changed in place as the request says; the listener as AWS reports it after the change (empty if none). */
  public Optional<Listener> modifyListener(ModifyListenerRequest request) {
    return AwsCall.run("modify listener " + request.listenerArn(), () -> elb.modifyListener(request)).listeners().stream().findFirst();
  }

  public void deleteListener(String listenerArn) {
    AwsCall.run("delete listener " + listenerArn, () -> elb.deleteListener(r -> r.listenerArn(listenerArn)));
  }

  /** A listener rule forwarding to one target group, tagged in the same call (no untagged rule after a crash). */
  public Rule createRule(String listenerArn, int priority, List<RuleCondition> conditions, String targetGroupArn, Map<String, String> tags) {
    List<Tag> list = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    return AwsCall.run("create rule on " + listenerArn, () -> elb.createRule(r -> r.listenerArn(listenerArn).priority(priority)
        .conditions(conditions).actions(forwardTo(targetGroupArn)).tags(list))).rules().get(0);
  }

  /** Sets a rule's conditions and forward in place (one call: no moment without the rule). */
  public void modifyRule(String ruleArn, List<RuleCondition> conditions, String targetGroupArn) {
    AwsCall.run("modify rule " + ruleArn, () -> elb.modifyRule(r -> r.ruleArn(ruleArn).conditions(conditions).actions(forwardTo(targetGroupArn))));
  }

  public void deleteRule(String ruleArn) {
    AwsCall.run("delete rule " + ruleArn, () -> elb.deleteRule(r -> r.ruleArn(ruleArn)));
  }

  /** Every given rule to its priority in ONE call: AWS applies the batch as a whole (a swap is valid). */
  public void setRulePriorities(Map<String, Integer> priorities) {
    if (priorities.isEmpty()) {
      return;
    }
    List<RulePriorityPair> pairs = priorities.entrySet().stream()
        .map(e -> RulePriorityPair.builder().ruleArn(e.getKey()).priority(e.getValue()).build()).toList();
    AwsCall.run("set rule priorities " + priorities, () -> elb.setRulePriorities(r -> r.rulePriorities(pairs)));
  }

  public TargetGroup createTargetGroup(CreateTargetGroupRequest request) {
    return AwsCall.run("create target group " + request.name(), () -> elb.createTargetGroup(request)).targetGroups().get(0);
  }

  public void modifyTargetGroup(ModifyTargetGroupRequest request) {
    AwsCall.run("modify target group " + request.targetGroupArn(), () -> elb.modifyTargetGroup(request));
  }

  public void setTargetGroupAttributes(String arn, Map<String, String> attributes) {
    List<TargetGroupAttribute> attrs = new ArrayList<>();
    attributes.forEach((k, v) -> attrs.add(TargetGroupAttribute.builder().key(k).value(v).build()));
    AwsCall.run("set attributes of " + arn, () -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(arn).attributes(attrs)));
  }

  public void deleteTargetGroup(String arn) {
    AwsCall.run("delete target group " + arn, () -> elb.deleteTargetGroup(r -> r.targetGroupArn(arn)));
  }

  public void registerTarget(String targetGroupArn, String targetId, Integer port) {
    TargetDescription t = TargetDescription.builder().id(targetId).port(port).build();
    AwsCall.run("register " + targetId + " in " + targetGroupArn, () -> elb.registerTargets(r -> r.targetGroupArn(targetGroupArn).targets(t)));
  }

  public void deregisterTarget(String targetGroupArn, String targetId, Integer port) {
    TargetDescription t = TargetDescription.builder().id(targetId).port(port).build();
    AwsCall.run("deregister " + targetId + " from " + targetGroupArn, () -> elb.deregisterTargets(r -> r.targetGroupArn(targetGroupArn).targets(t)));
  }

  public void addTags(String arn, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    List<Tag> list = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    AwsCall.run("tag " + arn, () -> elb.addTags(r -> r.resourceArns(arn).tags(list)));
  }

  public void removeTags(String arn, Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    AwsCall.run("untag " + arn, () -> elb.removeTags(r -> r.resourceArns(arn).tagKeys(keys)));
  }

  public static Action forwardTo(String targetGroupArn) {
    return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
  }
}
