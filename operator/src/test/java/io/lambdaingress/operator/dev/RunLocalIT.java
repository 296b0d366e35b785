package io.lambdaingress.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's first command as a person runs it: {@code bash dev/run-local.sh} in a real terminal (a tmux
 * pane: a pseudo-terminal whose foreground process group gets SIGINT from Ctrl-C, exactly as a shell's
 * does), Ctrl-C once the stack is Ready. Afterwards the stack is deleted from AWS, and no process it started
 * (etcd, kube-apiserver, moto, the operator) and none of their ports is left.
 *
 * <p>The script starts its own world (a directory of this test's own, so it does not find the shared one up)
 * and runs the already built jar ({@code RUN_LOCAL_JAR}) instead of a nested Maven build. Whatever happens,
 * the test removes what the script may have left: the tmux server, the world ({@code local-env.sh down}),
 * and every process it recorded.
 */
class RunLocalIT {

  private static final Pattern LISTENER = Pattern.compile(":(\\d+)\\s.*pid=(\\d+),");

  private final Path repo = LocalWorld.repoRoot();
  private final String id = LocalWorld.uniqueName("runlocal");
  private final Path envDir = repo.resolve("target/it-env-" + id);
  private final Path operatorPid = repo.resolve("target/run-local/operator.pid");

  @Test
  void ctrlCInATerminalDeletesTheStackAndStopsEverythingItStarted() throws Exception {
    ctrlCDeletesTheStackAndStopsEverythingItStarted(false);
  }

  /**
   * {@code dev/run-local.sh | tee run.log}: the same Ctrl-C ends tee at once, so the script's clean-up writes
   * to a pipe nobody reads; it must still finish (its lines then only in target/run-local/cleanup.log).
   */
  @Test
  void ctrlCWithTheOutputPipedIntoTeeStillDeletesTheStackAndStopsEverything() throws Exception {
    ctrlCDeletesTheStackAndStopsEverythingItStarted(true);
  }

  private void ctrlCDeletesTheStackAndStopsEverythingItStarted(boolean pipedIntoTee) throws Exception {
    Path jar = repo.resolve("operator/target/lambda-ingress-operator.jar");
    assertThat(jar).as("integration tests run after `package`").isRegularFile();
    Files.deleteIfExists(operatorPid);
    Set<Long> started = new HashSet<>();
    try {
      // A pane as wide as a terminal; kept after the script ends (remain-on-exit) to read its exit status.
      // exec: the script is the pane's process, as under a person's interactive shell (no `sh -c` in between
      // to take the Ctrl-C as well).
      // Piped: a shell without job control runs both, in the pane's foreground process group, as a person's
      // shell puts a pipeline in one group: Ctrl-C reaches the script and tee alike.
      String script = "env LOCAL_ENV_DIR='" + envDir + "' RUN_LOCAL_JAR='" + jar + "' LAMBDA_INGRESS_HTTP_PORT=0 bash dev/run-local.sh";
      Path cleanupLog = repo.resolve("target/run-local/cleanup.log");
      Files.deleteIfExists(cleanupLog);
      tmux("new-session", "-d", "-s", "run", "-x", "200", "-y", "50",
          pipedIntoTee ? "exec bash -c \"" + script + " | tee target/run-local-" + id + ".log\"" : "exec " + script,
          ";", "set-option", "-t", "run", "remain-on-exit", "on");

      String screen = awaitScreen("Press Ctrl-C", Duration.ofMinutes(4));
      assertThat(screen).contains("endpoint: ");
      started.addAll(worldPids());
      started.add(Long.parseLong(Files.readString(operatorPid).trim()));
      assertThat(started).as("etcd, kube-apiserver, moto and the operator").hasSize(4).allMatch(RunLocalIT::alive);
      Set<Integer> ports = listeningPorts(started);
      assertThat(ports).as("their listening ports").hasSizeGreaterThanOrEqualTo(4);

      tmux("send-keys", "-t", "run", "C-c");
      String status = awaitDead(Duration.ofMinutes(3));
      String transcript = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "run");

      // The clean-up's lines reach the terminal only while tee lives; its own log has them either way.
      for (String output : pipedIntoTee ? List.of(Files.readString(cleanupLog)) : List.of(transcript, Files.readString(cleanupLog))) {
        assertThat(output).as("the script's output")
            .contains("deleting the LambdaIngress")
            .contains("nothing left tagged lambdaingress.io/cluster=local")
            .contains("== done");
      }
      // Interrupted: 130, or bash's own way of passing a Ctrl-C on (killing itself with SIGINT after the
      // trap); tmux 3.3 cannot name the signal. Anything else (exit 1: set -e) means the clean-up went wrong.
      assertThat(status).as("how run-local.sh ended after Ctrl-C").isIn("exit 130", "killed by a signal");
      // The script's AWS check above ran against moto before the world stopped; the operator's log says the same.
      assertThat(Files.readAllLines(repo.resolve("target/run-local/operator.log")).stream()
          .filter(l -> l.contains("aws write") && l.contains("action=Deleted")).map(l -> l.replaceAll(".*resource=(\\S+) .*", "$1")))
          .as("AWS resources the operator deleted").containsExactlyInAnyOrder("NLB", "alb", "ALB", "lambda", "function");
      assertThat(started).as("processes still running (%s)", describe(started)).noneMatch(RunLocalIT::alive);
      assertThat(listeningPorts()).as("ports still listened on").doesNotContainAnyElementsOf(ports);
      assertThat(processesOfTheWorld()).as("any process working in or naming " + envDir).isEmpty();
      assertThat(envDir).as("the world's state, removed by local-env.sh down").doesNotExist();
    } finally {
      tmuxQuietly("kill-server");
      localEnvDown();
      started.addAll(processesOfTheWorld());
      for (long pid : started) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", id, "-f", "/dev/null"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private void tmuxQuietly(String... args) {
    try {
      tmux(args);
    } catch (Exception e) {
      // no server left: nothing to stop
    }
  }

  /** Waits until the pane shows {@code text}; fails early, with the screen, when the script ended instead. */
  private String awaitScreen(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "run");
      if (screen.contains(text)) {
        return screen;
      }
      if (tmux("display-message", "-p", "-t", "run", "#{pane_dead}").trim().equals("1")) {
        throw new AssertionError("run-local.sh ended before showing '" + text + "':\n" + screen);
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("run-local.sh did not show '" + text + "' within " + timeout + ":\n" + screen);
  }

  /**
   * Waits until the script has ended; returns "exit N", or "killed by a signal" when tmux has no exit status
   * for it. tmux marks the pane dead when the terminal closes, a moment before it has reaped the process
   * and knows the status: hence the few seconds more.
   */
  private String awaitDead(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long statusDeadline = Long.MAX_VALUE;
    while (System.nanoTime() < Math.min(deadline, statusDeadline)) {
      String[] dead = tmux("display-message", "-p", "-t", "run", "#{pane_dead}:#{pane_dead_status}").trim().split(":", -1);
      if (dead[0].equals("1")) {
        if (!dead[1].isEmpty()) {
          return "exit " + dead[1];
        }
        statusDeadline = Math.min(statusDeadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
      }
      Thread.sleep(500);
    }
    if (statusDeadline != Long.MAX_VALUE) {
      return "killed by a signal";
    }
    throw new AssertionError("run-local.sh still runs " + timeout + " after Ctrl-C:\n"
        + tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "run"));
  }

  /** The pids dev/local-env.sh recorded for etcd, kube-apiserver and moto. */
  private Set<Long> worldPids() throws IOException {
    Set<Long> pids = new HashSet<>();
    try (Stream<Path> files = Files.list(envDir.resolve("pids"))) {
      for (Path f : files.toList()) {
        pids.add(Long.parseLong(Files.readString(f).trim()));
      }
    }
    return pids;
  }

  /**
   * Running, not a zombie: the world's processes are orphans (setsid, their starter exited), and a killed
   * orphan stays a zombie until init reaps it, which in a container may be never (so local-env.sh checks it too).
   */
  private static boolean alive(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
    } catch (IOException e) {
      return false;
    }
  }

  /** pid: state and command, for a failure message. */
  private static String describe(Set<Long> pids) {
    StringBuilder s = new StringBuilder();
    for (long pid : pids) {
      String state;
      try {
        state = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith("State:"))
            .findFirst().orElse("?");
      } catch (IOException e) {
        state = "gone";
      }
      s.append(pid).append(' ').append(state).append(' ')
          .append(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("")).append("; ");
    }
    return s.toString();
  }

  /** TCP ports listened on by these processes (ss shows the owner of sockets of our own user). */
  private static Set<Integer> listeningPorts(Set<Long> pids) throws IOException, InterruptedException {
    Set<Integer> ports = new HashSet<>();
    for (String line : ss()) {
      Matcher m = LISTENER.matcher(line);
      while (m.find()) {
        if (pids.contains(Long.parseLong(m.group(2)))) {
          ports.add(Integer.parseInt(m.group(1)));
        }
      }
    }
    return ports;
  }

  private static Set<Integer> listeningPorts() throws IOException, InterruptedException {
    Set<Integer> ports = new HashSet<>();
    for (String line : ss()) {
      Matcher m = Pattern.compile("^\\S+\\s+\\d+\\s+\\d+\\s+\\S*:(\\d+)\\s").matcher(line);
      if (m.find()) {
        ports.add(Integer.parseInt(m.group(1)));
      }
    }
    return ports;
  }

  private static List<String> ss() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ss", "-H", "-ltnp").redirectErrorStream(true).start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    p.waitFor(10, TimeUnit.SECONDS);
    return lines;
  }

  /**
   * Processes whose working directory is in the world's directory (local-env.sh's mark) or whose command
   * names it; not this test's tmux server, which carries the command line that started it.
   */
  private Set<Long> processesOfTheWorld() {
    Set<Long> found = new HashSet<>();
    String dir = envDir.toString();
    ProcessHandle.allProcesses().filter(p -> !p.info().command().orElse("").endsWith("/tmux")).forEach(p -> {
      String cwd;
      try {
        cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).toString();
      } catch (IOException | UnsupportedOperationException e) {
        cwd = "";
      }
      if (cwd.startsWith(dir) || p.info().commandLine().map(c -> c.contains(dir)).orElse(false)) {
        found.add(p.pid());
      }
    });
    return found;
  }

  private void localEnvDown() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "dev/local-env.sh", "down").directory(repo.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("LOCAL_ENV_DIR", envDir.toString());
    pb.start().waitFor(2, TimeUnit.MINUTES);
  }
}
