package io.lambdaingress.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code helm install} command as a document shows it to be copied: the first one in the indented block under a
 * heading (README.md's "## Install on EKS"), its lines joined at their trailing backslash, a trailing shell comment
 * dropped. {@link ChartTest} checks that the image it runs is the one the document's build pushes; {@link ChartOnNodeIT}
 * runs it.
 *
 * @param doc the document's path in the repository, for messages
 * @param release the release name (first argument)
 * @param chart the chart's path as written, relative to the repository's root where the document is followed
 * @param sets every {@code --set key=value}, in order
 */
record DocumentedInstall(String doc, String release, String chart, String namespace, boolean createNamespace,
    Map<String, String> sets) {

  private static final Pattern APP_VERSION = Pattern.compile("(?m)^appVersion: \"([^\"]+)\"$");

  /** The first {@code helm install} after the line starting with {@code heading} in {@code doc}. */
  static DocumentedInstall under(String doc, String heading) {
    List<String> lines = read(LocalWorld.repoRoot().resolve(doc)).lines().toList();
    int at = indexOf(lines, 0, l -> l.startsWith(heading), doc + ": no heading " + heading);
    at = indexOf(lines, at, l -> l.startsWith("    helm install "), doc + ": no helm install under " + heading);
    StringBuilder command = new StringBuilder();
    for (String line = lines.get(at); ; line = lines.get(++at)) {
      String code = line.replaceFirst("\\s+#.*$", "").strip();
      boolean continued = code.endsWith("\\");
      command.append(continued ? code.substring(0, code.length() - 1) : code).append(' ');
      if (!continued) {
        break;
      }
    }
    return parse(doc, Arrays.asList(command.toString().strip().split("\\s+")));
  }

  /**
   * The arguments after {@code helm install}. Only what the parser maps to helm-java is accepted: an argument it
   * does not know (a quote, another flag) fails here, so that a test never runs less than the document says.
   */
  static DocumentedInstall parse(String doc, List<String> words) {
    if (words.size() < 2 || !words.get(0).equals("helm") || !words.get(1).equals("install")) {
      throw new IllegalArgumentException(doc + ": not a helm install: " + words);
    }
    List<String> positional = new ArrayList<>();
    String namespace = null;
    boolean createNamespace = false;
    Map<String, String> sets = new LinkedHashMap<>();
    for (int i = 2; i < words.size(); i++) {
      String word = words.get(i);
      switch (word) {
        case "-n", "--namespace" -> namespace = words.get(++i);
        case "--create-namespace" -> createNamespace = true;
        case "--set" -> {
          String assignment = words.get(++i);
          int eq = assignment.indexOf('=');
          if (eq < 1 || assignment.contains("'") || assignment.contains("\"")) {
            throw new IllegalArgumentException(doc + ": --set " + assignment + " is not the key=value this parser reads");
          }
          sets.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        default -> {
          if (word.startsWith("-")) {
            throw new IllegalArgumentException(doc + ": helm install's " + word + " is not mapped to helm-java here");
          }
          positional.add(word);
        }
      }
    }
    if (positional.size() != 2 || namespace == null) {
      throw new IllegalArgumentException(doc + ": expected a release, a chart and a namespace: " + words);
    }
    return new DocumentedInstall(doc, positional.get(0), positional.get(1), namespace, createNamespace,
        Collections.unmodifiableMap(sets));
  }

  /** The image the chart's Deployment runs with these values: image.repository, at image.tag or else the chart's appVersion. */
  String image() {
    if (sets.containsKey("image.digest")) {
      throw new IllegalStateException(doc + ": image.digest is set; image() reads repository:tag only");
    }
    String tag = sets.get("image.tag");
    if (tag == null) {
      tag = APP_VERSION.matcher(read(LocalWorld.repoRoot().resolve(chart).resolve("Chart.yaml"))).results().findFirst()
          .orElseThrow(() -> new IllegalStateException(chart + "/Chart.yaml has no appVersion")).group(1);
    }
    String repository = sets.get("image.repository");
    if (repository == null) {
      throw new IllegalStateException(doc + ": its helm install sets no image.repository (the chart's default names no registry)");
    }
    return repository + ":" + tag;
  }

  /** This command through helm-java (Helm's library), the chart found from the repository's root as the document's reader would. */
  InstallCommand command() {
    InstallCommand install = new Helm(LocalWorld.repoRoot().resolve(chart)).install().withName(release).withNamespace(namespace);
    if (createNamespace) {
      install.createNamespace();
    }
    sets.forEach(install::set);
    return install;
  }

  private static int indexOf(List<String> lines, int from, java.util.function.Predicate<String> match, String missing) {
    for (int i = from; i < lines.size(); i++) {
      if (match.test(lines.get(i))) {
        return i;
      }
    }
    throw new IllegalStateException(missing);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
