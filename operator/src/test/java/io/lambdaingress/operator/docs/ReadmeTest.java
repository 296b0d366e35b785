package io.lambdaingress.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a person sees first: the README's first screen links every doc and shows exactly the two commands. */
class ReadmeTest {

  private static final Path REPO = LocalWorld.repoRoot();

  /** Up to the first section: the introduction, the doc index and the two commands. */
  private static String firstScreen() throws IOException {
    String readme = Files.readString(REPO.resolve("README.md"));
    return readme.substring(0, readme.indexOf("\n## "));
  }

  @Test
  void theFirstScreenLinksEveryDocAndTheProjectFiles() throws IOException {
    List<String> docs;
    try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
      docs = s.filter(p -> p.toString().endsWith(".md")).map(p -> "docs/" + p.getFileName()).sorted().toList();
    }
    String first = firstScreen();
    assertThat(docs).isNotEmpty().allMatch(d -> first.contains("(" + d + ")"));
    assertThat(first).contains("(docs/argocd/)", "(CHANGELOG.md)", "(CONTRIBUTING.md)", "(SECURITY.md)", "(LICENSE)");
    for (String file : List.of("CHANGELOG.md", "CONTRIBUTING.md", "SECURITY.md", "LICENSE")) {
      assertThat(REPO.resolve(file)).exists();
    }
  }

  @Test
  void theFirstScreenHoldsExactlyTheTwoCommands() throws IOException {
    List<String> commands = firstScreen().lines().filter(l -> l.startsWith("    ") && !l.contains("──")).map(String::strip).toList();
    assertThat(commands).containsExactly("bash dev/run-local.sh", "mvn -B -ntp verify");
  }
}
