package io.lambdaingress.operator.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/** Test-side reads of AWS: which resources carry a LambdaIngress's owner tags (to prove nothing leaked). */
public final class AwsInventory {

  private AwsInventory() {}

  /** ARNs of every load balancer, target group and function tagged as owned by cluster/namespace/name. */
  public static List<String> ownedBy(String cluster, String namespace, String name) {
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      return Snapshot.read(elb).ownedBy(cluster, namespace, name);
    }
  }

  /**
   * Every load balancer and target group of the account, and the tags of those and of every function, read
   * once: checking N objects against one snapshot costs one sweep instead of N (a benchmark of 500 objects).
   */
  public record Snapshot(List<LoadBalancer> loadBalancers, List<TargetGroup> targetGroups, Map<String, Map<String, String>> tags) {

    public static Snapshot read(ElasticLoadBalancingV2Client elb) {
      List<LoadBalancer> lbs = elb.describeLoadBalancersPaginator(r -> r.pageSize(400)).loadBalancers().stream().toList();
      List<TargetGroup> tgs = elb.describeTargetGroupsPaginator(r -> r.pageSize(400)).targetGroups().stream().toList();
      List<String> arns = new ArrayList<>();
      lbs.forEach(lb -> arns.add(lb.loadBalancerArn()));
      tgs.forEach(tg -> arns.add(tg.targetGroupArn()));
      Map<String, Map<String, String>> tags = new HashMap<>();
      for (int i = 0; i < arns.size(); i += 20) {
        tagDescriptions(elb, arns.subList(i, Math.min(arns.size(), i + 20))).forEach(d ->
            tags.put(d.resourceArn(), d.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value))));
      }
      // Every tagged function's tags in one listing of the Resource Groups Tagging API (AWS's largest pages: 100
      // resources, 500 tags), which reads the same tags as ListTags: that took one call per function, a sixth of the
      // suite's AWS calls (7,144 of 42,511 on 2026-12-07). Untagged functions are not listed: no entry, no tags.
      // Functions only: moto lists load balancers and target groups lazily from its live maps, page after page; when
      // another thread creates or deletes one meanwhile, that page fails and its retry ends the listing early, silently
      // (a crash-table run missed functions listed after them). Its functions are a list taken when their part begins.
      Tagging.CLIENT.getResourcesPaginator(r -> r.resourceTypeFilters("lambda:function").resourcesPerPage(100).tagsPerPage(500))
          .resourceTagMappingList().forEach(m -> tags.put(m.resourceARN(), m.tags().stream().collect(Collectors.toMap(
              software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag::key,
              software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag::value))));
      return new Snapshot(lbs, tgs, tags);
    }

    /** One client for the test JVM, made at its first use (thread-safe; the world's endpoint and region from the environment). */
    private static final class Tagging {
      static final ResourceGroupsTaggingApiClient CLIENT = ResourceGroupsTaggingApiClient.create();
    }

    /** ARNs whose tags name this owner. */
    public List<String> ownedBy(String cluster, String namespace, String name) {
      Map<String, String> owner = Map.of("lambdaingress.io/cluster", cluster, "lambdaingress.io/namespace", namespace,
          "lambdaingress.io/name", name);
      return tags.entrySet().stream().filter(e -> owner.entrySet().stream().allMatch(o -> o.getValue().equals(e.getValue().get(o.getKey()))))
          .map(Map.Entry::getKey).toList();
    }
  }

  /**
   * One DescribeTags call; if a resource of the batch was deleted since the listing (the operator works
   * meanwhile), AWS fails the whole call: then each is read alone and the gone ones are left out.
   */
  public static List<TagDescription> tagDescriptions(ElasticLoadBalancingV2Client elb, List<String> batch) {
    try {
      return elb.describeTags(r -> r.resourceArns(batch)).tagDescriptions();
    } catch (LoadBalancerNotFoundException | TargetGroupNotFoundException someGone) {
      List<TagDescription> found = new ArrayList<>();
      for (String arn : batch) {
        try {
          found.addAll(elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions());
        } catch (LoadBalancerNotFoundException | TargetGroupNotFoundException gone) {
          // deleted since the listing: not there any more
        }
      }
      return found;
    }
  }

  public static Map<String, String> tagsOf(ElasticLoadBalancingV2Client elb, String arn) {
    return elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions().get(0).tags().stream()
        .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
  }
}
