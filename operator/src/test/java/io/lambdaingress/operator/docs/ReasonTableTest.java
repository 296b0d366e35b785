package io.lambdaingress.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one table of reasons ({@link Reason#healsByItself}) is what the user-facing pages say: the
 * troubleshooting table and the API reference's reason table. (The Argo CD health check is held to it by
 * ArgoCdHealthCheckTest, the reconciler's Events by ReasonEventsIT.)
 */
class ReasonTableTest {

  @ParameterizedTest
  @EnumSource(Reason.class)
  void troubleshootingSaysWhetherItHealsByItself(Reason reason) throws IOException {
    String page = Files.readString(LocalWorld.repoRoot().resolve("docs/troubleshooting.md"));
    Matcher row = Pattern.compile("^\\| \\[" + reason.name() + "\\]\\(#" + reason.name().toLowerCase()
        + "\\) \\| (yes|no) \\| (Progressing|Degraded) \\|$", Pattern.MULTILINE).matcher(page);
    assertThat(row.find()).as("docs/troubleshooting.md has a table row for " + reason).isTrue();
    assertThat(row.group(1)).isEqualTo(reason.healsByItself() ? "yes" : "no");
    assertThat(row.group(2)).isEqualTo(reason.healsByItself() ? "Progressing" : "Degraded");
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void apiReferenceSaysWhetherItHealsByItself(Reason reason) throws IOException {
    String page = Files.readString(LocalWorld.repoRoot().resolve("docs/api.md"));
    Matcher row = Pattern.compile("^\\| `" + reason.name() + "` \\| [^|]+ \\| (yes|no)\\b", Pattern.MULTILINE).matcher(page);
    assertThat(row.find()).as("docs/api.md has a reason row for " + reason).isTrue();
    assertThat(row.group(1)).isEqualTo(reason.healsByItself() ? "yes" : "no");
  }
}
