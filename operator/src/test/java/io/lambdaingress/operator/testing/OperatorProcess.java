package io.lambdaingress.operator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator as users run it: {@code java -jar operator/target/lambda-ingress-operator.jar}, a separate
 * process with the world's environment. It can be killed for real (SIGKILL) after its n-th AWS write.
 */
public final class OperatorProcess implements AutoCloseable {

  private final Process process;
  private final Thread reader;
  private final AtomicInteger writes = new AtomicInteger();
  private volatile CountDownLatch killAt = new CountDownLatch(0);
  private volatile int killAfter = Integer.MAX_VALUE;
  private final java.util.concurrent.CompletableFuture<Integer> httpPort = new java.util.concurrent.CompletableFuture<>();
  private final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final java.util.regex.Pattern PORT = java.util.regex.Pattern.compile("serving /metrics.*port=(\\d+)");

  private final boolean dumpsArchive;

  private OperatorProcess(Process process, Path log, boolean dumpsArchive) {
    this.process = process;
    this.dumpsArchive = dumpsArchive;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND)) {
        String line;
        while ((line = in.readLine()) != null) {
          out.write(line);
          out.newLine();
          out.flush();
          lines.add(line);
          java.util.regex.Matcher m = PORT.matcher(line);
          if (m.find()) {
            httpPort.complete(Integer.parseInt(m.group(1)));
          }
          if (line.contains("aws write") && writes.incrementAndGet() >= killAfter) {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, mid-reconcile
            killAt.countDown();
          }
        }
      } catch (IOException e) {
        // the process died: that is the point
      }
    }, "operator-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the jar with the world's Kubernetes and AWS settings, watching one namespace. */
  public static OperatorProcess start(LocalWorld world, String clusterName, String namespace, int resyncSeconds) {
    return start(world, clusterName, namespace, resyncSeconds, Map.of());
  }

  /** The same, with more environment (leader election, ...). The HTTP port is a free one. */
  public static OperatorProcess start(LocalWorld world, String clusterName, String namespace, int resyncSeconds, Map<String, String> extraEnv) {
    return start(world, clusterName, namespace, resyncSeconds, env -> env.putAll(extraEnv), lightFlags());
  }

  /** The same, with JVM flags before {@code -jar} (see {@link #quickStartFlags}). */
  public static OperatorProcess start(LocalWorld world, String clusterName, String namespace, int resyncSeconds, Map<String, String> extraEnv,
      List<String> jvmFlags) {
    return start(world, clusterName, namespace, resyncSeconds, env -> env.putAll(extraEnv), jvmFlags);
  }

  /** The same, with the process's environment edited last: added to, or stripped of the world's static AWS keys. */
  public static OperatorProcess start(LocalWorld world, String clusterName, String namespace, int resyncSeconds,
      java.util.function.Consumer<Map<String, String>> editEnv) {
    return start(world, clusterName, namespace, resyncSeconds, editEnv, lightFlags());
  }

  private static OperatorProcess start(LocalWorld world, String clusterName, String namespace, int resyncSeconds,
      java.util.function.Consumer<Map<String, String>> editEnv, List<String> jvmFlags) {
    Path jar = jar();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.putAll(world.environment());
    env.put("LAMBDA_INGRESS_CLUSTER_NAME", clusterName);
    env.put("LAMBDA_INGRESS_WATCH_NAMESPACES", namespace);
    env.put("LAMBDA_INGRESS_RESYNC_PERIOD", Integer.toString(resyncSeconds));
    env.put("LAMBDA_INGRESS_HTTP_PORT", "0");
    editEnv.accept(env);
    try {
      Path log = LocalWorld.repoRoot().resolve("operator/target/operator-process-" + namespace + ".log");
      return new OperatorProcess(pb.start(), log, jvmFlags.stream().anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit=")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path jar() {
    Path jar = LocalWorld.repoRoot().resolve("operator/target/lambda-ingress-operator.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after `package` (mvn verify builds it)");
    }
    return jar;
  }

  /**
   * JVM flags for tests that start the operator dozens of times (the crash table): C1 only, the serial GC,
   * and class data sharing from an archive of the classes a working operator loads. The archive is made
   * once per build of the jar: while none exists, the first process started with these flags dumps it when
   * it is closed gracefully ({@link #close}), so the caller should let that first process do real work
   * (reconcile, delete) before closing it. Measured on the 2-core test machine: a start takes about a
   * quarter of the CPU time of a default one (2.4 s instead of 10 s); the operator's code and behaviour are
   * the same, only the JVM's start-up work is saved.
   */
  public static synchronized List<String> quickStartFlags() {
    List<String> flags = lightFlags();
    if (!Files.isRegularFile(archive()) && !archiving) {
      archiving = true;
      flags.add("-XX:ArchiveClassesAtExit=" + partial(archive()));
    }
    return flags;
  }

  /**
   * The flags of every other start: C1 only and the serial GC, and the class archive once the crash table has
   * made it (never asked to make one: a process that exits at once would archive too little). The suite runs
   * on 2 cores, CPU-bound while its classes run at once, so each start's saved CPU is time saved for all.
   */
  static synchronized List<String> lightFlags() {
    List<String> flags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    if (Files.isRegularFile(archive())) {
      flags.add("-XX:SharedArchiveFile=" + archive());
    }
    return flags;
  }

  private static boolean archiving;

  private static Path archive() {
    Path jar = jar();
    try {
      return jar.resolveSibling("operator-classes-" + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path partial(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".partial");
  }

  /** After a graceful exit of the process that dumped the archive: the archive is complete, publish it. */
  private static synchronized void archived(boolean exited) throws IOException {
    Path archive = archive();
    if (exited && Files.isRegularFile(partial(archive))) {
      Files.move(partial(archive), archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      // Archives of earlier builds of the jar are of no use any more (the JVM refuses a changed jar's).
      try (var old = Files.newDirectoryStream(archive.getParent(), "operator-classes-*.jsa")) {
        for (Path p : old) {
          if (!p.equals(archive)) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    archiving = false;
  }

  /** Kills the process with SIGKILL right after its n-th AWS write (counted from its start); waits for it. */
  public boolean killAfterWrites(int n, long timeoutSeconds) throws InterruptedException {
    killAt = new CountDownLatch(1);
    killAfter = n;
    if (writes.get() >= n) {
      process.destroyForcibly();
      killAt.countDown();
    }
    boolean killed = killAt.await(timeoutSeconds, TimeUnit.SECONDS);
    process.waitFor(10, TimeUnit.SECONDS);
    return killed;
  }

  /**
   * SIGKILL now (no shutdown hook, no finally, mid-call) and return once the process is gone: what
   * {@link AwsFaultProxy#crashAt} runs between AWS's answer and the operator.
   */
  public void kill() {
    if (dumpsArchive) {
      try {
        archived(false); // no dump after SIGKILL: the next start may try again
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the operator process survived SIGKILL for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The port of /metrics, /healthz, /readyz, once the process has logged it. */
  public int httpPort(long timeoutSeconds) throws Exception {
    return httpPort.get(timeoutSeconds, TimeUnit.SECONDS);
  }

  /** The first output line matching {@code pattern}, waiting for it up to the timeout. */
  public String awaitLine(java.util.regex.Pattern pattern, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        if (pattern.matcher(line).find()) {
          return line;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the operator logged no line matching " + pattern + " within " + timeoutSeconds + " s; its output:\n"
        + String.join("\n", lines));
  }

  /** Everything the process printed so far (log lines, and any stack trace). */
  public java.util.List<String> output() {
    return java.util.List.copyOf(lines);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /**
   * For a test's failure message, when the operator did not do what the test waited for: its last log lines and,
   * if it still runs, what its reconciler threads are doing (a thread dump: SIGQUIT, which the JVM answers on
   * stdout, so the dump is in the log file too). A CI run shows the failure messages, not target/.
   */
  public String diagnosis() {
    int before = lines.size();
    StringBuilder out = new StringBuilder();
    out.append(process.isAlive() ? "the operator process runs" : "the operator process has exited (" + process.exitValue() + ")");
    out.append("; its last log lines:");
    lines.subList(Math.max(0, before - 12), before).forEach(l -> out.append("\n  | ").append(l));
    if (process.isAlive()) {
      try {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && lines.stream().skip(before).noneMatch(l -> l.startsWith("JNI global refs"))) {
          Thread.sleep(100);
        }
      } catch (IOException e) {
        return out.append("\n(no thread dump: ").append(e.getMessage()).append(')').toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return out.toString();
      }
      out.append("\nits reconciler threads:");
      boolean inReconciler = false;
      int frames = 0;
      for (String l : lines.subList(before, lines.size())) {
        if (l.startsWith("\"")) {
          inReconciler = l.contains("ReconcilerExecutor");
          frames = 0;
          if (inReconciler) {
            out.append("\n  | ").append(l, 0, Math.min(l.length(), 80));
          }
        } else if (inReconciler && l.strip().startsWith("at ") && frames++ < 14) {
          out.append("\n  |   ").append(l.strip());
        }
      }
    }
    return out.toString();
  }

  /** The exit code once the process ended by itself within the time (its output all in the log), or empty while it runs. */
  public java.util.OptionalInt awaitExit(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      return java.util.OptionalInt.empty();
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return java.util.OptionalInt.of(process.exitValue());
  }

  public int writes() {
    return writes.get();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    // The JVM writes its class archive on the way out: give it time (it is tens of MB).
    boolean exited = process.waitFor(dumpsArchive ? 120 : 10, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (dumpsArchive) {
      try {
        archived(exited);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
