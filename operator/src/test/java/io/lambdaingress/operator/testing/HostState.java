package io.lambdaingress.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What of this machine a local node ({@code dev/local-env.sh up --node}, dev/node.sh) may change, as seen from the
 * host: taken before {@code up} and after {@code down}, the two must be equal (NodeIT).
 *
 * @param links network interfaces (the bridge li-node0, the pods' veths)
 * @param nftRuleset every netfilter table and rule (ours, kube-proxy's iptables-nft chains), counters zeroed
 * @param mounts mount points under the state directory, of network namespaces, and under /run/netns
 * @param nodeCgroups the node's cgroup in each hierarchy that has one
 * @param sysctls the kernel settings kubelet, the CNI bridge or kube-proxy may write
 * @param hostPaths which of the host paths containerd, kubelet and CNI use exist
 * @param processes processes whose working directory or arguments name the state directory
 */
public record HostState(TreeSet<String> links, String nftRuleset, TreeSet<String> mounts, TreeSet<String> nodeCgroups,
    TreeMap<String, String> sysctls, TreeMap<String, Boolean> hostPaths, TreeSet<String> processes) {

  private static final List<String> SYSCTLS = List.of("net.ipv4.ip_forward", "net.ipv4.conf.all.route_localnet",
      "net.ipv4.conf.all.forwarding", "net.ipv6.conf.all.forwarding", "net.bridge.bridge-nf-call-iptables",
      "net.netfilter.nf_conntrack_max", "net.netfilter.nf_conntrack_tcp_timeout_established",
      "vm.overcommit_memory", "vm.panic_on_oom", "kernel.panic", "kernel.panic_on_oops",
      "kernel.keys.root_maxkeys", "kernel.keys.root_maxbytes");
  private static final List<String> HOST_PATHS = List.of("/run/containerd", "/var/lib/kubelet", "/var/lib/cni",
      "/run/netns", "/etc/cni", "/opt/cni", "/var/log/pods", "/var/log/containers");

  public static HostState capture(Path stateDir) {
    String dir = stateDir.toAbsolutePath().toString();
    TreeSet<String> links = new TreeSet<>();
    for (String line : run("ip", "-o", "link", "show").lines().toList()) {
      links.add(line.split(":\\s+")[1].replaceFirst("@.*", ""));
    }
    String nft = run("nft", "list", "ruleset").replaceAll("counter packets \\d+ bytes \\d+", "counter");
    TreeSet<String> mounts = new TreeSet<>();
    for (String line : read(Path.of("/proc/self/mountinfo")).lines().toList()) {
      String[] f = line.split(" ");
      String mountPoint = f[4];
      boolean nsfs = line.contains(" - nsfs ");
      if (nsfs || mountPoint.startsWith(dir) || mountPoint.startsWith("/run/netns")) {
        mounts.add(mountPoint);
      }
    }
    TreeSet<String> cgroups = new TreeSet<>();
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      hierarchies.map(h -> h.resolve("lambda-ingress-node")).filter(Files::isDirectory).forEach(p -> cgroups.add(p.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TreeMap<String, String> sysctls = new TreeMap<>();
    for (String s : SYSCTLS) {
      Path p = Path.of("/proc/sys", s.replace('.', '/'));
      if (Files.exists(p)) {
        sysctls.put(s, read(p).strip());
      }
    }
    TreeMap<String, Boolean> paths = new TreeMap<>();
    HOST_PATHS.forEach(p -> paths.put(p, Files.exists(Path.of(p))));
    TreeSet<String> processes = new TreeSet<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
        try {
          String cwd = Files.readSymbolicLink(p.resolve("cwd")).toString();
          String cmdline = read(p.resolve("cmdline")).replace('\0', ' ');
          if (cwd.startsWith(dir) || cmdline.contains(dir)) {
            processes.add(p.getFileName() + " " + cmdline.strip());
          }
        } catch (IOException | UncheckedIOException e) {
          // gone meanwhile
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HostState(links, nft, mounts, cgroups, sysctls, paths, processes);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A command's standard output; fails on a non-zero exit. */
  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The fields that differ from {@code other}'s, for a readable failure. */
  public Map<String, String> differencesFrom(HostState other) {
    Map<String, String> d = new TreeMap<>();
    if (!links.equals(other.links)) d.put("links", other.links + " -> " + links);
    if (!nftRuleset.equals(other.nftRuleset)) d.put("nftRuleset", "\n" + other.nftRuleset + "\n->\n" + nftRuleset);
    if (!mounts.equals(other.mounts)) d.put("mounts", other.mounts + " -> " + mounts);
    if (!nodeCgroups.equals(other.nodeCgroups)) d.put("nodeCgroups", other.nodeCgroups + " -> " + nodeCgroups);
    if (!sysctls.equals(other.sysctls)) d.put("sysctls", other.sysctls + " -> " + sysctls);
    if (!hostPaths.equals(other.hostPaths)) d.put("hostPaths", other.hostPaths + " -> " + hostPaths);
    if (!processes.equals(other.processes)) d.put("processes", other.processes + " -> " + processes);
    return d;
  }
}
