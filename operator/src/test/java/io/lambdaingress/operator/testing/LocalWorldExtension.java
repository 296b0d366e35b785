package io.lambdaingress.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests the one local world, started the one way the project has: {@code dev/local-env.sh}.
 *
 * <ul>
 *   <li>If a world is already up in {@code $LOCAL_ENV_DIR} (default {@code <repo>/target/local-env}, the
 *       developer's {@code dev/local-env.sh up}), the tests use it and leave it running.
 *   <li>Otherwise the extension runs {@code dev/local-env.sh up} with {@code LOCAL_ENV_DIR=<repo>/target/it-env}
 *       once per test JVM and {@code down} when the whole run ends (JUnit closes root-store resources).
 * </ul>
 *
 * Tests stay independent of each other's leftovers by using their own namespaces and AWS names
 * ({@link LocalWorld#uniqueName}).
 */
public final class LocalWorldExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalWorldExtension.class);
  // The first build of kube-apiserver takes minutes on 2 cores; CI builds it before the tests.
  private static final long UP_TIMEOUT_MINUTES = 40;

  @Override
  public void beforeAll(ExtensionContext context) {
    world(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == LocalWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return world(extensionContext);
  }

  private static LocalWorld world(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(Session.class, k -> Session.open(), Session.class).world;
  }

  /** The world for this JVM, and whether this JVM must stop it. */
  private static final class Session implements AutoCloseable {
    private final Path repo;
    private final LocalWorld world;
    private final boolean owned;

    private Session(Path repo, LocalWorld world, boolean owned) {
      this.repo = repo;
      this.world = world;
      this.owned = owned;
    }

    static Session open() {
      Path repo = LocalWorld.repoRoot();
      String configured = System.getenv("LOCAL_ENV_DIR");
      Path developerWorld = configured != null ? Path.of(configured) : repo.resolve("target/local-env");
      Session session;
      if (LocalEnvScript.run(developerWorld, 1, "status") == 0) {
        session = new Session(repo, LocalWorld.fromEnvFile(developerWorld), false);
      } else {
        session = new Session(repo, LocalEnvScript.up(repo.resolve("target/it-env"), UP_TIMEOUT_MINUTES), true);
      }
      session.world.exportAwsSettingsToSystemProperties();
      // Awaitility's default is a poll every 100 ms: a class waiting on a resync (10 to 20 s) sent a hundred or more
      // reads, many of them listings of the whole account (AwsInventory), to a world the concurrent classes share on
      // 2 CPU-bound cores. Half a second costs a wait at most that much; waits that need faster polls say so.
      Awaitility.setDefaultPollInterval(Duration.ofMillis(500));
      return session;
    }

    @Override
    public void close() {
      writeAwsCallStats();
      if (owned) {
        LocalEnvScript.run(world.directory(), 2, "down");
      }
    }

    private void writeAwsCallStats() {
      try {
        Files.writeString(repo.resolve("operator/target/aws-call-stats.txt"), world.awsCallStats());
      } catch (RuntimeException | IOException e) {
        // A statistic: the world going down matters more than its table.
      }
    }
  }
}
