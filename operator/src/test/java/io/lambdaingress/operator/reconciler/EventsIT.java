package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lambdaingress.operator.EventQueueSettings;
import io.lambdaingress.operator.testing.ArticlePrerequisites;
import io.lambdaingress.operator.testing.LocalEventQueue;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorHarness;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;

/**
 * The event queue (docs/events.md) in the test world: the AWS rules layer publishes a CloudTrail event for
 * every write it passes, an EventBridge rule (the one docs/events.md gives) sends them to an SQS queue, and
 * the operator, with its full verification only every 10th period (20 s), repairs what someone else changed
 * within seconds, by event. Its own writes trigger nothing; a lost event is caught by the full verification.
 * One object serves every assertion.
 */
// With the classes after the longest: unordered, it came last in the suite (42 s, mostly waiting for the full
// verification), alone with two short classes for its last 30 s (run of 2026-12-08 00:00).
@Order(3)
@WithLocalWorld
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventsIT {

  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static final int PERIODS = 10;
  private static final Duration FULL_VERIFICATION = RESYNC.multipliedBy(PERIODS);
  // By event: well inside one full-verification interval (the event arrives after the layer's 0.2 s delay).
  private static final Duration BY_EVENT = Duration.ofSeconds(10);

  private static LocalWorld world;
  private static OperatorHarness operator;
  private static ArticlePrerequisites pre;
  // Someone else's credentials: the operator recognises its own calls by the access key in userIdentity.
  private static final StaticCredentialsProvider PERSON = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAPERSON", "secret"));
  private static ElasticLoadBalancingV2Client elb;
  private static LambdaClient lambda;
  private static EcrClient ecr;
  private static String ns;
  private static EventQueueSettings queue;

  @BeforeAll
  static void start(LocalWorld w) {
    world = w;
    pre = ArticlePrerequisites.create(w.awsRegion());
    world.setAwsRules(Map.of("eventDelaySeconds", 0.2, "eventLossRate", 0));
    queue = LocalEventQueue.create(PERIODS);
    operator = OperatorHarness.startWithEventQueue(w, RESYNC, 1, queue);
    elb = ElasticLoadBalancingV2Client.builder().credentialsProvider(PERSON).build();
    lambda = LambdaClient.builder().credentialsProvider(PERSON).build();
    ecr = EcrClient.builder().credentialsProvider(PERSON).build();
    ns = operator.namespace(0);
    operator.apply(pre.articleStack(ns, "ev"));
    operator.awaitReady(ns, "ev", Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() {
    world.setAwsRules(Map.of("eventLossRate", 0, "eventDelaySeconds", 0.5));
    if (operator != null) {
      operator.close();
    }
    if (queue != null) {
      LocalEventQueue.delete(queue);
    }
    for (AutoCloseable c : new AutoCloseable[] {elb, lambda, ecr}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing a client: nothing to do
      }
    }
  }

  @Test
  @Order(1)
  void theOperatorsOwnWritesTriggerNoReconcile() {
    // The chain's creation wrote a dozen times; each write's event arrives and is recognised as our own.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(operator.eventCounts().own()).isGreaterThanOrEqualTo(8));
    assertThat(operator.eventCounts().triggered()).as("reconciles triggered by the operator's own writes").isZero();
  }

  @Test
  @Order(2)
  void anElbChangeIsRepairedByItsEvent() {
    long triggered = operator.eventCounts().triggered();
    String listener = status("nlb", "listenerArn");
    elb.modifyListener(q -> q.listenerArn(listener).port(81));
    await().atMost(BY_EVENT).untilAsserted(() ->
        assertThat(elb.describeListeners(q -> q.listenerArns(listener)).listeners().get(0).port()).isEqualTo(80));
    assertThat(operator.eventCounts().triggered()).isEqualTo(triggered + 1);
  }

  @Test
  @Order(3)
  void aLambdaChangeIsRepairedByItsEvent() {
    long triggered = operator.eventCounts().triggered();
    String function = status("lambda", "functionArn");
    int timeout = lambda.getFunctionConfiguration(q -> q.functionName(function)).timeout();
    lambda.updateFunctionConfiguration(q -> q.functionName(function).timeout(timeout + 7));
    await().atMost(BY_EVENT).untilAsserted(() ->
        assertThat(lambda.getFunctionConfiguration(q -> q.functionName(function)).timeout()).isEqualTo(timeout));
    assertThat(operator.eventCounts().triggered()).isGreaterThan(triggered);
  }

  @Test
  @Order(4)
  void anImagePushedUnderTheTagRollsTheFunctionByItsEvent() {
    long triggered = operator.eventCounts().triggered();
    String digest = pre.pushImage("latest", ecr);
    await().atMost(BY_EVENT).untilAsserted(() -> assertThat(status("lambda", "imageDigest")).isEqualTo(digest));
    assertThat(operator.eventCounts().triggered()).isGreaterThan(triggered);
  }

  @Test
  @Order(5)
  void aLostEventIsCaughtByTheNextFullVerification() {
    // The image roll of the previous test ends first: while it is under way the operator looks again every few
    // seconds, and that poll, not the full verification, would repair the change below.
    operator.awaitReady(ns, "ev", Duration.ofSeconds(60));
    // Only this person's events are lost: the queue also carries the events of the classes running beside this
    // one, so what it delivers in all is not this test's to count.
    LocalWorld person = world.asCaller(PERSON.resolveCredentials().accessKeyId());
    person.setAwsRules(Map.of("eventLossRate", 1));
    try {
      long triggered = operator.eventCounts().triggered();
      String function = status("lambda", "functionArn");
      int memory = lambda.getFunctionConfiguration(q -> q.functionName(function)).memorySize();
      await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(ResourceConflictException.class)
          .until(() -> lambda.updateFunctionConfiguration(q -> q.functionName(function).memorySize(memory + 128)) != null);
      // No event comes; the periodic full verification (every 20 s) repairs it.
      await().atMost(FULL_VERIFICATION.plus(Duration.ofSeconds(15))).untilAsserted(() ->
          assertThat(lambda.getFunctionConfiguration(q -> q.functionName(function)).memorySize()).isEqualTo(memory));
      // Had the person's event arrived, it would have triggered a reconcile (it names the function, as in
      // aLambdaChangeIsRepairedByItsEvent): none did.
      assertThat(operator.eventCounts().triggered()).isEqualTo(triggered);
    } finally {
      person.setAwsRules(Map.of("eventLossRate", 0));
    }
  }

  @SuppressWarnings("unchecked")
  private static String status(String piece, String field) {
    Map<String, Object> status = (Map<String, Object>) operator.get(ns, "ev").getAdditionalProperties().get("status");
    return String.valueOf(((Map<String, Object>) status.get(piece)).get(field));
  }
}
