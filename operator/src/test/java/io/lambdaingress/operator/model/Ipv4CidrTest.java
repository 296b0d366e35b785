package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv4CidrTest {

  @ParameterizedTest(name = "{1} in {0}: contains={2}, usable={3}")
  @CsvSource({
      "10.20.0.0/24, 10.20.0.10, true, true",
      "10.20.0.0/24, 10.20.1.10, false, false",
      "10.20.0.0/24, 10.20.0.0, true, false",
      "10.20.0.0/24, 10.20.0.3, true, false",
      "10.20.0.0/24, 10.20.0.4, true, true",
      "10.20.0.0/24, 10.20.0.254, true, true",
      "10.20.0.0/24, 10.20.0.255, true, false",
      "10.20.0.64/26, 10.20.0.127, true, false",
      "10.20.0.64/26, 10.20.0.128, false, false",
      "0.0.0.0/0, 192.168.1.1, true, true",
  })
  void containsAndReservedAddresses(String cidr, String ip, boolean contains, boolean usable) {
    Ipv4Cidr c = Ipv4Cidr.parse(cidr);
    assertThat(c.contains(ip)).isEqualTo(contains);
    if (contains) {
      assertThat(c.usableByLoadBalancer(ip)).isEqualTo(usable);
    }
  }
}
