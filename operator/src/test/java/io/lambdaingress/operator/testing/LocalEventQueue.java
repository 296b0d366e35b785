package io.lambdaingress.operator.testing;

import io.lambdaingress.operator.EventQueueSettings;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The event queue of docs/events.md in the local world: an SQS queue (named lambda-ingress-*, as the IAM
 * policy scopes it) and the EventBridge rule that fills it with the CloudTrail events the AWS rules layer
 * publishes. EventsIT and the scale benchmark's --queue.
 */
public final class LocalEventQueue {

  private LocalEventQueue() {}

  /** A new queue and rule; the operator verifies everything every {@code fullVerificationPeriods}-th period. */
  public static EventQueueSettings create(int fullVerificationPeriods) {
    try (SqsClient sqs = SqsClient.create(); EventBridgeClient events = EventBridgeClient.create()) {
      String name = LocalWorld.uniqueName("lambda-ingress-bench");
      String url = sqs.createQueue(q -> q.queueName(name)).queueUrl();
      String arn = sqs.getQueueAttributes(q -> q.queueUrl(url).attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
      events.putRule(r -> r.name(name).eventPattern("{\"source\":[\"aws.elasticloadbalancing\",\"aws.lambda\",\"aws.ecr\"],"
          + "\"detail-type\":[\"AWS API Call via CloudTrail\"]}"));
      events.putTargets(r -> r.rule(name).targets(t -> t.id("queue").arn(arn)));
      return new EventQueueSettings(url, fullVerificationPeriods);
    }
  }

  /** Removes the rule and the queue (later writes would fill it for nobody). */
  public static void delete(EventQueueSettings queue) {
    if (!queue.enabled()) {
      return;
    }
    String name = queue.queueUrl().substring(queue.queueUrl().lastIndexOf('/') + 1);
    try (SqsClient sqs = SqsClient.create(); EventBridgeClient events = EventBridgeClient.create()) {
      events.removeTargets(r -> r.rule(name).ids("queue"));
      events.deleteRule(r -> r.name(name));
      sqs.deleteQueue(q -> q.queueUrl(queue.queueUrl()));
    }
  }
}
