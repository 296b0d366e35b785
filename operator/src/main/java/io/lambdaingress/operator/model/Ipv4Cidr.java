package io.lambdaingress.operator.model;

/** An IPv4 CIDR block, to check static IPs against their subnet. */
public record Ipv4Cidr(long network, int prefix) {

  public static Ipv4Cidr parse(String cidr) {
    String[] parts = cidr.split("/");
    int prefix = Integer.parseInt(parts[1]);
    return new Ipv4Cidr(toLong(parts[0]) & mask(prefix), prefix);
  }

  public boolean contains(String address) {
    return (toLong(address) & mask(prefix)) == network;
  }

  /** AWS reserves the first four addresses and the last one of every subnet. */
  public boolean usableByLoadBalancer(String address) {
    long offset = toLong(address) - network;
    long size = 1L << (32 - prefix);
    return offset >= 4 && offset < size - 1;
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  static long toLong(String address) {
    String[] o = address.split("\\.");
    if (o.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + address);
    }
    long v = 0;
    for (String part : o) {
      int n = Integer.parseInt(part);
      if (n < 0 || n > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + address);
      }
      v = (v << 8) | n;
    }
    return v;
  }
}
