package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Announcer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every AWS write the reconciler makes is announced here: one structured log line (action, resource,
 * reason, object) and one Kubernetes Event on the object, so that `kubectl describe` and the logs tell the
 * same story. Each write is announced once AWS accepted it ({@link Announcer#made}), so a write that fails
 * and is retried never claims "Created", "Updated" or "Deleted" (and the Event says what really happened).
 */
public final class AwsWrites implements Announcer {

  private static final Logger log = LoggerFactory.getLogger(AwsWrites.class);

  private final KubernetesEvents events;
  private final HasMetadata object;
  private int count;

  public AwsWrites(KubernetesEvents events, HasMetadata object) {
    this.events = events;
    this.object = object;
  }

  /**
   * @param action Created, Updated, Replaced, Deleted, Registered, ...: the Event's reason
   * @param resource what is written, e.g. "NLB li-default-sample-nlb-1a2b3c4d"
   * @param why why, e.g. "missing", "listener port 80 -> 8080"
   */
  @Override
  public void announce(String action, String resource, String why) {
    count++;
    log.atInfo()
        .addKeyValue("action", action)
        .addKeyValue("resource", resource)
        .addKeyValue("reason", why)
        .addKeyValue("object", object.getMetadata().getNamespace() + "/" + object.getMetadata().getName())
        .log("aws write");
    events.normal(object, action, resource + ": " + why);
  }

  /** How many writes this reconcile made: zero means AWS already matched the spec. */
  public int count() {
    return count;
  }
}
