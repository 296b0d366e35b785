package io.lambdaingress.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fault proxy counts writes by these names: every protocol the operator's SDK clients speak. */
class AwsRequestTest {

  private static String auth(String service) {
    return "AWS4-HMAC-SHA256 Credential=testing/20261125/us-east-1/" + service + "/aws4_request, SignedHeaders=host, Signature=0";
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {4} write={5}")
  @CsvSource(delimiter = '|', value = {
      // service            | method | path                                                        | body or target                                      | name                                               | write
      "elasticloadbalancing | POST   | /                                                           | Action=CreateLoadBalancer&Version=2015-12-01&Name=x  | elasticloadbalancing:CreateLoadBalancer            | true",
      "elasticloadbalancing | POST   | /                                                           | Version=2015-12-01&Action=DescribeTags               | elasticloadbalancing:DescribeTags                  | false",
      "elasticloadbalancing | POST   | /                                                           | Action=ModifyTargetGroupAttributes&Version=2015-12-01 | elasticloadbalancing:ModifyTargetGroupAttributes  | true",
      "ec2                  | POST   | /                                                           | Action=DescribeSubnets&Version=2016-11-15            | ec2:DescribeSubnets                                | false",
      "ecr                  | POST   | /                                                           | target:AmazonEC2ContainerRegistry_V20150921.DescribeImages | ecr:DescribeImages                          | false",
      "lambda               | POST   | /2015-03-31/functions                                       |                                                      | lambda:CreateFunction                              | true",
      "lambda               | GET    | /2015-03-31/functions/f                                     |                                                      | lambda:GetFunction                                 | false",
      "lambda               | PUT    | /2015-03-31/functions/f/configuration                       |                                                      | lambda:UpdateFunctionConfiguration                 | true",
      "lambda               | PUT    | /2015-03-31/functions/f/code                                |                                                      | lambda:UpdateFunctionCode                          | true",
      "lambda               | DELETE | /2015-03-31/functions/f                                     |                                                      | lambda:DeleteFunction                              | true",
      "lambda               | GET    | /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/policy |                   | lambda:GetPolicy                                   | false",
      "lambda               | POST   | /2015-03-31/functions/f/policy                              |                                                      | lambda:AddPermission                               | true",
      "lambda               | DELETE | /2015-03-31/functions/f/policy/lambda-ingress-1a2b3c4d      |                                                      | lambda:RemovePermission                            | true",
      "lambda               | POST   | /2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af |                                | lambda:TagResource                                 | true",
      "lambda               | DELETE | /2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af?tagKeys=team |                   | lambda:UntagResource                               | true",
      "lambda               | PUT    | /2017-10-31/functions/f/concurrency                         |                                                      | lambda:PutFunctionConcurrency                      | true",
      "lambda               | DELETE | /2017-10-31/functions/f/concurrency                         |                                                      | lambda:DeleteFunctionConcurrency                   | true",
      "lambda               | PUT    | /2019-09-30/functions/f/provisioned-concurrency?Qualifier=live |                                                   | lambda:PutProvisionedConcurrencyConfig             | true",
      "wafv2                | POST   | /                                                           | target:AWSWAF_20190729.AssociateWebACL               | wafv2:AssociateWebACL                              | true",
      "wafv2                | POST   | /                                                           | target:AWSWAF_20190729.GetWebACLForResource          | wafv2:GetWebACLForResource                         | false",
      "lambda               | GET    | /2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af |                                | lambda:ListTags                                    | false",
  })
  void namesAndClassifiesEveryCallTheOperatorMakes(String service, String method, String path, String bodyOrTarget, String name, boolean write) {
    String target = bodyOrTarget != null && bodyOrTarget.startsWith("target:") ? bodyOrTarget.substring("target:".length()) : null;
    byte[] body = bodyOrTarget == null || target != null ? new byte[0] : bodyOrTarget.getBytes(StandardCharsets.UTF_8);
    AwsRequest request = AwsRequest.of(method, path, auth(service), target, body);
    assertThat(request.name()).isEqualTo(name);
    assertThat(request.write()).isEqualTo(write);
  }
}
