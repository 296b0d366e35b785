package io.lambdaingress.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.testing.ParityCorpus.Case;
import io.lambdaingress.operator.testing.ParityCorpus.Expect;
import io.lambdaingress.operator.testing.ParityCorpus.ServiceFile;
import io.lambdaingress.operator.testing.ParityCorpus.Step;
import io.lambdaingress.operator.testing.SdkCalls.Answer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * Replays the parity corpus (dev/aws-parity/: what AWS itself answered, each case citing its recording or page)
 * against the test world (moto behind the AWS rules layer) and fails on any difference. A case the world cannot
 * yet match is marked {@code pending: <reason>} in the corpus and reported here as skipped with that reason.
 */
// Beside the other classes: its knobs (STRICT, WINDOWS) are set for this class's own key only.
@WithLocalWorld
class AwsParityIT {

  /** The layer's rules at their strictest, on while the corpus replays (in case the environment turned some off for the world). */
  static final Map<String, Number> STRICT = Map.ofEntries(
      Map.entry("albTargetInUse", 1), Map.entry("albTargetGroupOneAlb", 1),
      Map.entry("albTwoZones", 1), Map.entry("targetGroupOneLoadBalancer", 1), Map.entry("aliasRules", 1),
      Map.entry("aliasVersionInUse", 1), Map.entry("imageNotFoundAsInvalidParameter", 1), Map.entry("publishCodeShaGuard", 1));

  /**
   * The in-between states (Pending, InProgress, provisioning, initial, draining) last long enough here for a case's
   * next step to meet them when the machine is busy with the other classes (a step came 1 s after an update once);
   * the steps after them poll, so a longer window costs a case little. AWS's own last longer still.
   */
  static final Map<String, Number> WINDOWS = Map.of("lambdaPendingSeconds", 3, "lambdaUpdateSeconds", 3,
      "loadBalancerProvisioningSeconds", 3, "targetHealthCheckSeconds", 3, "deregistrationDelaySeconds", 3);

  /** The knobs as they were before this class changed them: put back afterwards. */
  private static Map<String, Number> before;

  private static final int REPLAYS_AT_ONCE = 8;

  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  private static LocalWorld world;
  private static ArticlePrerequisites net;
  private static Map<String, SdkClient> clients;
  private static Map<String, String> given;
  /** The fresh names the cases used: what carries one of them is theirs, deleted once the corpus replayed. */
  private static final Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void world(LocalWorld w) {
    world = w.asCaller("AKIDAWSPARITY");
    net = ArticlePrerequisites.create(w.awsRegion());
    clients = Map.of("elbv2", world.aws(ElasticLoadBalancingV2Client.builder()).build(), "lambda", world.aws(LambdaClient.builder()).build(),
        "ec2", world.aws(Ec2Client.builder()).build(), "ecr", world.aws(EcrClient.builder()).build(),
        "wafv2", world.aws(Wafv2Client.builder()).build(), "acm", world.aws(AcmClient.builder()).build(),
        // Path-style: the world's endpoint is an address, not a domain a bucket name could go in front of.
        "s3", world.aws(S3Client.builder()).forcePathStyle(true).build());
    String repositoryUri = ((EcrClient) clients.get("ecr")).describeRepositories(r -> r.repositoryNames(net.repository()))
        .repositories().get(0).repositoryUri();
    given = new HashMap<>();
    given.put("region", w.awsRegion());
    given.put("account", "123456789012");
    given.put("vpc", net.vpcId());
    net.subnets().forEach((zone, id) -> given.put("subnet_" + zone, id));
    given.put("sg", net.albSecurityGroup());
    given.put("sg2", net.lambdaSecurityGroup());
    given.put("role", net.roleArn());
    given.put("repository", net.repository());
    given.put("repositoryUri", repositoryUri);
    given.put("image", repositoryUri + ":latest");
    before = new HashMap<>();
    var knobs = world.awsRules().get("knobs");
    Map<String, Number> set = new HashMap<>(STRICT);
    set.putAll(WINDOWS);
    set.keySet().forEach(k -> before.put(k, knobs.get(k).asDouble()));
    world.setAwsRules(set);
  }

  @AfterAll
  static void close() {
    try {
      deleteWhatTheCasesMade();
    } finally {
      world.setAwsRules(before);
      clients.values().forEach(SdkClient::close);
    }
  }

  /**
   * The cases' load balancers, target groups, functions and endpoint services, deleted so that the classes after
   * this one do not list them (150-odd more items in each listing otherwise: {@link AwsSweep}).
   */
  private static void deleteWhatTheCasesMade() {
    String outcome = AwsSweep.deleteNamed((ElasticLoadBalancingV2Client) clients.get("elbv2"), (LambdaClient) clients.get("lambda"),
        (Ec2Client) clients.get("ec2"), n -> names.stream().anyMatch(n::startsWith));
    System.out.println("parity corpus: the cases' resources: " + outcome);
  }

  /**
   * Each case is replayed at once on a thread of its own pool (the cases use names of their own; most of their time
   * is waiting on the layer's timings), and its dynamic test reports how it ended. JUnit runs a class's tests one by
   * one: 151 cases took 134 s so.
   */
  @TestFactory
  Stream<DynamicNode> corpus() {
    ExecutorService pool = Executors.newFixedThreadPool(REPLAYS_AT_ONCE);
    List<DynamicNode> files = new ArrayList<>();
    for (ServiceFile f : ParityCorpus.load().files()) {
      List<DynamicNode> cases = new ArrayList<>();
      for (Case c : f.cases()) {
        Future<?> replayed = c.pending() == null ? pool.submit(() -> {
          replay(f, c);
          return null;
        }) : null;
        cases.add(DynamicTest.dynamicTest(c.name(), () -> {
          if (replayed == null) {
            Assumptions.abort("pending: " + c.pending().strip());
          }
          try {
            replayed.get();
          } catch (ExecutionException e) {
            throw e.getCause();
          }
        }));
      }
      files.add(DynamicContainer.dynamicContainer(f.service(), cases));
    }
    pool.shutdown();
    return files.stream();
  }

  @Test
  void everyRuleOfTheLayerHasARecordedCaseOrIsDocumentedOnly() {
    ParityCorpus corpus = ParityCorpus.load();
    Set<String> covered = new TreeSet<>();
    for (ServiceFile f : corpus.files()) {
      // A pending case does not count: the world does not answer it as AWS does yet.
      f.cases().stream().filter(c -> c.rules() != null && c.pending() == null).forEach(c -> covered.addAll(c.rules()));
      if (f.documentedOnly() != null) {
        f.documentedOnly().forEach((rule, page) -> {
          assertThat(page).as("documented-only rule %s names its page", rule).startsWith("https://");
          covered.add(rule);
        });
      }
    }
    List<String> rules = new ArrayList<>();
    for (var rule : world.awsRules().get("rules")) {
      rules.add(rule.get("id").asText());
    }
    assertThat(covered).as("every rule the layer has: a case that is not pending, or documented only").containsAll(rules);
    assertThat(rules).as("every rule a case that is not pending names, and every documented-only one").containsAll(covered);
  }

  private static void replay(ServiceFile file, Case c) {
    if (c.pending() != null) {
      Assumptions.abort("pending: " + c.pending().strip());
    }
    Map<String, String> vars = new HashMap<>(given);
    vars.put("name", LocalWorld.uniqueName("p"));
    vars.put("name2", LocalWorld.uniqueName("p"));
    names.add(vars.get("name"));
    names.add(vars.get("name2"));
    int i = 0;
    for (Step step : file.steps(c)) {
      i++;
      String service = step.service() != null ? step.service() : file.service();
      if (step.sleep() != null) {
        OperatorHarness.sleep((long) (step.sleep() * 1000));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> params = (Map<String, Object>) substitute(step.params(), vars);
      String where = c.name() + " step " + i + " (" + service + " " + step.call() + ")";
      long deadline = System.nanoTime() + (long) ((step.poll() == null ? 0 : step.poll()) * 1e9);
      Answer answer;
      List<String> differences;
      while (true) {
        answer = SdkCalls.call(clients.get(service), step.call(), params);
        differences = differences(answer, step.expect(), vars);
        if (differences.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
        OperatorHarness.sleep(250);
      }
      assertThat(differences).as("%s: differences from what AWS answered (world answered %s %s)", where, answer.status(),
          answer.failed() ? answer.errorCode() + ": " + answer.errorMessage() : answer.body()).isEmpty();
      if (step.save() != null) {
        for (var e : step.save().entrySet()) {
          List<Object> values = ParityCorpus.at(answer.body(), e.getValue());
          assertThat(values).as("%s: %s to save as %s", where, e.getValue(), e.getKey()).isNotEmpty();
          vars.put(e.getKey(), String.valueOf(values.get(0)));
        }
      }
    }
  }

  static List<String> differences(Answer answer, Expect expect, Map<String, String> vars) {
    List<String> out = new ArrayList<>();
    if (expect == null) {
      if (answer.failed()) {
        out.add("expected success, got " + answer.errorCode() + ": " + answer.errorMessage());
      }
      return out;
    }
    if (expect.status() != null && expect.status() != answer.status()) {
      out.add("HTTP status " + answer.status() + ", AWS " + expect.status());
    }
    if (Boolean.TRUE.equals(expect.refused())) {
      if (!answer.failed()) {
        out.add("accepted; AWS refuses it");
      }
      return out;
    }
    if (expect.error() == null && answer.failed()) {
      out.add("expected success, got " + answer.errorCode() + ": " + answer.errorMessage());
      return out;
    }
    if (expect.error() != null) {
      if (!expect.error().equals(answer.errorCode())) {
        out.add("error code " + answer.errorCode() + ", AWS " + expect.error());
      }
      if (expect.message() != null && (answer.errorMessage() == null
          || !Pattern.compile(String.valueOf(substitute(expect.message(), quoted(vars))), Pattern.DOTALL).matcher(answer.errorMessage()).find())) {
        out.add("message '" + answer.errorMessage() + "' does not match AWS's /" + expect.message() + "/");
      }
      return out;
    }
    Map<String, Object> body = answer.body();
    if (expect.fields() != null) {
      expect.fields().forEach((path, wanted) -> {
        String want = String.valueOf(substitute(wanted, vars));
        List<Object> got = ParityCorpus.at(body, path);
        if (got.stream().noneMatch(v -> String.valueOf(v).equals(want))) {
          out.add(path + " = " + got + ", AWS " + want);
        }
      });
    }
    if (expect.matches() != null) {
      expect.matches().forEach((path, regex) -> {
        Pattern p = Pattern.compile(String.valueOf(substitute(regex, quoted(vars))), Pattern.DOTALL);
        List<Object> got = ParityCorpus.at(body, path);
        if (got.stream().noneMatch(v -> p.matcher(String.valueOf(v)).find())) {
          out.add(path + " = " + got + ", AWS /" + regex + "/");
        }
      });
    }
    if (expect.present() != null) {
      expect.present().stream().filter(p -> ParityCorpus.at(body, p).isEmpty()).forEach(p -> out.add(p + " missing; AWS answers it"));
    }
    if (expect.absent() != null) {
      expect.absent().forEach(p -> {
        List<Object> got = ParityCorpus.at(body, p);
        if (!got.isEmpty()) {
          out.add(p + " = " + got + "; AWS does not answer it");
        }
      });
    }
    if (expect.count() != null) {
      expect.count().forEach((path, n) -> {
        List<Object> got = ParityCorpus.at(body, path);
        int size = path.endsWith("[*]") ? got.size() : got.isEmpty() ? 0 : got.get(0) instanceof List<?> l ? l.size() : -1;
        if (size != n) {
          out.add(path + " has " + size + " elements, AWS " + n);
        }
      });
    }
    return out;
  }

  private static Map<String, String> quoted(Map<String, String> vars) {
    Map<String, String> out = new HashMap<>();
    vars.forEach((k, v) -> out.put(k, Pattern.quote(v)));
    return out;
  }

  static Object substitute(Object value, Map<String, String> vars) {
    if (value instanceof String s) {
      Matcher m = VAR.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String v = vars.get(m.group(1));
        if (v == null) {
          throw new IllegalArgumentException("no value for ${" + m.group(1) + "} (known: " + new TreeSet<>(vars.keySet()) + ")");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(v));
      }
      m.appendTail(out);
      return out.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), substitute(v, vars)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> substitute(v, vars)).toList();
    }
    return value;
  }
}
