package io.lambdaingress.operator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private OperatorProcess(Process process, Path log) {
    this.process = process;
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
    return start(world, clusterName, namespace, resyncSeconds, env -> env.putAll(extraEnv));
  }

  /** The same, with the process's environment edited last: added to, or stripped of the world's static AWS keys. */
  public static OperatorProcess start(LocalWorld world, String clusterName, String namespace, int resyncSeconds,
      java.util.function.Consumer<Map<String, String>> editEnv) {
    Path jar = LocalWorld.repoRoot().resolve("operator/target/lambda-ingress-operator.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after `package` (mvn verify builds it)");
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
        .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.putAll(world.environment());
    env.put("LAMBDA_INGRESS_CLUSTER_NAME", clusterName);
    env.put("LAMBDA_INGRESS_WATCH_NAMESPACES", namespace);
    env.put("LAMBDA_INGRESS_RESYNC_PERIOD", Integer.toString(resyncSeconds));
    env.put("LAMBDA_INGRESS_HTTP_PORT", "0");
    editEnv.accept(env);
    try {
      Path log = LocalWorld.repoRoot().resolve("operator/target/operator-process-" + namespace + ".log");
      return new OperatorProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
