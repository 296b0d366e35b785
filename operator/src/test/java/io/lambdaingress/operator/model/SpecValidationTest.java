package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.OperatorSettings;
import io.lambdaingress.operator.api.LambdaIngressSpec;
import io.lambdaingress.operator.model.SpecValidation.SubnetFacts;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidationTest {

  private static final Map<String, SubnetFacts> ARTICLE_SUBNETS = Map.of(
      "subnet-0a1b2c3d4e5f60718", new SubnetFacts("vpc-1", "10.20.0.0/24", "us-east-1a"),
      "subnet-0b1b2c3d4e5f60718", new SubnetFacts("vpc-1", "10.20.1.0/24", "us-east-1b"),
      "subnet-0c1b2c3d4e5f60718", new SubnetFacts("vpc-1", "10.20.2.0/24", "us-east-1c"),
      "subnet-0d1b2c3d4e5f60718", new SubnetFacts("vpc-1", "10.20.3.0/24", "us-east-1a"));
  private static final Map<String, String> GROUPS = Map.of("sg-0123456789abcdef0", "vpc-1", "sg-0456789abcdef0123", "vpc-1");

  private static LambdaIngressSpec spec(String yaml) {
    return ChainModelTest.parse(yaml).getSpec();
  }

  @Test
  void theArticleStackIsValid() {
    assertThat(SpecValidation.ofSpec(spec(ChainModelTest.ARTICLE))).isEmpty();
    assertThat(SpecValidation.ofNetwork(spec(ChainModelTest.ARTICLE), ARTICLE_SUBNETS, GROUPS)).isEmpty();
  }

  @Test
  void anAdoptedFunctionIsManagedUnderItsOwnName() {
    String adopting = ChainModelTest.ARTICLE + "  adopt: {function: arn:aws:lambda:us-east-1:123456789012:function:sample}\n";
    assertThat(SpecValidation.ofSpec(spec(adopting))).isEmpty();
    assertThat(SpecValidation.ofSpec(spec(adopting.replace("function:sample}", "function:other}")))).singleElement().asString()
        .contains("spec.lambda.function.name: 'sample' is not the adopted function (spec.adopt.function: "
            + "arn:aws:lambda:us-east-1:123456789012:function:other)");
  }

  @Test
  void subnetsInTwoVpcsAreNamedByField() {
    Map<String, SubnetFacts> subnets = new HashMap<>(ARTICLE_SUBNETS);
    subnets.put("subnet-0c1b2c3d4e5f60718", new SubnetFacts("vpc-2", "10.30.2.0/24", "us-east-1c"));
    assertThat(SpecValidation.ofNetwork(spec(ChainModelTest.ARTICLE), subnets, GROUPS)).singleElement().asString()
        .startsWith("spec.alb.subnets[1]: subnet subnet-0c1b2c3d4e5f60718 is in vpc-2").contains("one VPC");
  }

  @Test
  void aSecurityGroupInAnotherVpcIsNamed() {
    assertThat(SpecValidation.ofNetwork(spec(ChainModelTest.ARTICLE), ARTICLE_SUBNETS,
        Map.of("sg-0123456789abcdef0", "vpc-9", "sg-0456789abcdef0123", "vpc-1"))).singleElement().asString()
        .isEqualTo("spec.alb.securityGroups[0]: security group sg-0123456789abcdef0 is in vpc-9, not in the subnets' VPC vpc-1");
    assertThat(SpecValidation.ofNetwork(spec(ChainModelTest.ARTICLE), ARTICLE_SUBNETS,
        Map.of("sg-0123456789abcdef0", "vpc-1", "sg-0456789abcdef0123", "vpc-9"))).singleElement().asString()
        .startsWith("spec.lambda.function.vpc.securityGroupIds[0]: security group sg-0456789abcdef0123 is in vpc-9");
  }

  @Test
  void aStaticIpOutsideItsSubnetOrReservedByAwsIsNamed() {
    assertThat(SpecValidation.ofNetwork(spec(ChainModelTest.ARTICLE.replace("10.20.0.10", "10.20.9.10")), ARTICLE_SUBNETS, GROUPS))
        .singleElement().asString().startsWith("spec.nlb.subnetMappings[0].privateIPv4Address: 10.20.9.10 is outside subnet");
    assertThat(SpecValidation.ofNetwork(spec(ChainModelTest.ARTICLE.replace("10.20.0.10", "10.20.0.1")), ARTICLE_SUBNETS, GROUPS))
        .singleElement().asString().contains("reserves");
  }

  @Test
  void albSubnetsInOneZoneAndDuplicatesAreRefused() {
    String oneZone = ChainModelTest.ARTICLE.replace("subnets: [subnet-0b1b2c3d4e5f60718, subnet-0c1b2c3d4e5f60718]",
        "subnets: [subnet-0a1b2c3d4e5f60718, subnet-0d1b2c3d4e5f60718]");
    assertThat(SpecValidation.ofNetwork(spec(oneZone), ARTICLE_SUBNETS, GROUPS)).singleElement().asString()
        .startsWith("spec.alb.subnets: an ALB needs subnets in at least two Availability Zones");
    String twice = ChainModelTest.ARTICLE.replace("subnets: [subnet-0b1b2c3d4e5f60718, subnet-0c1b2c3d4e5f60718]",
        "subnets: [subnet-0b1b2c3d4e5f60718, subnet-0b1b2c3d4e5f60718]");
    assertThat(SpecValidation.ofSpec(spec(twice))).singleElement().asString().startsWith("spec.alb.subnets: a subnet is listed twice");
  }

  private static String nlbSubnets(String first, String second) {
    return ChainModelTest.ARTICLE.replace("subnetMappings: [{subnetId: subnet-0a1b2c3d4e5f60718, privateIPv4Address: 10.20.0.10}]",
        "subnetMappings: [{subnetId: " + first + "}, {subnetId: " + second + "}]");
  }

  @Test
  void eachLoadBalancerTakesOneSubnetPerZone() {
    // Subnets a and d are both in us-east-1a: AWS refuses two subnets of one zone for an NLB or an ALB.
    String nlbTwice = nlbSubnets("subnet-0a1b2c3d4e5f60718", "subnet-0d1b2c3d4e5f60718");
    assertThat(SpecValidation.ofNetwork(spec(nlbTwice), ARTICLE_SUBNETS, GROUPS)).singleElement().asString()
        .isEqualTo("spec.nlb.subnetMappings[1].subnetId: subnet subnet-0d1b2c3d4e5f60718 is in us-east-1a like "
            + "spec.nlb.subnetMappings[0]; an NLB takes one subnet per Availability Zone");
    assertThat(SpecValidation.ofNetwork(spec(nlbSubnets("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60718")), ARTICLE_SUBNETS, GROUPS)).singleElement().asString()
        .startsWith("spec.nlb.subnetMappings[1].subnetId:");

    String albThree = ChainModelTest.ARTICLE.replace("subnets: [subnet-0b1b2c3d4e5f60718, subnet-0c1b2c3d4e5f60718]",
        "subnets: [subnet-0a1b2c3d4e5f60718, subnet-0b1b2c3d4e5f60718, subnet-0d1b2c3d4e5f60718]");
    assertThat(SpecValidation.ofNetwork(spec(albThree), ARTICLE_SUBNETS, GROUPS)).singleElement().asString()
        .isEqualTo("spec.alb.subnets[2]: subnet subnet-0d1b2c3d4e5f60718 is in us-east-1a like spec.alb.subnets[0]; "
            + "an ALB takes one subnet per Availability Zone");
  }

  @Test
  void aBadImageUriAndAPrivateIpOnAnInternetFacingNlbAreRefused() {
    String badUri = ChainModelTest.ARTICLE.replace("image: {repository: sample, tag: latest}", "image: {uri: 'docker.io/library/nginx'}");
    assertThat(SpecValidation.ofSpec(spec(badUri))).singleElement().asString().startsWith("spec.lambda.function.image.uri:");
    String publicNlb = ChainModelTest.ARTICLE.replaceFirst("scheme: internal", "scheme: internet-facing");
    assertThat(SpecValidation.ofSpec(spec(publicNlb))).singleElement().asString()
        .startsWith("spec.nlb.subnetMappings: privateIPv4Address is only for an internal NLB");
  }

  @Test
  void everySubnetIsListedWithItsField() {
    assertThat(SpecValidation.subnetFields(spec(ChainModelTest.ARTICLE))).containsExactly(
        Map.entry("subnet-0a1b2c3d4e5f60718", "spec.nlb.subnetMappings[0].subnetId"),
        Map.entry("subnet-0b1b2c3d4e5f60718", "spec.alb.subnets[0]"),
        Map.entry("subnet-0c1b2c3d4e5f60718", "spec.alb.subnets[1]"),
        Map.entry("subnet-0d1b2c3d4e5f60718", "spec.lambda.function.vpc.subnetIds[0]"));
  }

  @Test
  void anEnvironmentOverLambdasFourKilobytesIsRefusedCountingTheHealthPath() {
    // LAMBDA_INGRESS_HEALTH_PATH=/healthz is 26 + 8 = 34 bytes; BIG + value makes 4096 - 34 + 1 in all.
    String over = ChainModelTest.ARTICLE.replace("environment: {ENV: hoge}", "environment: {BIG: " + "x".repeat(4096 - 34 - 3 + 1) + "}");
    assertThat(SpecValidation.ofSpec(spec(over))).singleElement().asString()
        .isEqualTo("spec.lambda.function.environment: 4097 bytes of keys and values (with LAMBDA_INGRESS_HEALTH_PATH) "
            + "exceed Lambda's limit of 4 KB");
    String exactly = ChainModelTest.ARTICLE.replace("environment: {ENV: hoge}", "environment: {BIG: " + "x".repeat(4096 - 34 - 3) + "}");
    assertThat(SpecValidation.ofSpec(spec(exactly))).isEmpty();
    // Bytes, not characters: three bytes per character here.
    String wide = ChainModelTest.ARTICLE.replace("environment: {ENV: hoge}", "environment: {BIG: " + "あ".repeat(1400) + "}");
    assertThat(SpecValidation.ofSpec(spec(wide))).singleElement().asString().contains("4237 bytes");
  }

  private static final ArnAllowList ROLES = ArnAllowList.parse(ArnAllowList.DEFAULT_ROLE_PATTERN);

  @Test
  void aRoleOutsideTheAllowedSetIsRefusedNamingTheFieldAndTheChartValue() {
    // ChainModelTest.ARTICLE names arn:aws:iam::123456789012:role/sample-lambda: no /lambda-ingress/ path.
    assertThat(SpecValidation.ofAllowLists(spec(ChainModelTest.ARTICLE), ROLES, ArnAllowList.none())).singleElement().asString()
        .isEqualTo("spec.lambda.function.roleArn: role arn:aws:iam::123456789012:role/sample-lambda is not one this operator "
            + "may pass to Lambda (allowed: arn:aws:iam::*:role/lambda-ingress/*); use a role that matches, or add it to the "
            + "chart value allowedRoleArns (" + OperatorSettings.ALLOWED_ROLE_ARNS + ") and to the iam:PassRole statement of "
            + "the operator's IAM policy");
    String underPath = ChainModelTest.ARTICLE.replace("role/sample-lambda", "role/lambda-ingress/sample-lambda");
    assertThat(SpecValidation.ofAllowLists(spec(underPath), ROLES, ArnAllowList.none())).isEmpty();
    assertThat(SpecValidation.ofAllowLists(spec(ChainModelTest.ARTICLE), ArnAllowList.parse("arn:aws:iam::123456789012:role/sample-*"),
        ArnAllowList.none())).as("a cluster that allows it").isEmpty();
  }

  @Test
  void anExistingFunctionIsAllowedOnlyWhenListed() {
    String a = ChainModelTest.ARTICLE;
    String existing = a.substring(0, a.indexOf("    function:\n")) + "    functionArn: arn:aws:lambda:us-east-1:123456789012:function:existing\n"
        + a.substring(a.indexOf("    multiValueHeaders:"));
    assertThat(SpecValidation.ofAllowLists(spec(existing), ROLES, ArnAllowList.none())).singleElement().asString()
        .isEqualTo("spec.lambda.functionArn: function arn:aws:lambda:us-east-1:123456789012:function:existing is not an "
            + "existing function this operator may expose (allowed: none); add it to the chart value allowedFunctionArns ("
            + OperatorSettings.ALLOWED_FUNCTION_ARNS + ") and to the operator's IAM policy (docs/iam-policy-existing-functions.json)");
    assertThat(SpecValidation.ofAllowLists(spec(existing), ROLES,
        ArnAllowList.parse("arn:aws:lambda:us-east-1:123456789012:function:other,arn:aws:lambda:*:*:function:exist*"))).isEmpty();
  }
}
