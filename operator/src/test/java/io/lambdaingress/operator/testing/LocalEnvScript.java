package io.lambdaingress.operator.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code dev/local-env.sh VERB [ARGS]} for a state directory ({@code LOCAL_ENV_DIR}); its output goes to ours. */
final class LocalEnvScript {

  private LocalEnvScript() {}

  /** The script's exit code; {@code status} runs quietly. */
  static int run(Path envDir, long timeoutMinutes, String... verbAndArgs) {
    return run(envDir, timeoutMinutes, java.util.Map.of(), verbAndArgs);
  }

  /** The same with more environment (knobs the script passes on to what it starts, e.g. ARGOCD_*). */
  static int run(Path envDir, long timeoutMinutes, java.util.Map<String, String> env, String... verbAndArgs) {
    Path repo = LocalWorld.repoRoot();
    List<String> command = new ArrayList<>(List.of("bash", repo.resolve("dev/local-env.sh").toString()));
    command.addAll(List.of(verbAndArgs));
    String verb = String.join(" ", verbAndArgs);
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(repo.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    pb.environment().put("LOCAL_ENV_DIR", envDir.toAbsolutePath().toString());
    if ("status".equals(verbAndArgs[0])) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      Process p = pb.start();
      if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("dev/local-env.sh " + verb + " did not finish within " + timeoutMinutes + " min");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run dev/local-env.sh " + verb, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running dev/local-env.sh " + verb, e);
    }
  }

  /** {@code up} (with ARGS, e.g. --node), failing with where to look when it does not come up. */
  static LocalWorld up(Path envDir, long timeoutMinutes, String... args) {
    List<String> verb = new ArrayList<>(List.of("up"));
    verb.addAll(List.of(args));
    int rc = run(envDir, timeoutMinutes, verb.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException(
          "dev/local-env.sh " + String.join(" ", verb) + " failed (exit " + rc + "); its logs are in " + envDir.resolve("logs"));
    }
    return LocalWorld.fromEnvFile(envDir);
  }
}
