package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a LambdaIngress: what a user should see in {@code kubectl describe} (each AWS
 * create/update/replace/delete, and each failure that needs a person). Best effort: an Event that cannot
 * be written is logged, never fails a reconcile.
 *
 * <p>Repeats are aggregated the way client-go's recorder does it (tools/record/events_cache.go: the
 * eventLogger keyed by object, type, reason and message): the same occurrence again bumps {@code count}
 * and {@code lastTimestamp} of one Event instead of writing a new one, so a failure retried every few
 * seconds stays one line in {@code kubectl describe} ("x12 over 3m"). Unlike client-go, the Event's name is
 * derived from that key, so the count carries on across operator restarts and leader changes.
 */
public final class KubernetesEvents {

  private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);
  private static final String COMPONENT = "lambda-ingress-operator";
  // client-go keeps 4096 keys; we see far fewer distinct events per resync.
  private static final int REMEMBERED = 4096;

  /** What we last wrote under an Event name: the count to bump without reading the Event back. */
  private record Seen(int count) {}

  private final KubernetesClient client;
  private final Map<String, Seen> seen = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
      return size() > REMEMBERED;
    }
  });

  public KubernetesEvents(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata object, String reason, String message) {
    emit(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    emit(object, "Warning", reason, message);
  }

  /**
   * The Event's name: the object's name and a hash of what makes two occurrences "the same" (the object's
   * uid, so a re-created object of the same name starts afresh, type, reason and message).
   */
  static String eventName(HasMetadata object, String type, String reason, String message) {
    String name = object.getMetadata().getName();
    String key = object.getMetadata().getUid() + "\n" + type + "\n" + reason + "\n" + message;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      // 253: the longest name the API server accepts; 17 = "." + 16 hex digits.
      return (name.length() > 253 - 17 ? name.substring(0, 253 - 17) : name) + "." + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private void emit(HasMetadata object, String type, String reason, String message) {
    // The API server refuses messages over 1 KiB in events.k8s.io; keep ours well below.
    String text = message.length() > 1000 ? message.substring(0, 1000) : message;
    String name = eventName(object, type, reason, text);
    String namespace = object.getMetadata().getNamespace();
    String now = Instant.now().toString();
    try {
      Seen last = seen.get(name);
      if (last != null && bump(namespace, name, last.count() + 1, now)) {
        return;
      }
      try {
        create(object, name, type, reason, text, now);
        seen.put(name, new Seen(1));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Written before this process started (a restart, another leader): carry its count on.
        Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
        int count = existing == null || existing.getCount() == null ? 1 : existing.getCount() + 1;
        bump(namespace, name, count, now);
      }
    } catch (KubernetesClientException e) {
      log.warn("could not record event {} on {}/{}: {}", reason, namespace, object.getMetadata().getName(), e.getMessage());
    }
  }

  /** Count and lastTimestamp of an existing Event; false when it is gone (expired by the API server's TTL). */
  private boolean bump(String namespace, String name, int count, String now) {
    String patch = "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}";
    try {
      client.v1().events().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      seen.put(name, new Seen(count));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        seen.remove(name);
        return false;
      }
      throw e;
    }
  }

  private void create(HasMetadata object, String name, String type, String reason, String message, String now) {
    var event = new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(object.getMetadata().getNamespace()).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(object.getApiVersion()).withKind(object.getKind())
            .withName(object.getMetadata().getName()).withNamespace(object.getMetadata().getNamespace())
            .withUid(object.getMetadata().getUid()).withResourceVersion(object.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
  }
}
