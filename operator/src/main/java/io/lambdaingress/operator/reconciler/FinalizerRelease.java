package io.lambdaingress.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.lambdaingress.operator.api.LambdaIngress;
import java.util.List;

/**
 * Takes this operator's finalizer off a deleted LambdaIngress once its clean-up is done, instead of JOSDK
 * ({@link DeleteControl#defaultDelete()}), and tells JOSDK {@link DeleteControl#noFinalizerRemoval()}.
 *
 * <p>Why: JOSDK (5.2.3, the 5.3.2 this registry serves, and its main branch by reading) keeps its per-object event
 * state by namespace and name, not uid. The finalizer's removal lets the API server delete the object, and its
 * DELETE event drops that state while the clean-up's thread has yet to report back. An object created again
 * under the same name at once gets a fresh state; the old clean-up's report then lands on it, and a "finalizer
 * removed" report marks it cleaned up for good (EventProcessor#eventProcessingFinished,
 * ResourceState#markProcessedMarkForDeletion): its own finalizer-add event is overwritten, and its timer events and
 * its deletion are ignored from then on. The new object keeps the finalizer JOSDK added and is never reconciled
 * nor deleted (CrashTableIT's create row after a delete row, about once in eight CI runs). A plain report leaves
 * the new object's state as it is.
 *
 * <p>The patch tests the uid first: it never takes the finalizer off a successor of the same name.
 */
final class FinalizerRelease {

  private static final ObjectMapper JSON = new ObjectMapper();
  // A concurrent change to the finalizers (another controller's) makes the patch's test fail: read and try again.
  private static final int ATTEMPTS = 3;

  private final KubernetesClient kubernetes;

  FinalizerRelease(KubernetesClient kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** Removes {@code finalizer} from this very object (by uid); done too when the object is gone or replaced. */
  DeleteControl release(LambdaIngress li, String finalizer) {
    String namespace = li.getMetadata().getNamespace();
    String name = li.getMetadata().getName();
    String uid = li.getMetadata().getUid();
    LambdaIngress current = li;
    for (int attempt = 1; ; attempt++) {
      List<String> finalizers = current.getMetadata().getFinalizers();
      int at = finalizers == null ? -1 : finalizers.indexOf(finalizer);
      if (at < 0) {
        return DeleteControl.noFinalizerRemoval();
      }
      try {
        kubernetes.resources(LambdaIngress.class).inNamespace(namespace).withName(name)
            .patch(PatchContext.of(PatchType.JSON), patch(uid, at, finalizer));
        return DeleteControl.noFinalizerRemoval();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return DeleteControl.noFinalizerRemoval();
        }
        if ((e.getCode() != 409 && e.getCode() != 422) || attempt == ATTEMPTS) {
          throw e;
        }
        current = kubernetes.resources(LambdaIngress.class).inNamespace(namespace).withName(name).get();
        if (current == null || !uid.equals(current.getMetadata().getUid())) {
          return DeleteControl.noFinalizerRemoval();
        }
      }
    }
  }

  static String patch(String uid, int at, String finalizer) {
    String path = "/metadata/finalizers/" + at;
    com.fasterxml.jackson.databind.node.ArrayNode ops = JSON.createArrayNode();
    ops.addObject().put("op", "test").put("path", "/metadata/uid").put("value", uid);
    ops.addObject().put("op", "test").put("path", path).put("value", finalizer);
    ops.addObject().put("op", "remove").put("path", path);
    return ops.toString();
  }
}
