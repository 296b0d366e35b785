package io.lambdaingress.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.lambdaingress.operator.api.LambdaIngress;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.EventQueueClient;
import io.lambdaingress.operator.model.CloudTrailEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JOSDK event source fed by the event queue (docs/events.md): long-polls SQS, and for each CloudTrail
 * event that names a resource of an object, drops the shared reads of that resource and triggers the
 * object's reconcile at once. Calls signed with the operator's own credentials are its own writes, already
 * converged: they are counted and ignored (no reconcile storm after every write). Messages are deleted once
 * handled; one that cannot be parsed is deleted too (it would come back forever). Delivery is best effort:
 * what is lost is found by the next full verification (the periodic resync).
 */
public final class AwsChangeEvents extends AbstractEventSource<Void, LambdaIngress> {

  private static final Logger log = LoggerFactory.getLogger(AwsChangeEvents.class);
  // After a failed receive (throttling, the queue gone, no permission): the pause before the next.
  private static final Duration RETRY = Duration.ofSeconds(5);

  /** What the queue brought so far: all events, those of our own calls, those that triggered a reconcile. */
  public record Counts(long received, long own, long triggered) {}

  private final EventQueueClient sqs;
  private final String queueUrl;
  private final ChangeIndex index;
  private final Supplier<String> ownAccessKeyId;
  private final Consumer<CloudTrailEvent> forgetReads;
  // The access keys the operator's calls were signed with (temporary credentials rotate: all kept, they are few).
  private final Set<String> ownKeys = ConcurrentHashMap.newKeySet();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong own = new AtomicLong();
  private final AtomicLong triggered = new AtomicLong();
  private volatile Thread poller;

  AwsChangeEvents(EventQueueClient sqs, String queueUrl, ChangeIndex index, Supplier<String> ownAccessKeyId,
      Consumer<CloudTrailEvent> forgetReads) {
    super(Void.class, "aws-change-events");
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.index = index;
    this.ownAccessKeyId = ownAccessKeyId;
    this.forgetReads = forgetReads;
  }

  public Counts counts() {
    return new Counts(received.get(), own.get(), triggered.get());
  }

  /** It triggers reconciles only: no secondary resources to cache. */
  @Override
  public Set<Void> getSecondaryResources(LambdaIngress primary) {
    return Set.of();
  }

  @Override
  public void start() {
    super.start();
    Thread t = new Thread(this::poll, "aws-change-events");
    t.setDaemon(true);
    poller = t;
    t.start();
    log.atInfo().addKeyValue("queue", queueUrl).log("receiving AWS change events");
  }

  @Override
  public void stop() {
    Thread t = poller;
    poller = null;
    if (t != null) {
      t.interrupt();
    }
    super.stop();
  }

  private void poll() {
    while (poller == Thread.currentThread()) {
      try {
        ownKeys.add(ownAccessKeyId.get());
        List<EventQueueClient.Message> messages = sqs.receive(queueUrl);
        messages.forEach(m -> handle(m.body()));
        if (!messages.isEmpty()) {
          sqs.delete(queueUrl, messages);
        }
      } catch (AwsFailure | software.amazon.awssdk.core.exception.SdkClientException f) {
        if (poller != Thread.currentThread()) {
          return; // stopping: the interrupted long poll fails
        }
        log.atWarn().addKeyValue("queue", queueUrl).log("event queue: {}; drift is still found by the periodic verification", f.getMessage());
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One message body: package-private for tests. */
  void handle(String body) {
    CloudTrailEvent event = CloudTrailEvent.parse(body).orElse(null);
    if (event == null) {
      return;
    }
    received.incrementAndGet();
    if (event.accessKeyId() != null && ownKeys.contains(event.accessKeyId())) {
      own.incrementAndGet();
      return;
    }
    Set<ResourceID> objects = index.objectsNaming(event.keys());
    if (objects.isEmpty()) {
      return;
    }
    forgetReads.accept(event);
    for (ResourceID id : objects) {
      triggered.incrementAndGet();
      log.atInfo().addKeyValue("object", id.getNamespace().orElse("") + "/" + id.getName())
          .addKeyValue("event", event.eventSource() + " " + event.eventName()).log("AWS change event: reconciling");
      getEventHandler().handleEvent(new Event(id));
    }
  }
}
