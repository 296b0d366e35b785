package io.lambdaingress.operator.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A local world of one test's own ({@code dev/local-env.sh up} in a directory of its own), for what must
 * not be done to the shared one: a cluster without the CRD, for instance. Stopped ({@code down}) on close.
 */
public final class PrivateWorld implements AutoCloseable {

  private final Path dir;
  private final LocalWorld world;

  private PrivateWorld(Path dir, LocalWorld world) {
    this.dir = dir;
    this.world = world;
  }

  /** Starts it under {@code <repo>/target/<name>}; the binaries are the cached ones the shared world uses. */
  public static PrivateWorld up(String name) throws IOException, InterruptedException {
    Path dir = LocalWorld.repoRoot().resolve("target").resolve(name);
    int rc = localEnv(dir, "up", 5);
    if (rc != 0) {
      localEnv(dir, "down", 2);
      throw new IllegalStateException("dev/local-env.sh up failed (exit " + rc + "); logs in " + dir.resolve("logs"));
    }
    return new PrivateWorld(dir, LocalWorld.fromEnvFile(dir));
  }

  public LocalWorld world() {
    return world;
  }

  private static int localEnv(Path dir, String verb, long minutes) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", LocalWorld.repoRoot().resolve("dev/local-env.sh").toString(), verb)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("LOCAL_ENV_DIR", dir.toAbsolutePath().toString());
    Process p = pb.start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    localEnv(dir, "down", 2);
  }
}
