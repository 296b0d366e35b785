package io.lambdaingress.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** The adapters' contracts against moto: our reasons for AWS errors, messages naming the resource, batching. */
@WithLocalWorld
class AwsAdaptersIT {

  private static AwsClients aws;

  @BeforeAll
  static void clients(LocalWorld world) {
    aws = new AwsClients(new AwsCallCounter());
  }

  @AfterAll
  static void close() {
    aws.close();
  }

  @Test
  void unknownSubnetIsDependencyNotFoundNamingIt() {
    assertThatThrownBy(() -> aws.ec2().subnets(List.of("subnet-0123456789abcdef0")))
        .isInstanceOfSatisfying(AwsFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(Reason.DependencyNotFound);
          assertThat(f.getMessage()).contains("subnet-0123456789abcdef0");
        });
  }

  @Test
  void subnetsComeBackWithTheirVpcAndCidrInTheOrderAsked() {
    try (Ec2Client ec2 = Ec2Client.create()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
      String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.30.1.0/24")).subnet().subnetId();
      String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.30.2.0/24")).subnet().subnetId();

      var subnets = aws.ec2().subnets(List.of(b, a));

      assertThat(subnets.keySet()).containsExactly(b, a);
      assertThat(subnets.get(a).vpcId()).isEqualTo(vpc);
      assertThat(subnets.get(a).cidrBlock()).isEqualTo("10.30.1.0/24");
    }
  }

  @Test
  void missingEcrRepositoryAndTagAreDependencyNotFound() {
    String repo = LocalWorld.uniqueName("repo");
    assertThatThrownBy(() -> aws.ecr().resolve(repo, "latest"))
        .isInstanceOfSatisfying(AwsFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(Reason.DependencyNotFound);
          assertThat(f.getMessage()).contains("ECR repository " + repo);
        });
    try (var ecr = software.amazon.awssdk.services.ecr.EcrClient.create()) {
      ecr.createRepository(r -> r.repositoryName(repo));
    }
    assertThatThrownBy(() -> aws.ecr().resolve(repo, "v9"))
        .isInstanceOfSatisfying(AwsFailure.class, f -> {
          assertThat(f.reason()).isEqualTo(Reason.DependencyNotFound);
          assertThat(f.getMessage()).contains(repo + ":v9");
        });
  }

  @Test
  void tagsOfMoreThanTwentyResourcesAreReadTwentyAtATime() {
    List<String> arns = new ArrayList<>();
    String prefix = LocalWorld.uniqueName("tg");
    for (int i = 0; i < 21; i++) {
      String name = prefix + "-" + i;
      arns.add(aws.elbV2().createTargetGroup(CreateTargetGroupRequest.builder().name(name).targetType(TargetTypeEnum.LAMBDA)
          .tags(Tag.builder().key("n").value(name).build()).build()).targetGroupArn());
    }
    long before = aws.counter().snapshot().getOrDefault("elasticloadbalancing:DescribeTags", 0L);

    Map<String, Map<String, String>> tags = aws.elbV2().tags(arns);

    assertThat(tags).hasSize(21);
    assertThat(tags.get(arns.get(20))).containsEntry("n", prefix + "-20");
    assertThat(aws.counter().snapshot()).as("calls by IAM action")
        .containsEntry("elasticloadbalancing:DescribeTags", before + 2);
  }

  @Test
  void absentLoadBalancerAndFunctionAreEmptyNotErrors() {
    assertThat(aws.elbV2().loadBalancer(LocalWorld.uniqueName("nolb"))).isEmpty();
    assertThat(aws.elbV2().targetGroup(LocalWorld.uniqueName("notg"))).isEmpty();
    assertThat(aws.lambda().function(LocalWorld.uniqueName("nofn"))).isEmpty();
    assertThat(aws.lambda().policy(LocalWorld.uniqueName("nofn"))).isEmpty();
  }
}
