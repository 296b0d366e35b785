package io.lambdaingress.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.PrivateWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A newcomer starts the jar before installing the CRD: one line naming the fix, a non-zero exit, no stack
 * trace. Against a real API server that has never seen the CRD: a world of this test's own, because the
 * shared one has the CRD installed by the other tests (and uninstalling it would break them).
 */
class MissingCrdIT {

  @Test
  void withoutTheCrdTheJarExitsWithOneLineNamingTheFix() throws Exception {
    String id = LocalWorld.uniqueName("nocrd");
    try (PrivateWorld own = PrivateWorld.up("it-env-" + id)) {
      OptionalInt exit;
      try (OperatorProcess operator = OperatorProcess.start(own.world(), "nocrd", id, 60)) {
        exit = operator.awaitExit(60);
      }
      assertThat(exit).as("the jar exits by itself").isPresent();
      assertThat(exit.getAsInt()).as("exit code").isNotZero();
      Path log = LocalWorld.repoRoot().resolve("operator/target/operator-process-" + id + ".log");
      List<String> output = Files.readAllLines(log);
      assertThat(output).as("everything the jar printed (" + log + ")").singleElement().asString()
          .contains("LambdaIngress CRD").contains("not installed").contains("kubectl apply --server-side -f crds/");
    }
  }
}
