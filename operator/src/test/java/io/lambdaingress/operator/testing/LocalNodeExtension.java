package io.lambdaingress.operator.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the local node ({@link LocalNode}) for its duration.
 *
 * <ul>
 *   <li>If the developer's world ({@code $LOCAL_ENV_DIR}, default {@code <repo>/target/local-env}) is up with a node
 *       ({@code dev/local-env.sh up --node}), the class uses it and leaves it running.
 *   <li>Otherwise it runs {@code dev/local-env.sh up --node} in {@code <repo>/target/node-env} and {@code down} after
 *       the class: one node per machine (its bridge and addresses are fixed), so it does not outlive the class.
 * </ul>
 *
 * The JVM's AWS settings stay those of the loopback world ({@link LocalWorldExtension}), which the classes running
 * beside this one use: a class on the node builds its AWS clients with {@link LocalWorld#aws}. The one node is a
 * resource a class holds alone ({@link WithLocalNode}'s lock).
 */
public final class LocalNodeExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalNodeExtension.class);
  private static final long UP_TIMEOUT_MINUTES = 40;

  @Override
  public void beforeAll(ExtensionContext context) {
    node(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == LocalNode.class || type == LocalWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    LocalNode node = node(extensionContext);
    return parameterContext.getParameter().getType() == LocalNode.class ? node : node.world();
  }

  private static LocalNode node(ExtensionContext context) {
    ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
        ? context.getParent().orElseThrow() : context;
    return classContext.getStore(NS).getOrComputeIfAbsent(Session.class, k -> Session.open(), Session.class).node;
  }

  private static final class Session implements AutoCloseable {
    private final LocalNode node;
    private final boolean owned;

    private Session(LocalWorld world, boolean owned) {
      this.node = new LocalNode(world);
      this.owned = owned;
    }

    static Session open() {
      Path repo = LocalWorld.repoRoot();
      String configured = System.getenv("LOCAL_ENV_DIR");
      Path developerWorld = configured != null ? Path.of(configured) : repo.resolve("target/local-env");
      if (LocalEnvScript.run(developerWorld, 1, "status") == 0) {
        LocalWorld world = LocalWorld.fromEnvFile(developerWorld);
        if (world.environment().containsKey("LOCAL_ENV_NODE")) {
          return new Session(world, false);
        }
      }
      return new Session(LocalEnvScript.up(repo.resolve("target/node-env"), UP_TIMEOUT_MINUTES, "--node"), true);
    }

    @Override
    public void close() {
      if (owned) {
        LocalEnvScript.run(node.world().directory(), 3, "down");
      }
    }
  }
}
