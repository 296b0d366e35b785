package io.lambdaingress.operator.aws;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** CloudWatch alarms a rollout watches: only their state is read, never changed. */
public final class AlarmClient {

  private final CloudWatchClient cloudWatch;

  AlarmClient(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  /** Which of {@code names} are in ALARM now (at most 100 names a call: a rollout has at most 10). */
  public Set<String> inAlarm(Collection<String> names) {
    if (names.isEmpty()) {
      return Set.of();
    }
    return AwsCall.run("alarms " + names, () -> cloudWatch.describeAlarms(r -> r.alarmNames(names).maxRecords(100)))
        .metricAlarms().stream().filter(a -> a.stateValue() == StateValue.ALARM).map(a -> a.alarmName())
        .collect(Collectors.toUnmodifiableSet());
  }
}
