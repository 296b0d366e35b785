package io.lambdaingress.operator.aws;

import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS, for the optional event queue: long polling (up to 10 messages, waiting up to 20 s: the API's
 * maxima, as Karpenter's interruption queue does) and deletion of what was handled.
 */
public final class EventQueueClient {

  /** One message: its body (an EventBridge event as JSON) and the handle that deletes it. */
  public record Message(String body, String receiptHandle) {}

  static final int MAX_MESSAGES = 10;
  static final int WAIT_SECONDS = 20;

  private final SqsClient sqs;

  EventQueueClient(SqsClient sqs) {
    this.sqs = sqs;
  }

  /** Waits up to 20 s for messages; empty when none came. */
  public List<Message> receive(String queueUrl) {
    return AwsCall.run("receive from " + queueUrl, () -> sqs.receiveMessage(r -> r.queueUrl(queueUrl)
        .maxNumberOfMessages(MAX_MESSAGES).waitTimeSeconds(WAIT_SECONDS))).messages().stream()
        .map(m -> new Message(m.body(), m.receiptHandle())).toList();
  }

  /**
   * Deletes handled messages, one call each: events come only with writes, so few. (DeleteMessageBatch would
   * save calls, but is authorised as sqs:DeleteMessage, which the call counter and IamPolicyIT could not tell.)
   */
  public void delete(String queueUrl, List<Message> handled) {
    for (Message m : handled) {
      AwsCall.run("delete from " + queueUrl, () -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
    }
  }
}
