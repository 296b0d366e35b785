package io.lambdaingress.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The parity corpus loads, every case cites a source it defines, and docs/testing.md counts it as it is. */
class ParityCorpusTest {

  @Test
  void docsCountTheCorpusAsItIs() throws Exception {
    ParityCorpus corpus = ParityCorpus.load();
    var path = LocalWorld.repoRoot().resolve("docs/testing.md");
    String docs = Files.readString(path);
    int begin = docs.indexOf("<!-- aws-parity:begin -->\n");
    int end = docs.indexOf("<!-- aws-parity:end -->");
    assertThat(begin).as("docs/testing.md has the aws-parity markers").isNotNegative();
    if (Boolean.getBoolean("parity.writeDocs")) { // mvn -pl operator test -Dtest=ParityCorpusTest -Dparity.writeDocs=true
      docs = docs.substring(0, begin + "<!-- aws-parity:begin -->\n".length()) + corpus.table() + docs.substring(end);
      Files.writeString(path, docs);
      end = docs.indexOf("<!-- aws-parity:end -->");
    }
    assertThat(docs.substring(begin + "<!-- aws-parity:begin -->\n".length(), end))
        .as("the table between the aws-parity markers of docs/testing.md (paste the expected text there)")
        .isEqualTo(corpus.table());
  }

  @Test
  void everyCaseHasStepsAndANameOfItsOwn() {
    ParityCorpus corpus = ParityCorpus.load();
    var names = new java.util.HashSet<String>();
    corpus.files().forEach(f -> f.cases().forEach(c -> {
      assertThat(f.steps(c)).as(c.name()).isNotEmpty();
      assertThat(names.add(f.service() + "/" + c.name())).as("one case named " + c.name()).isTrue();
      assertThat(c.pending() == null || !c.pending().isBlank()).as(c.name() + ": a pending case says why").isTrue();
    }));
  }
}
