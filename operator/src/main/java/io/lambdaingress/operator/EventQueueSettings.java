package io.lambdaingress.operator;

import java.util.Map;

/**
 * The optional event queue (docs/events.md): an SQS queue that EventBridge fills with the "AWS API Call via
 * CloudTrail" events of Elastic Load Balancing, Lambda and ECR. With it, an event naming a resource of an
 * object reconciles that object at once, and the full verification of every object (the periodic resync)
 * runs only every {@code fullVerificationPeriods}-th resync period; without it, every period.
 *
 * @param queueUrl the queue's URL; null: no queue, drift is found by the periodic verification alone
 * @param fullVerificationPeriods with a queue, the periodic reconcile of each object comes every this many
 *     resync periods (events cover the time between; a lost event is caught by the next one)
 */
public record EventQueueSettings(String queueUrl, int fullVerificationPeriods) {

  public static final String QUEUE_URL = "LAMBDA_INGRESS_EVENT_QUEUE_URL";
  public static final String FULL_VERIFICATION_PERIODS = "LAMBDA_INGRESS_FULL_VERIFICATION_PERIODS";
  // A full verification reads about 6 times per object, plus the shared listings (docs/scale.md): every 12th
  // period measured 0.52-0.58 a period; every 15th leaves room for the shared reads under 0.5.
  public static final int DEFAULT_FULL_VERIFICATION_PERIODS = 15;

  public static final EventQueueSettings NONE = new EventQueueSettings(null, 1);

  public EventQueueSettings {
    if (queueUrl != null && queueUrl.isBlank()) {
      queueUrl = null;
    }
    if (fullVerificationPeriods < 1) {
      throw new IllegalArgumentException(FULL_VERIFICATION_PERIODS + " must be at least 1, got " + fullVerificationPeriods);
    }
  }

  public boolean enabled() {
    return queueUrl != null;
  }

  public static EventQueueSettings fromEnvironment(Map<String, String> env) {
    String periods = env.getOrDefault(FULL_VERIFICATION_PERIODS, Integer.toString(DEFAULT_FULL_VERIFICATION_PERIODS));
    try {
      return new EventQueueSettings(env.get(QUEUE_URL), Integer.parseInt(periods.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(FULL_VERIFICATION_PERIODS + " must be a whole number, got '" + periods + "'", e);
    }
  }

  /** The longest time between two periodic reconciles of one object. */
  public java.time.Duration verificationInterval(java.time.Duration resyncPeriod) {
    return enabled() ? resyncPeriod.multipliedBy(fullVerificationPeriods) : resyncPeriod;
  }
}
