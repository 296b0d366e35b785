package io.lambdaingress.operator.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The parity corpus (dev/aws-parity/*.yaml): what AWS itself answered or requires, taken from public recordings
 * (LocalStack's snapshots recorded against AWS, the AWS CLI's example outputs, botocore's waiters,
 * terraform-provider-aws's waiters and retries) and AWS's references, written as calls with expected answers that
 * {@code AwsParityIT} replays against the test world. The format is described in dev/aws-parity/README.md.
 */
record ParityCorpus(List<ServiceFile> files) {

  /** One file: the cases of one service, and the sources they cite by key. */
  record ServiceFile(String service, Map<String, Source> sources, Map<String, List<Step>> fixtures, List<Case> cases,
      Map<String, String> documentedOnly) {

    /** A case's steps after those of the fixtures it names in {@code setup}. */
    List<Step> steps(Case c) {
      List<Step> out = new ArrayList<>();
      for (String fixture : c.setup() == null ? List.<String>of() : c.setup()) {
        out.addAll(fixtures.get(fixture));
      }
      out.addAll(c.steps());
      return out;
    }
  }

  /** Where a case's fact comes from: a file of a public repository at a commit, or a page. */
  record Source(String repo, String path, String commit, String url) {
    String kind() {
      if (repo == null) {
        return url != null && url.contains("docs.aws.amazon.com") ? "AWS documentation"
            : url != null && url.startsWith("https://github.com/") ? "issue thread quoting AWS's answer" : "other page";
      }
      return switch (repo) {
        case "localstack/localstack" -> "LocalStack snapshot (recorded against AWS)";
        case "aws/aws-cli" -> "AWS CLI example output";
        case "boto/botocore" -> "botocore waiter";
        case "hashicorp/terraform-provider-aws" -> "terraform-provider-aws";
        case "awsdocs/aws-lambda-developer-guide", "awsdocs/elb-network-load-balancers-user-guide" -> "AWS documentation";
        default -> repo;
      };
    }
  }

  /** A call and what AWS answered; steps run in order, a step without {@code expect} must succeed. */
  record Case(String name, String source, List<String> rules, String pending, List<String> setup, List<Step> steps) {}

  record Step(String service, String call, Map<String, Object> params, Map<String, String> save, Expect expect,
      Double poll, Double sleep) {}

  /**
   * What AWS answered: an error code (and HTTP status, message regex) or success; member paths such as
   * {@code LoadBalancers[0].State.Code} ({@code [*]}: any element) with their values, regexes, presence; {@code refused}:
   * an error whose code no recording shows (only that AWS refuses the call, and its HTTP status).
   */
  record Expect(Integer status, String error, Boolean refused, String message, Map<String, Object> fields,
      Map<String, String> matches, List<String> present, List<String> absent, Map<String, Integer> count) {}

  static final Path DIR = LocalWorld.repoRoot().resolve("dev/aws-parity");

  static ParityCorpus load() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    List<ServiceFile> files = new ArrayList<>();
    try (Stream<Path> paths = Files.list(DIR)) {
      for (Path p : paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        ServiceFile f = yaml.readValue(p.toFile(), ServiceFile.class);
        for (Case c : f.cases()) {
          if (!f.sources().containsKey(c.source())) {
            throw new IllegalStateException(p + ": case " + c.name() + " cites an unknown source " + c.source());
          }
          for (String fixture : c.setup() == null ? List.<String>of() : c.setup()) {
            if (f.fixtures() == null || !f.fixtures().containsKey(fixture)) {
              throw new IllegalStateException(p + ": case " + c.name() + " names an unknown fixture " + fixture);
            }
          }
        }
        files.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ParityCorpus(files);
  }

  /** The table docs/testing.md shows: cases by service and kind of source, and the cases the world cannot yet match. */
  String table() {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    Map<String, Integer> pendingBy = new TreeMap<>();
    List<String> kinds = files.stream().flatMap(f -> f.cases().stream().map(c -> f.sources().get(c.source()).kind()))
        .distinct().sorted().toList();
    StringBuilder pendingRows = new StringBuilder();
    int total = 0;
    for (ServiceFile f : files) {
      for (Case c : f.cases()) {
        counts.computeIfAbsent(f.service(), k -> new TreeMap<>()).merge(f.sources().get(c.source()).kind(), 1, Integer::sum);
        total++;
        if (c.pending() != null) {
          pendingBy.merge(f.service(), 1, Integer::sum);
          pendingRows.append("| ").append(f.service()).append(" | `").append(c.name()).append("` | ").append(c.pending().strip().replace("\n", " ")).append(" |\n");
        }
      }
    }
    StringBuilder out = new StringBuilder("| service | ");
    kinds.forEach(k -> out.append(k).append(" | "));
    out.append("cases | pending |\n| --- |");
    kinds.forEach(k -> out.append(" ---: |"));
    out.append(" ---: | ---: |\n");
    int pendingTotal = 0;
    for (var e : counts.entrySet()) {
      out.append("| ").append(e.getKey()).append(" | ");
      kinds.forEach(k -> out.append(e.getValue().getOrDefault(k, 0)).append(" | "));
      int pending = pendingBy.getOrDefault(e.getKey(), 0);
      pendingTotal += pending;
      out.append(e.getValue().values().stream().mapToInt(Integer::intValue).sum()).append(" | ").append(pending).append(" |\n");
    }
    out.append("| **all** | ");
    kinds.forEach(k -> out.append(counts.values().stream().mapToInt(m -> m.getOrDefault(k, 0)).sum()).append(" | "));
    out.append("**").append(total).append("** | ").append(pendingTotal).append(" |\n");
    if (pendingRows.length() > 0) {
      out.append("\nCases the world cannot yet match (reported as skipped, with the reason):\n\n| service | case | why |\n| --- | --- | --- |\n")
          .append(pendingRows);
    }
    return out.toString();
  }

  private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+|\\*)\\]");

  /** The values at a member path; {@code [*]} yields each element's. */
  static List<Object> at(Object data, String path) {
    List<Object> current = new ArrayList<>();
    current.add(data);
    Matcher m = STEP.matcher(path);
    while (m.find()) {
      List<Object> next = new ArrayList<>();
      for (Object v : current) {
        if (m.group(1) != null && v instanceof Map<?, ?> map && map.get(m.group(1)) != null) {
          next.add(map.get(m.group(1)));
        } else if (m.group(2) != null && v instanceof List<?> list) {
          if (m.group(2).equals("*")) {
            next.addAll(list);
          } else if (Integer.parseInt(m.group(2)) < list.size()) {
            next.add(list.get(Integer.parseInt(m.group(2))));
          }
        }
      }
      current = next;
    }
    return current;
  }
}
