package io.lambdaingress.operator.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.State;

/**
 * The reference article's Terraform stack (shared/seeds/), made outside the operator with the AWS SDK as Terraform
 * would make it: the same resources, names and settings (the NLB {@code nlb} with a static IP in subnet a and
 * cross-zone on, TCP:80 to the alb target group {@code nlb-tg}; the ALB {@code alb} in subnets b and c, HTTP:80 to the
 * lambda target group {@code alb-tg}; the image function {@code sample}, 30 s, the module's default memory, ENV=hoge,
 * in subnets d and e; the permission AllowExecutionFromlb), each name followed by {@code suffix} so that one world
 * can hold two. Returned once it serves: the ALB healthy in the NLB's group. A stack for what AdoptionIT adopts.
 */
public record ArticleStack(String nlbName, String nlbArn, String nlbListenerArn, String albTargetGroupArn, String albName, String albArn,
    String albListenerArn, String lambdaTargetGroupArn, String functionName, String functionArn, String staticIp) {

  private static final Duration SERVES = Duration.ofSeconds(30);

  public static ArticleStack create(ArticlePrerequisites pre, String suffix, String staticIp) {
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create(); LambdaClient lambda = LambdaClient.create();
        EcrClient ecr = EcrClient.create()) {
      String repositoryUri = ecr.describeRepositories(r -> r.repositoryNames(pre.repository())).repositories().get(0).repositoryUri();
      // module "sample": the function first (Terraform creates it in parallel with the load balancers).
      String functionName = "sample" + suffix;
      String functionArn = lambda.createFunction(r -> r.functionName(functionName).description("sample").packageType(PackageType.IMAGE)
          .code(c -> c.imageUri(repositoryUri + ":latest")).role(pre.roleArn()).timeout(30)
          .vpcConfig(v -> v.subnetIds(pre.subnets().get("d"), pre.subnets().get("e")).securityGroupIds(pre.lambdaSecurityGroup()))
          .environment(e -> e.variables(Map.of("ENV", "hoge")))).functionArn();
      String nlbName = "nlb" + suffix;
      String nlbArn = elb.createLoadBalancer(r -> r.name(nlbName).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL)
          .subnetMappings(m -> m.subnetId(pre.subnets().get("a")).privateIPv4Address(staticIp))).loadBalancers().get(0).loadBalancerArn();
      elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(nlbArn).attributes(a -> a.key("load_balancing.cross_zone.enabled").value("true")));
      String nlbTg = elb.createTargetGroup(r -> r.name("nlb-tg" + suffix).targetType(TargetTypeEnum.ALB).vpcId(pre.vpcId())
          .protocol(ProtocolEnum.TCP).port(80)).targetGroups().get(0).targetGroupArn();
      String albName = "alb" + suffix;
      String albArn = elb.createLoadBalancer(r -> r.name(albName).type(LoadBalancerTypeEnum.APPLICATION).scheme(LoadBalancerSchemeEnum.INTERNAL)
          .subnets(pre.subnets().get("b"), pre.subnets().get("c")).securityGroups(pre.albSecurityGroup())).loadBalancers().get(0).loadBalancerArn();
      String albTg = elb.createTargetGroup(r -> r.name("alb-tg" + suffix).targetType(TargetTypeEnum.LAMBDA)).targetGroups().get(0).targetGroupArn();
      String albListener = elb.createListener(r -> r.loadBalancerArn(albArn).protocol(ProtocolEnum.HTTP).port(80)
          .defaultActions(forward(albTg))).listeners().get(0).listenerArn();
      lambda.addPermission(r -> r.functionName(functionName).statementId("AllowExecutionFromlb").action("lambda:InvokeFunction")
          .principal("elasticloadbalancing.amazonaws.com").sourceArn(albTg));
      // Terraform retries the attachment while AWS answers AccessDenied (the permission propagating).
      await().atMost(SERVES).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
          .until(() -> elb.registerTargets(r -> r.targetGroupArn(albTg).targets(t -> t.id(functionArn))) != null);
      String nlbListener = elb.createListener(r -> r.loadBalancerArn(nlbArn).protocol(ProtocolEnum.TCP).port(80)
          .defaultActions(forward(nlbTg))).listeners().get(0).listenerArn();
      elb.registerTargets(r -> r.targetGroupArn(nlbTg).targets(t -> t.id(albArn).port(80)));
      await().atMost(SERVES).pollInterval(Duration.ofMillis(300)).until(() -> lambda.getFunction(r -> r.functionName(functionName))
          .configuration().state() == State.ACTIVE && elb.describeTargetHealth(r -> r.targetGroupArn(nlbTg)).targetHealthDescriptions()
          .stream().anyMatch(d -> d.targetHealth().state() == TargetHealthStateEnum.HEALTHY));
      return new ArticleStack(nlbName, nlbArn, nlbListener, nlbTg, albName, albArn, albListener, albTg, functionName, functionArn, staticIp);
    }
  }

  private static Action forward(String targetGroupArn) {
    return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
  }

  /** Every ARN of the stack: load balancers, listeners, target groups and the function. */
  public List<String> arns() {
    return List.of(nlbArn, nlbListenerArn, albTargetGroupArn, albArn, albListenerArn, lambdaTargetGroupArn, functionArn);
  }

  /** Takes down what is left of it, as terraform destroy would; what is gone already is skipped. */
  public void destroy() {
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create(); LambdaClient lambda = LambdaClient.create()) {
      List<Consumer<Void>> steps = List.of(
          v -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlbArn)),
          v -> elb.deleteTargetGroup(r -> r.targetGroupArn(albTargetGroupArn)),
          v -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(albArn)),
          v -> elb.deleteTargetGroup(r -> r.targetGroupArn(lambdaTargetGroupArn)),
          v -> lambda.deleteFunction(r -> r.functionName(functionName)));
      for (Consumer<Void> step : steps) {
        try {
          step.accept(null);
        } catch (RuntimeException goneOrHeld) {
          // best effort: a later run's names are its own (a fresh world), and what is held here is gone with the world
        }
      }
    }
  }
}
