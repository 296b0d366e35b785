package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CloudTrailEventTest {

  private static String event(String source, String name, String identity, String params) {
    return "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.x\",\"detail\":{"
        + "\"eventSource\":\"" + source + "\",\"eventName\":\"" + name + "\",\"userIdentity\":" + identity
        + ",\"requestParameters\":" + params + "}}";
  }

  private static final String PERSON = "{\"type\":\"IAMUser\",\"accessKeyId\":\"AKIAPERSON\",\"arn\":\"arn:aws:iam::123456789012:user/p\"}";

  @Test
  void elbArnsNameTheirLoadBalancerOrTargetGroup() {
    CloudTrailEvent e = CloudTrailEvent.parse(event("elasticloadbalancing.amazonaws.com", "ModifyListener", PERSON,
        "{\"listenerArn\":\"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/li-nlb/50dc6c495c0c9188/f2f7dc8efc522ab2\","
            + "\"resourceArns\":[\"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/li-tg/73e2d6bc24d8a067\"]}")).orElseThrow();
    assertThat(e.keys()).containsExactlyInAnyOrder("lb:li-nlb", "tg:li-tg");
    assertThat(e.accessKeyId()).isEqualTo("AKIAPERSON");
    assertThat(e.eventName()).isEqualTo("ModifyListener");
  }

  @Test
  void lambdaCallsNameTheFunctionByNameOrArn() {
    assertThat(CloudTrailEvent.parse(event("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", PERSON,
        "{\"functionName\":\"arn:aws:lambda:us-east-1:123456789012:function:fn-a:live\"}")).orElseThrow().keys())
        .containsExactly("function:fn-a");
    assertThat(CloudTrailEvent.parse(event("lambda.amazonaws.com", "TagResource20170331v2", PERSON,
        "{\"resource\":\"arn:aws:lambda:us-east-1:123456789012:function:fn-b\"}")).orElseThrow().keys())
        .containsExactly("function:fn-b");
  }

  @Test
  void anEcrPushNamesRepositoryAndTag() {
    assertThat(CloudTrailEvent.parse(event("ecr.amazonaws.com", "PutImage", PERSON,
        "{\"repositoryName\":\"team/app\",\"imageTag\":\"latest\"}")).orElseThrow().keys())
        .containsExactly("image:team/app:latest");
  }

  @Test
  void anAssumedRoleIsKnownByItsRole() {
    String role = "{\"type\":\"AssumedRole\",\"accessKeyId\":\"ASIA1\",\"arn\":\"arn:aws:sts::1:assumed-role/op/pod-1\","
        + "\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:role/op\"}}}";
    assertThat(CloudTrailEvent.parse(event("lambda.amazonaws.com", "DeleteFunction20150331", role, "{\"functionName\":\"f\"}"))
        .orElseThrow().callerArn()).isEqualTo("arn:aws:iam::1:role/op");
  }

  @Test
  void otherMessagesAreNotEvents() {
    assertThat(CloudTrailEvent.parse("not json")).isEmpty();
    assertThat(CloudTrailEvent.parse("{\"detail\":{}}")).isEmpty();
    assertThat(CloudTrailEvent.parse(event("s3.amazonaws.com", "PutObject", PERSON, "{}"))).isEmpty();
  }

  @Test
  void theModelsKeysAreWhatEventsName() {
    ChainModel m = ChainModel.of(ChainModelTest.parse(ChainModelTest.ARTICLE), "prod", "vpc-1");
    Set<String> keys = CloudTrailEvent.keysOf(m);
    assertThat(keys).contains("lb:" + m.nlb().name(), "lb:" + m.alb().name(), "tg:" + m.nlb().albTargetGroup().name(),
        "tg:" + m.alb().lambdaTargetGroup().name(), "function:sample", "image:sample:latest");
  }
}
