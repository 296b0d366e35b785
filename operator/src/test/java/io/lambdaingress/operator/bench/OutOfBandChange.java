package io.lambdaingress.operator.bench;

import io.lambdaingress.operator.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Someone else (other credentials than the operator's) moves an object's NLB listener to port 81: the
 * seconds until the operator has it back on 80 (by its event with the queue, by the next full verification
 * without).
 */
final class OutOfBandChange {

  private OutOfBandChange() {}

  @SuppressWarnings("unchecked")
  static double secondsToRepair(OperatorHarness operator, String ns, String name, Duration timeout) throws InterruptedException {
    Map<String, Object> status = (Map<String, Object>) operator.get(ns, name).getAdditionalProperties().get("status");
    String listener = String.valueOf(((Map<String, Object>) status.get("nlb")).get("listenerArn"));
    try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder()
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCHPERSON", "secret"))).build()) {
      elb.modifyListener(q -> q.listenerArn(listener).port(81));
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (elb.describeListeners(q -> q.listenerArns(listener)).listeners().get(0).port() == 80) {
          return (System.nanoTime() - start) / 1e9;
        }
        Thread.sleep(200);
      }
      return Double.NaN;
    }
  }
}
