package io.lambdaingress.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a LambdaIngress: what a user should see in {@code kubectl describe} (each AWS
 * create/update/replace/delete, and each failure that needs a person). Best effort: an Event that cannot
 * be written is logged, never fails a reconcile.
 */
public final class KubernetesEvents {

  private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);
  private static final String COMPONENT = "lambda-ingress-operator";

  private final KubernetesClient client;

  public KubernetesEvents(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata object, String reason, String message) {
    emit(object, "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    emit(object, "Warning", reason, message);
  }

  private void emit(HasMetadata object, String type, String reason, String message) {
    String now = Instant.now().toString();
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
        .withNamespace(object.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(object.getApiVersion()).withKind(object.getKind())
            .withName(object.getMetadata().getName()).withNamespace(object.getMetadata().getNamespace())
            .withUid(object.getMetadata().getUid()).withResourceVersion(object.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        // The API server refuses messages over 1 KiB in events.k8s.io; keep ours well below.
        .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn("could not record event {} on {}/{}: {}", reason, object.getMetadata().getNamespace(),
          object.getMetadata().getName(), e.getMessage());
    }
  }
}
