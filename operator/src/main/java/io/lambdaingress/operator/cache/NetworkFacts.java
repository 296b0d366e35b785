package io.lambdaingress.operator.cache;

import io.lambdaingress.operator.aws.Ec2NetworkClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subnets' and security groups' facts (VPC, CIDR, zone) that validation needs. A subnet id's VPC, CIDR
 * and zone never change, so they are kept for {@code maxAge}, one resync period (a deleted subnet surfaces
 * as soon as AWS is asked to use it; none of these is a field the operator sets, so no drift waits on them);
 * only ids not known yet are read, in one call for all of them.
 */
public final class NetworkFacts {

  private final Ec2NetworkClient ec2;
  private final Duration maxAge;
  private final Clock clock;
  private final Map<String, Timestamped<Ec2NetworkClient.Subnet>> subnets = new ConcurrentHashMap<>();
  private final Map<String, Timestamped<String>> groupVpcs = new ConcurrentHashMap<>();

  public NetworkFacts(Ec2NetworkClient ec2, Duration maxAge, Clock clock) {
    this.ec2 = ec2;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  // Synchronized: concurrent reconciles of a resync wave would otherwise all read the same stale ids.
  public synchronized Map<String, Ec2NetworkClient.Subnet> subnets(Collection<String> ids) {
    List<String> missing = ids.stream().filter(id -> !fresh(subnets.get(id))).distinct().toList();
    if (!missing.isEmpty()) {
      Instant now = clock.instant();
      ec2.subnets(missing).forEach((id, s) -> subnets.put(id, new Timestamped<>(now, s)));
    }
    Map<String, Ec2NetworkClient.Subnet> result = new LinkedHashMap<>();
    ids.forEach(id -> result.put(id, subnets.get(id).value()));
    return result;
  }

  public synchronized Map<String, String> securityGroupVpcs(Collection<String> ids) {
    List<String> missing = ids.stream().filter(id -> !fresh(groupVpcs.get(id))).distinct().toList();
    if (!missing.isEmpty()) {
      Instant now = clock.instant();
      ec2.securityGroupVpcs(missing).forEach((id, vpc) -> groupVpcs.put(id, new Timestamped<>(now, vpc)));
    }
    Map<String, String> result = new LinkedHashMap<>();
    ids.forEach(id -> result.put(id, groupVpcs.get(id).value()));
    return result;
  }

  private boolean fresh(Timestamped<?> c) {
    return c != null && c.notOlderThan(maxAge, clock.instant());
  }
}
