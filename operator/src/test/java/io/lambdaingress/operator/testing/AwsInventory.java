package io.lambdaingress.operator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Test-side reads of AWS: which resources carry a LambdaIngress's owner tags (to prove nothing leaked). */
public final class AwsInventory {

  private AwsInventory() {}

  /** ARNs of every load balancer, target group and function tagged as owned by cluster/namespace/name. */
  public static List<String> ownedBy(String cluster, String namespace, String name) {
    // A resource deleted between the listing and the tag read (the operator works meanwhile) fails the batch:
    // list again.
    for (int attempt = 1; ; attempt++) {
      try {
        return ownedByOnce(cluster, namespace, name);
      } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException
          | software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private static List<String> ownedByOnce(String cluster, String namespace, String name) {
    Map<String, String> owner = Map.of("lambdaingress.io/cluster", cluster, "lambdaingress.io/namespace", namespace,
        "lambdaingress.io/name", name);
    List<String> owned = new ArrayList<>();
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create(); LambdaClient lambda = LambdaClient.create()) {
      List<String> arns = new ArrayList<>();
      elb.describeLoadBalancersPaginator(r -> r.pageSize(400)).loadBalancers().forEach(lb -> arns.add(lb.loadBalancerArn()));
      elb.describeTargetGroupsPaginator(r -> r.pageSize(400)).targetGroups().forEach(tg -> arns.add(tg.targetGroupArn()));
      for (int i = 0; i < arns.size(); i += 20) {
        List<String> batch = arns.subList(i, Math.min(arns.size(), i + 20));
        elb.describeTags(r -> r.resourceArns(batch)).tagDescriptions().forEach(d -> {
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

  public static Map<String, String> tagsOf(ElasticLoadBalancingV2Client elb, String arn) {
    return elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions().get(0).tags().stream()
        .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
  }
}
