package io.lambdaingress.operator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Deletes the load balancers, target groups, functions and endpoint services a test class made, by name, once it
 * is done with them, so that the classes after it do not list them. Every operator lists the account's load
 * balancers and target groups, and moto's answer takes time in proportion to its length: in the suite of
 * 2026-12-07, {@code DescribeLoadBalancers}, {@code DescribeTargetGroups} and {@code DescribeTags} were three
 * quarters of the rules layer's time (operator/target/aws-call-stats.txt), with about 80 load balancers listed, most of
 * them left by classes that had ended. Best effort: what AWS refuses stays, and is counted in the line returned.
 */
public final class AwsSweep {

  private AwsSweep() {}

  /** What is named as {@code ours} says, deleted in the chain's reverse order; a line saying how it went. */
  public static String deleteNamed(ElasticLoadBalancingV2Client elb, LambdaClient lambda, Ec2Client ec2, Predicate<String> ours) {
    return delete(elb, lambda, ec2, ours, null);
  }

  /**
   * The same, with the load balancers and target groups whose tags {@code tagged} accepts (an operator's owner tags
   * name its namespace; a route's group does not carry it in its name).
   */
  public static String delete(ElasticLoadBalancingV2Client elb, LambdaClient lambda, Ec2Client ec2, Predicate<String> ours,
      Predicate<Map<String, String>> tagged) {
    Predicate<String> named = n -> n != null && ours.test(n);
    List<LoadBalancer> allLbs = elb.describeLoadBalancersPaginator(r -> {}).loadBalancers().stream().toList();
    List<TargetGroup> allTgs = elb.describeTargetGroupsPaginator(r -> {}).targetGroups().stream().toList();
    Set<String> taggedArns = new TreeSet<>();
    if (tagged != null) {
      List<String> arns = new ArrayList<>(allLbs.stream().map(LoadBalancer::loadBalancerArn).toList());
      arns.addAll(allTgs.stream().map(TargetGroup::targetGroupArn).toList());
      for (int i = 0; i < arns.size(); i += 20) {
        AwsInventory.tagDescriptions(elb, arns.subList(i, Math.min(arns.size(), i + 20))).stream()
            .filter(d -> tagged.test(d.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b))))
            .forEach(d -> taggedArns.add(d.resourceArn()));
      }
    }
    List<LoadBalancer> lbs = allLbs.stream().filter(lb -> named.test(lb.loadBalancerName()) || taggedArns.contains(lb.loadBalancerArn())).toList();
    List<TargetGroup> tgs = allTgs.stream().filter(tg -> named.test(tg.targetGroupName()) || taggedArns.contains(tg.targetGroupArn())).toList();
    Set<String> lbArns = new TreeSet<>(lbs.stream().map(LoadBalancer::loadBalancerArn).toList());
    List<Runnable> deletions = new ArrayList<>();
    ec2.describeVpcEndpointServiceConfigurations().serviceConfigurations().stream()
        .filter(sc -> sc.networkLoadBalancerArns().stream().anyMatch(lbArns::contains))
        .forEach(sc -> deletions.add(() -> {
          // AWS deletes a service only once its endpoint connections are rejected.
          List<String> endpoints = ec2.describeVpcEndpointConnections(r -> r.filters(f -> f.name("service-id").values(sc.serviceId())))
              .vpcEndpointConnections().stream().map(c -> c.vpcEndpointId()).toList();
          if (!endpoints.isEmpty()) {
            ec2.rejectVpcEndpointConnections(r -> r.serviceId(sc.serviceId()).vpcEndpointIds(endpoints));
          }
          ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(sc.serviceId()));
        }));
    // NLBs first (their listeners use the alb groups), then the alb groups (ALBs registered in them), the ALBs,
    // the other groups (listeners gone with the ALBs), the functions.
    lbs.stream().filter(lb -> lb.typeAsString().equals("network")).forEach(lb -> deletions.add(() -> deleteLoadBalancer(elb, lb)));
    tgs.stream().filter(tg -> "alb".equals(tg.targetTypeAsString()))
        .forEach(tg -> deletions.add(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()))));
    lbs.stream().filter(lb -> !lb.typeAsString().equals("network")).forEach(lb -> deletions.add(() -> deleteLoadBalancer(elb, lb)));
    tgs.stream().filter(tg -> !"alb".equals(tg.targetTypeAsString()))
        .forEach(tg -> deletions.add(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()))));
    lambda.listFunctionsPaginator(r -> {}).functions().stream().filter(f -> named.test(f.functionName()))
        .forEach(f -> deletions.add(() -> lambda.deleteFunction(r -> r.functionName(f.functionName()))));
    // A service or load balancer being deleted still holds what it used for a moment: what AWS refused is tried
    // again, twice.
    List<Runnable> left = deletions;
    List<String> refused = new ArrayList<>();
    for (int pass = 0; pass < 3 && !left.isEmpty(); pass++) {
      if (pass > 0) {
        OperatorHarness.sleep(3000);
      }
      List<Runnable> again = new ArrayList<>();
      refused.clear();
      for (Runnable d : left) {
        try {
          d.run();
        } catch (SdkException e) {
          again.add(d);
          refused.add(e instanceof AwsServiceException a ? a.awsErrorDetails().errorCode() : e.getMessage());
        }
      }
      left = again;
    }
    return String.format("%d deleted, %d refused %s", deletions.size() - refused.size(), refused.size(), refused);
  }

  /** A load balancer, its deletion protection (a test of that attribute may leave it on) turned off first if AWS refuses. */
  private static void deleteLoadBalancer(ElasticLoadBalancingV2Client elb, LoadBalancer lb) {
    try {
      elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
    } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.OperationNotPermittedException e) {
      elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
          .attributes(a -> a.key("deletion_protection.enabled").value("false")));
      elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
    }
  }
}
