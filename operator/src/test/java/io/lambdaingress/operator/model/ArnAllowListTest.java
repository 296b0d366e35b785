package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArnAllowListTest {

  private static final ArnAllowList DEFAULT_ROLES = ArnAllowList.parse(ArnAllowList.DEFAULT_ROLE_PATTERN);

  @Test
  void theDefaultAllowsRolesUnderTheLambdaIngressPathOnly() {
    assertThat(DEFAULT_ROLES.allows("arn:aws:iam::123456789012:role/lambda-ingress/sample-lambda")).isTrue();
    assertThat(DEFAULT_ROLES.allows("arn:aws:iam::123456789012:role/lambda-ingress/team-a/orders")).as("a deeper path").isTrue();
    assertThat(DEFAULT_ROLES.allows("arn:aws:iam::123456789012:role/sample-lambda")).as("no path").isFalse();
    assertThat(DEFAULT_ROLES.allows("arn:aws:iam::123456789012:role/lambda-ingress-admin")).as("a name that only starts alike").isFalse();
    assertThat(DEFAULT_ROLES.allows("arn:aws:iam::123456789012:role/other/lambda-ingress/x")).as("the path elsewhere").isFalse();
  }

  @Test
  void everythingButTheWildcardsIsLiteralAndCaseSensitiveLikeIam() {
    ArnAllowList one = ArnAllowList.parse("arn:aws:lambda:us-east-1:123456789012:function:orders.v1");
    assertThat(one.allows("arn:aws:lambda:us-east-1:123456789012:function:orders.v1")).isTrue();
    assertThat(one.allows("arn:aws:lambda:us-east-1:123456789012:function:ordersXv1")).as(". is a dot").isFalse();
    assertThat(one.allows("arn:aws:lambda:us-east-1:123456789012:function:orders.v10")).as("whole ARN").isFalse();
    assertThat(one.allows("arn:aws:lambda:us-east-1:123456789012:function:Orders.v1")).isFalse();
    assertThat(one.allows("arn:aws:lambda:us-east-1:123456789012:function:orders.v1:prod"))
        .as("an unqualified ARN does not cover the function's aliases, as in IAM").isFalse();
    assertThat(ArnAllowList.parse("arn:aws:lambda:*:*:function:orders:*").allows("arn:aws:lambda:us-east-1:123456789012:function:orders:prod"))
        .isTrue();
    assertThat(ArnAllowList.parse("arn:aws:lambda:us-east-?:*:function:a").allows("arn:aws:lambda:us-east-2:123456789012:function:a")).isTrue();
    assertThat(ArnAllowList.parse("arn:aws:lambda:us-east-?:*:function:a").allows("arn:aws:lambda:us-east-12:123456789012:function:a")).isFalse();
  }

  @Test
  void aCommaSeparatedSettingIsParsedAndDescribed() {
    ArnAllowList two = ArnAllowList.parse(" arn:aws:iam::*:role/a/* , ,arn:aws:iam::*:role/b ");
    assertThat(two.patterns()).containsExactly("arn:aws:iam::*:role/a/*", "arn:aws:iam::*:role/b");
    assertThat(two.describe()).isEqualTo("arn:aws:iam::*:role/a/*, arn:aws:iam::*:role/b");
    assertThat(ArnAllowList.parse("").patterns()).isEmpty();
    assertThat(ArnAllowList.none().describe()).isEqualTo("none");
    assertThat(ArnAllowList.none().allows("arn:aws:lambda:us-east-1:123456789012:function:orders")).isFalse();
    assertThatThrownBy(() -> new ArnAllowList(List.of("arn:aws:iam::*:role/a b"))).hasMessageContaining("whitespace");
  }
}
