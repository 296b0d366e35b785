package io.lambdaingress.operator.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts AWS API calls per IAM action, {@code service:Operation} such as {@code elasticloadbalancing:DescribeTags}
 * (one per call, not per retry attempt): for metrics, for the scale benchmark (read calls per resync) and
 * for checking the IAM policy against what is really called. And, as the SDK's metric publisher, the attempts AWS
 * failed per action and the SDK's error type ({@link #failedAttempts()}): throttling the retries absorbed included.
 */
public final class AwsCallCounter implements ExecutionInterceptor, MetricPublisher {

  // The SDK's service names -> the IAM action prefixes of the services we call.
  private static final Map<String, String> IAM_PREFIX = Map.of(
      "ElasticLoadBalancingV2", "elasticloadbalancing", "Lambda", "lambda", "ECR", "ecr", "EC2", "ec2", "SQS", "sqs", "WAFV2", "wafv2");

  // Operations that IAM authorises as another action: SQS's batch calls have no actions of their own
  // (Amazon SQS developer guide, "Amazon SQS API permissions: Actions and resource reference").
  private static final Map<String, String> AUTHORISED_AS = Map.of("sqs:DeleteMessageBatch", "sqs:DeleteMessage");

  // The SDK's service ids (its metrics name a service so) whose IAM prefix is not the id in lower case.
  private static final Map<String, String> IAM_PREFIX_OF_ID = Map.of("Elastic Load Balancing v2", "elasticloadbalancing");

  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<FailedAttempts, LongAdder> failed = new ConcurrentHashMap<>();
  // The SDK's sync clients run interceptors on the calling thread: a reconcile's own calls, for its log line.
  private final ThreadLocal<long[]> onThisThread = ThreadLocal.withInitial(() -> new long[1]);

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String prefix = IAM_PREFIX.getOrDefault(service, service.toLowerCase(java.util.Locale.ROOT));
    String action = prefix + ":" + operation;
    calls.computeIfAbsent(AUTHORISED_AS.getOrDefault(action, action), k -> new LongAdder()).increment();
    onThisThread.get()[0]++;
  }

  /**
   * One API call's metrics, after its last attempt: each attempt that failed counts once under the SDK's error type
   * of it (CoreMetric.ERROR_TYPE: Throttling, ServerError, ConfiguredTimeout, IO, Other; AWS SDK for Java 2.x
   * developer guide, "Comprehensive metrics reference", the metrics of each attempt).
   */
  @Override
  public void publish(MetricCollection call) {
    String id = call.metricValues(CoreMetric.SERVICE_ID).stream().findFirst().orElse("unknown");
    String operation = call.metricValues(CoreMetric.OPERATION_NAME).stream().findFirst().orElse("unknown");
    String service = IAM_PREFIX_OF_ID.getOrDefault(id, id.toLowerCase(java.util.Locale.ROOT).replace(" ", ""));
    call.childrenWithName("ApiCallAttempt").forEach(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).forEach(type ->
        failed.computeIfAbsent(new FailedAttempts(service, operation, type), k -> new LongAdder()).increment()));
  }

  @Override
  public void close() {}

  /** Failed attempts of one action with one of the SDK's error types. */
  public record FailedAttempts(String service, String operation, String errorType) {}

  /** Failed attempts so far, per action and error type (a key appears with its first failure). */
  public Map<FailedAttempts, Long> failedAttempts() {
    Map<FailedAttempts, Long> copy = new java.util.HashMap<>();
    failed.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** Calls made so far on the current thread (each call once, whatever its retries): the difference of two readings. */
  public long callsOnThisThread() {
    return onThisThread.get()[0];
  }

  /** A sorted copy of the counts so far, keyed by IAM action. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** Calls that only read (Describe*, Get*, List*) in {@code snapshot}. */
  public static long reads(Map<String, Long> snapshot) {
    return snapshot.entrySet().stream().filter(e -> isRead(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  public static boolean isRead(String serviceOperation) {
    String op = serviceOperation.substring(serviceOperation.indexOf(':') + 1);
    return op.startsWith("Describe") || op.startsWith("Get") || op.startsWith("List");
  }
}
