package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An object deleted and at once created again under the same name (CrashTableIT's create row after its delete row),
 * with the old object's clean-up slow to report back: the operator's answer to its finalizer-removing patch is held
 * (the API server has deleted the object) until the new object has the finalizer and the operator's cache shows it.
 * With JOSDK's own finalizer removal (DeleteControl.defaultDelete) the late "finalizer removed" report marked the new
 * object as cleaned up: here (the new object's first reconcile has run by then) its deletion was ignored, the
 * object left Terminating (this test failed so on the code before {@link FinalizerRelease}); where the report comes
 * before that reconcile, as in CrashTableIT's failed row, it is never reconciled either (JosdkSameNameRecreateTest).
 * The objects are refused by a spec check before any AWS call, so the test costs no AWS resources.
 */
@WithLocalWorld
class SameNameRecreateIT {

  private static final Duration ANSWER = Duration.ofSeconds(60);

  @Test
  void anObjectCreatedAgainUnderItsNameWhileTheOldCleanUpReportsIsReconciledAndItsDeletionHandled(LocalWorld world) throws Exception {
    HeldFinalizerRelease held = new HeldFinalizerRelease();
    KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(world.kubeConfig())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("held-finalizer-release", held)).build();
    ArticlePrerequisites pre = ArticlePrerequisites.create(world.awsRegion());
    try (OperatorHarness operator = OperatorHarness.start(world, Duration.ofSeconds(5), 1, operatorClient);
        KubernetesClient admin = world.adminClient()) {
      String ns = operator.namespace(0);
      String name = "stack";
      // A role outside the allowed path: Ready=False InvalidSpec, written by the reconcile, no AWS write.
      String yaml = pre.articleStack(ns, name).replace("roleArn: " + pre.roleArn(), "roleArn: arn:aws:iam::123456789012:role/elsewhere/fn");
      var objects = admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(ns);
      operator.applyAndAwaitNotReady(yaml, "InvalidSpec", ANSWER, "is not one this operator may pass to Lambda");
      String oldUid = operator.get(ns, name).getMetadata().getUid();

      held.arm(ns, name);
      objects.withName(name).delete();
      assertThat(held.reached.await(ANSWER.toSeconds(), TimeUnit.SECONDS)).as("the finalizer-removing patch was sent").isTrue();
      assertThat(OperatorHarness.watchUntil(objects.withName(name), java.util.Objects::isNull, ANSWER).satisfied()).as("old object gone").isTrue();

      operator.apply(yaml);
      OperatorHarness.Watched withFinalizer = OperatorHarness.watchUntil(objects.withName(name), r -> r != null
          && !oldUid.equals(r.getMetadata().getUid()) && r.getMetadata().getFinalizers() != null && !r.getMetadata().getFinalizers().isEmpty(), ANSWER);
      assertThat(withFinalizer.satisfied()).as("the new object got the operator's finalizer").isTrue();
      String newUid = withFinalizer.object().getMetadata().getUid();
      // The operator's cache has the finalizer-add update; its event follows on the informer's thread.
      org.awaitility.Awaitility.await().atMost(ANSWER).pollInterval(Duration.ofMillis(50)).until(() -> operator.cachedObjects().stream()
          .anyMatch(li -> newUid.equals(li.getMetadata().getUid()) && li.getMetadata().getFinalizers() != null
              && !li.getMetadata().getFinalizers().isEmpty()));
      held.release.countDown();

      operator.awaitCondition(ns, name, "False", "InvalidSpec", ANSWER);
      assertThat(operator.get(ns, name).getMetadata().getUid()).isEqualTo(newUid);
      objects.withName(name).delete();
      assertThat(OperatorHarness.watchUntil(objects.withName(name), java.util.Objects::isNull, ANSWER).satisfied())
          .as("the new object's deletion handled").isTrue();
    } finally {
      held.release.countDown();
    }
  }

  /**
   * Holds the operator's first successful PATCH of the armed object itself (not its status) once it is being
   * deleted: the one that takes its finalizer off. The API server has acted on it; the operator's thread waits for
   * its answer until {@link #release}.
   */
  static final class HeldFinalizerRelease implements Interceptor {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private volatile String path;

    void arm(String namespace, String name) {
      path = "/namespaces/" + namespace + "/lambdaingresses/" + name;
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
      String p = path;
      if (p != null && "PATCH".equals(request.method()) && request.uri().getPath().endsWith(p) && response.code() < 300) {
        path = null;
        reached.countDown();
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
