package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogBucketPolicyTest {

  private static final String ALB = "arn:aws:elasticloadbalancing:%s:111122223333:loadbalancer/app/li-x/50dc6c495c0c9188";

  @Test
  void onlyAccessLogsTurnedOnNameABucket() {
    assertThat(AccessLogBucketPolicy.of(Map.of("access_logs.s3.enabled", "false"), ALB.formatted("us-east-1"))).isEmpty();
    assertThat(AccessLogBucketPolicy.of(Map.of("deletion_protection.enabled", "true"), ALB.formatted("us-east-1"))).isEmpty();
    assertThat(AccessLogBucketPolicy.of(Map.of("access_logs.s3.enabled", "true", "access_logs.s3.bucket", "logs",
        "access_logs.s3.prefix", "p"), ALB.formatted("eu-west-1"))).contains(new AccessLogBucketPolicy("logs", "p", "eu-west-1", "111122223333"));
  }

  @Test
  void aRegionBeforeAugust2022GrantsItsElbAccountAndTheResourceIsThePrefixsAwsLogsPathOfTheAccount() {
    AccessLogBucketPolicy p = new AccessLogBucketPolicy("my-logs", "prod/api", "us-east-1", "111122223333");
    assertThat(p.resource()).isEqualTo("arn:aws:s3:::my-logs/prod/api/AWSLogs/111122223333/*");
    assertThat(p.statement()).isEqualTo("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::127311923021:root\"},"
        + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::my-logs/prod/api/AWSLogs/111122223333/*\"}");
  }

  @Test
  void aNewerRegionGrantsTheLogDeliveryServiceAndNoPrefixIsTheBucketsRoot() {
    AccessLogBucketPolicy p = new AccessLogBucketPolicy("my-logs", "", "eu-south-2", "111122223333");
    assertThat(p.resource()).isEqualTo("arn:aws:s3:::my-logs/AWSLogs/111122223333/*");
    assertThat(p.statement()).contains("\"Principal\":{\"Service\":\"logdelivery.elasticloadbalancing.amazonaws.com\"}");
  }

  @Test
  void theRefusalNamesTheFieldTheBucketAwssWordsAndTheStatementToAdd() {
    AccessLogBucketPolicy p = new AccessLogBucketPolicy("my-logs", "", "us-west-2", "111122223333");
    String aws = "InvalidConfigurationRequest: Access Denied for bucket: my-logs. Please check S3bucket permission";
    assertThat(p.refusal(aws)).startsWith("spec.alb.attributes.accessLogs: AWS refuses access logs to bucket my-logs (" + aws + ")")
        .contains("exist in us-west-2").endsWith("add this statement to the policy of bucket my-logs: " + p.statement())
        .doesNotContain("\n");
  }

  @Test
  void accessLogKeysAreTheS3Ones() {
    assertThat(AccessLogBucketPolicy.isAccessLogKey("access_logs.s3.prefix")).isTrue();
    assertThat(AccessLogBucketPolicy.isAccessLogKey("connection_logs.s3.enabled")).isFalse();
  }
}
