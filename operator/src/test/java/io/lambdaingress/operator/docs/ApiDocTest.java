package io.lambdaingress.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md stays in step with the CRD users install: its field reference is exactly what
 * {@link ApiReference} generates from crds/, and every field path of the CRD appears in it. After an API
 * change (dev/update-crds.sh), refresh it with
 * {@code mvn -B -ntp -pl operator test -Dtest=ApiDocTest -Dlambdaingress.updateDocs=true}.
 */
class ApiDocTest {

  private static final Path API_MD = LocalWorld.repoRoot().resolve("docs/api.md");

  @Test
  void theFieldReferenceIsTheOneGeneratedFromTheCrd() throws IOException {
    String doc = Files.readString(API_MD);
    int begin = doc.indexOf(ApiReference.BEGIN);
    int end = doc.indexOf(ApiReference.END);
    assertThat(begin).as("docs/api.md has the generated block's markers").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String current = doc.substring(begin, end + ApiReference.END.length() + 1);
    String generated = ApiReference.markdown();
    if (Boolean.getBoolean("lambdaingress.updateDocs") && !current.equals(generated)) {
      Files.writeString(API_MD, doc.replace(current, generated));
      current = generated;
    }
    assertThat(current).as("docs/api.md's field reference is out of date: run "
        + "mvn -B -ntp -pl operator test -Dtest=ApiDocTest -Dlambdaingress.updateDocs=true").isEqualTo(generated);
  }

  @Test
  void everyFieldPathOfTheCrdAppearsInTheDoc() throws IOException {
    String doc = Files.readString(API_MD);
    var fields = ApiReference.fields();
    assertThat(fields).extracting(ApiReference.Field::path)
        .contains("spec.nlb.subnetMappings[].privateIPv4Address", "spec.lambda.function.image.repository",
            "spec.lambda.functionArn", "spec.deletionPolicy", "status.conditions[].reason", "status.lambda.imageDigest");
    assertThat(fields.stream().map(ApiReference.Field::path).filter(p -> !doc.contains("`" + p + "`")).toList())
        .as("CRD field paths missing from docs/api.md").isEmpty();
  }

  /** The reasons the doc lists are the ones the operator writes. */
  @Test
  void everyStatusReasonIsExplained() throws IOException {
    String api = Files.readString(API_MD);
    String troubleshooting = Files.readString(LocalWorld.repoRoot().resolve("docs/troubleshooting.md"));
    for (io.lambdaingress.operator.aws.Reason reason : io.lambdaingress.operator.aws.Reason.values()) {
      assertThat(api).contains("`" + reason.name() + "`");
      assertThat(troubleshooting).as("docs/troubleshooting.md has a section for " + reason).contains("## " + reason.name());
    }
    assertThat(troubleshooting).contains("## Progressing");
  }
}
