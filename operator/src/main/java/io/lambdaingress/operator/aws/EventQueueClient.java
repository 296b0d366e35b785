package io.lambdaingress.operator.aws;

import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

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
   * Deletes handled messages, 10 a call (DeleteMessageBatch, authorised as sqs:DeleteMessage). A message
   * the batch could not delete comes back after its visibility timeout and is handled again: harmless, an
   * event only triggers a reconcile.
   */
  public void delete(String queueUrl, List<Message> handled) {
    for (int i = 0; i < handled.size(); i += MAX_MESSAGES) {
      List<Message> batch = handled.subList(i, Math.min(handled.size(), i + MAX_MESSAGES));
      List<DeleteMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
      for (int j = 0; j < batch.size(); j++) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(j)).receiptHandle(batch.get(j).receiptHandle()).build());
      }
      AwsCall.run("delete from " + queueUrl, () -> sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)));
    }
  }
}
