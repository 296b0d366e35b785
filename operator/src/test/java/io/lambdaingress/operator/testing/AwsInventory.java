package io.lambdaingress.operator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Test-side reads of AWS: which resources carry a LambdaIngress's owner tags (to prove nothing leaked). */
public final class AwsInventory {

  private AwsInventory() {}

  /** ARNs of every load balancer, target group and function tagged as owned by cluster/namespace/name. */
  public static List<String> ownedBy(String cluster, String namespace, String name) {
    Map<String, String> owner = Map.of("lambdaingress.io/cluster", cluster, "lambdaingress.io/namespace", namespace,
        "lambdaingress.io/name", name);
    List<String> owned = new ArrayList<>();
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create(); LambdaClient lambda = LambdaClient.create()) {
      List<String> arns = new ArrayList<>();
      elb.describeLoadBalancersPaginator(r -> r.pageSize(400)).loadBalancers().forEach(lb -> arns.add(lb.loadBalancerArn()));
      elb.describeTargetGroupsPaginator(r -> r.pageSize(400)).targetGroups().forEach(tg -> arns.add(tg.targetGroupArn()));
      for (int i = 0; i < arns.size(); i += 20) {
        tagDescriptions(elb, arns.subList(i, Math.min(arns.size(), i + 20))).forEach(d -> {
          if (d.tags().stream().filter(t -> owner.get(t.key()) != null).filter(t -> owner.get(t.key()).equals(t.value())).count() == 3) {
            owned.add(d.resourceArn());
          }
        });
      }
      lambda.listFunctionsPaginator().functions().forEach(f -> {
        Map<String, String> tags;
        try {
          tags = lambda.listTags(r -> r.resource(f.functionArn())).tags();
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException deletedSinceListed) {
          return; // the operator deleted it between the listing and this read: not there any more
        }
        if (owner.entrySet().stream().allMatch(e -> e.getValue().equals(tags.get(e.getKey())))) {
          owned.add(f.functionArn());
        }
      });
    }
    return owned;
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
