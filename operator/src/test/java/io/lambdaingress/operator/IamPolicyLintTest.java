package io.lambdaingress.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaingress.operator.model.ArnAllowList;
import io.lambdaingress.operator.model.LoadBalancerNames;
import io.lambdaingress.operator.testing.LocalWorld;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's IAM policies judged by the field's own linters, run as the processes a person would run:
 * parliament (Duo Labs: unknown actions, condition keys an action does not support, resources that do not
 * match an action, Resource "*" where AWS allows less) and cloudsplaining (Salesforce: privilege escalation,
 * resource exposure, unrestricted infrastructure modification, using policy_sentry's IAM database). Both
 * work offline from the database in their own package; .ci/run installs the pinned versions.
 *
 * <p>moto evaluates no IAM condition, so this is where the conditions are checked at all. Which actions the
 * operator really calls is {@link IamPolicyIT}'s question.
 */
class IamPolicyLintTest {

  /**
   * Findings parliament 1.6.4 reports that are wrong, each with the AWS page that says so. Matched by issue
   * and detail exactly, and each must still be reported (a stale suppression fails too).
   */
  private static final List<Suppression> SUPPRESSED = List.of(new Suppression("docs/iam-policy.json",
      "UNKNOWN_CONDITION_FOR_ACTION", "Unknown condition elasticloadbalancing:CreateAction for action elasticloadbalancing:AddTags",
      // ELB user guide, "ELB API permissions to tag resources during creation": AddTags is authorized for the
      // tags of a resource-creating action (ours: CreateLoadBalancer, CreateTargetGroup, CreateListener, CreateRule),
      // and elasticloadbalancing:CreateAction names that action.
      // Parliament's database lacks the key; removing the condition would let the operator tag anything.
      "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/tagging-resources-during-creation.html"));

  private record Suppression(String policy, String issue, String detail, String source) {}

  /** The linters as .ci/run installs them: Python module, pinned version. */
  private record Tool(String name, String module, String version) {
    String install() {
      return "python3 -m pip install '" + name + "==" + version + "' (.ci/run does)";
    }
  }

  private static final Tool PARLIAMENT = new Tool("parliament", "parliament.cli", "1.6.4");
  private static final Tool CLOUDSPLAINING = new Tool("cloudsplaining", "cloudsplaining.bin.cli", "0.9.1");

  @ParameterizedTest
  @ValueSource(strings = {"docs/iam-policy.json", "docs/iam-policy-existing-functions.json"})
  void parliamentFindsNothingButTheDocumentedSuppressions(String policy) throws Exception {
    List<JsonNode> findings = parliament(LocalWorld.repoRoot().resolve(policy));
    List<Suppression> suppressions = SUPPRESSED.stream().filter(s -> s.policy().equals(policy)).toList();
    List<JsonNode> left = findings.stream().filter(f -> suppressions.stream().noneMatch(s -> matches(s, f))).toList();
    left.forEach(f -> System.out.println("parliament " + policy + ": " + f));
    assertThat(left).as("parliament findings in " + policy + " (printed above)").isEmpty();
    for (Suppression s : suppressions) {
      assertThat(findings).as("suppression no longer needed by parliament, remove it: " + s).anyMatch(f -> matches(s, f));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"docs/iam-policy.json", "docs/iam-policy-existing-functions.json"})
  void cloudsplainingFindsNoPrivilegeEscalationNorUnconstrainedRiskyAction(String policy) throws Exception {
    String report = cloudsplaining(LocalWorld.repoRoot().resolve(policy));
    if (!report.equals("There were no results found.")) {
      System.out.println("cloudsplaining " + policy + ":\n" + report);
    }
    assertThat(report).as("cloudsplaining scan-policy-file " + policy).isEqualTo("There were no results found.");
  }

  /** The control: the same runs do see what the old policy allowed (PassRole and AddPermission on "*"). */
  @Test
  void bothLintersReportAnUnconstrainedPassRoleAndAddPermission(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"], "Resource": "*"}]}
        """);
    assertThat(parliament(bad)).extracting(f -> f.path("issue").asText()).contains("RESOURCE_STAR");
    assertThat(cloudsplaining(bad)).contains("Privilege Escalation", "PassExistingRoleToNewLambdaThenAddPermission",
        "Resource Exposure");
  }

  /** What the policy's Resources assume of the operator, read from the operator itself. */
  @Test
  void thePolicyGrantsWhatTheOperatorsDefaultsAndNamesNeed() throws Exception {
    JsonNode policy = new ObjectMapper().readTree(Files.readString(LocalWorld.repoRoot().resolve("docs/iam-policy.json")));
    assertThat(resources(policy, "PassOnlyFunctionRolesUnderTheAllowedPath")).as("the operator's default allowedRoleArns")
        .containsExactly(ArnAllowList.DEFAULT_ROLE_PATTERN);
    // Listeners are scoped by their load balancer's name: the names LoadBalancerNames derives must match.
    ArnAllowList listeners = new ArnAllowList(resources(policy, "ListenersOfOurLoadBalancersByName"));
    LoadBalancerNames names = LoadBalancerNames.of("prod", "team-a", "orders");
    assertThat(listeners.allows("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/" + names.nlb() + "/50dc6c495c0c9188/f2f7dc8efc522ab2"))
        .isTrue();
    assertThat(listeners.allows("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/" + names.alb() + "/50dc6c495c0c9188/f2f7dc8efc522ab2"))
        .isTrue();
    assertThat(listeners.allows("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/someone-else/50dc6c495c0c9188/f2f7dc8efc522ab2"))
        .isFalse();
  }

  /**
   * An adopted ALB's listener is not named {@code li-*} (the article's is on an ALB named {@code alb}), yet routes write
   * rules on it and spec.alb.https its SNI certificates. moto evaluates no IAM, so this reads the policy as IAM would
   * for those writes: some statement grants each on the adopted listener and its rules, and every statement that does
   * requires our owner tag on the resource (adoption tags the listener before anything is written, and our rules are
   * created with the tag); the tags of a new rule are granted at its creation.
   */
  @Test
  void anAdoptedAlbListenerTakesOurRulesAndCertificatesOnlyWhileItCarriesOurOwnerTag() throws Exception {
    JsonNode policy = new ObjectMapper().readTree(Files.readString(LocalWorld.repoRoot().resolve("docs/iam-policy.json")));
    String listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/6d0ecf831eec9f09/9f8bd3d5a2b6d1e0";
    String rule = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/alb/6d0ecf831eec9f09/9f8bd3d5a2b6d1e0/2f3e4d5c6b7a8f90";
    onlyByOurTag(policy, listener, "an adopted listener", "CreateRule", "AddListenerCertificates", "RemoveListenerCertificates", "ModifyListener");
    onlyByOurTag(policy, rule, "our rule of an adopted listener", "ModifyRule", "DeleteRule", "SetRulePriorities");
    taggedAtCreation(policy, rule, "the tags of a new rule on an adopted listener");
  }

  /**
   * A listener the operator creates on an adopted load balancer (one with no listener on the spec's port, or spec.alb.https's
   * on the adopted ALB) is not on a {@code li-*} load balancer: it is created with our owner tags, which CreateListener
   * authorizes as AddTags with elasticloadbalancing:CreateAction (ELB user guide, "ELB API permissions to tag resources
   * during creation"), and from then on it is changed by that tag alone.
   */
  @Test
  void aListenerCreatedOnAnAdoptedLoadBalancerIsTaggedAtCreationAndChangedByItsTag() throws Exception {
    JsonNode policy = new ObjectMapper().readTree(Files.readString(LocalWorld.repoRoot().resolve("docs/iam-policy.json")));
    String nlb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/50dc6c495c0c9188";
    String created = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/nlb/50dc6c495c0c9188/0467ef3c8400ae65";
    onlyByOurTag(policy, nlb, "the adopted NLB", "CreateListener");
    taggedAtCreation(policy, created, "the tags of the new listener");
    onlyByOurTag(policy, created, "the new listener", "ModifyListener", "DeleteListener", "RemoveTags", "CreateRule");
  }

  private static final String ON_RESOURCE = "aws:ResourceTag/lambdaingress.io/cluster";

  /** Some statement grants each action on {@code arn}, and every one that does requires our owner tag on the resource. */
  private static void onlyByOurTag(JsonNode policy, String arn, String what, String... actions) {
    for (String action : actions) {
      assertThat(ownerTagConditions(policy, "elasticloadbalancing:" + action, arn)).as(action + " on " + what)
          .isNotEmpty().allMatch(ON_RESOURCE::equals);
    }
  }

  /** AddTags on {@code arn} is granted at its creation, and never without our owner tag (in the request or on the resource) otherwise. */
  private static void taggedAtCreation(JsonNode policy, String arn, String what) {
    assertThat(ownerTagConditions(policy, "elasticloadbalancing:AddTags", arn)).as(what)
        .contains(AT_CREATION).allMatch(k -> k.equals(AT_CREATION) || k.equals(IN_REQUEST) || k.equals(ON_RESOURCE));
  }

  private static final String IN_REQUEST = "aws:RequestTag/lambdaingress.io/cluster";
  /** A statement allowing AddTags only as part of the creations we make with tags (CreateListener and CreateRule among them). */
  private static final String AT_CREATION = "elasticloadbalancing:CreateAction";

  /**
   * For each statement allowing {@code action} on {@code arn}: the key its condition requires our cluster tag by
   * ({@code "Null": {KEY: "false"}}), {@link #AT_CREATION} when its one condition limits it to our creations with tags
   * (CreateListener and CreateRule among them), or "none" when it requires neither.
   */
  private static List<String> ownerTagConditions(JsonNode policy, String action, String arn) {
    List<String> keys = new ArrayList<>();
    for (JsonNode statement : policy.path("Statement")) {
      if (strings(statement.path("Action")).contains(action) && new ArnAllowList(strings(statement.path("Resource"))).allows(arn)) {
        List<String> tagKeys = new ArrayList<>();
        statement.path("Condition").path("Null").fields().forEachRemaining(e -> {
          if (e.getKey().endsWith("Tag/lambdaingress.io/cluster") && e.getValue().asText().equals("false")) {
            tagKeys.add(e.getKey());
          }
        });
        JsonNode createAction = statement.path("Condition").path("StringEquals").path(AT_CREATION);
        boolean atCreation = statement.path("Condition").size() == 1 && statement.path("Condition").path("StringEquals").size() == 1
            && strings(createAction).containsAll(List.of("CreateListener", "CreateRule"));
        keys.add(tagKeys.size() == 1 && statement.path("Condition").size() == 1 ? tagKeys.get(0) : atCreation ? AT_CREATION : "none");
      }
    }
    return keys;
  }

  private static List<String> strings(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(x -> list.add(x.asText()));
    } else if (!node.isMissingNode()) {
      list.add(node.asText());
    }
    return list;
  }

  private static List<String> resources(JsonNode policy, String sid) {
    for (JsonNode statement : policy.path("Statement")) {
      if (sid.equals(statement.path("Sid").asText())) {
        JsonNode r = statement.path("Resource");
        List<String> list = new ArrayList<>();
        if (r.isArray()) {
          r.forEach(x -> list.add(x.asText()));
        } else {
          list.add(r.asText());
        }
        return list;
      }
    }
    return fail("docs/iam-policy.json has no statement " + sid);
  }

  private static boolean matches(Suppression s, JsonNode finding) {
    return s.issue().equals(finding.path("issue").asText()) && s.detail().equals(finding.path("detail").asText());
  }

  /** parliament --json: one JSON finding per line; it reads the policy from stdin (--file clashes with a non-tty stdin). */
  private static List<JsonNode> parliament(Path policy) throws Exception {
    // INFO too: every finding counts, not only those parliament shows by default (LOW and up).
    Output out = run(PARLIAMENT, List.of("--json", "--minimum_severity", "INFO"), policy);
    List<JsonNode> findings = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : out.stdout().split("\n")) {
      if (!line.isBlank()) {
        findings.add(json.readTree(line));
      }
    }
    // Exit 1 means "findings"; anything else is the tool failing.
    assertThat(out.exitCode()).as("parliament exit code; stderr: " + out.stderr()).isIn(0, 1);
    assertThat(out.exitCode() == 1).as("parliament exit code 1 exactly when it prints findings").isEqualTo(!findings.isEmpty());
    return findings;
  }

  /** cloudsplaining scan-policy-file's report without its terminal colours; it exits 0 with or without findings. */
  private static String cloudsplaining(Path policy) throws Exception {
    Output out = run(CLOUDSPLAINING, List.of("scan-policy-file", "-i", policy.toString()), null);
    assertThat(out.exitCode()).as("cloudsplaining exit code; stderr: " + out.stderr()).isZero();
    return out.stdout().replaceAll("\u001B\\[[0-9;]*m", "").strip();
  }

  private record Output(int exitCode, String stdout, String stderr) {}

  /** Runs the tool as {@code python3 -m MODULE ARGS}: no dependence on where pip put its scripts. */
  private static Output run(Tool tool, List<String> args, Path stdin) throws Exception {
    if (!CHECKED.contains(tool)) {
      checkInstalled(tool);
      CHECKED.add(tool);
    }
    return exec(tool, args, stdin);
  }

  // Each linter start costs seconds (Python imports its IAM database): check each installation once.
  private static final Set<Tool> CHECKED = ConcurrentHashMap.newKeySet();

  private static void checkInstalled(Tool tool) throws Exception {
    Output version = exec(tool, List.of("--version"), null);
    if (version.exitCode() != 0 && version.stderr().contains("No module named")) {
      fail(tool.name() + " is not installed for python3: " + tool.install());
    }
    if (!version.stdout().strip().endsWith(" " + tool.version())) {
      fail(tool.name() + " " + tool.version() + " is the pinned version, found '" + version.stdout().strip() + "': " + tool.install());
    }
  }

  private static Output exec(Tool tool, List<String> args, Path stdin) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "-m", tool.module()));
    command.addAll(args);
    Path stderr = Files.createTempFile("iam-lint", ".stderr");
    try {
      // stderr to a file, stdout read here: neither pipe can fill up and block the tool.
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile())
          .redirectInput(stdin == null ? Path.of("/dev/null").toFile() : stdin.toFile());
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        return fail("python3 is not on PATH, so " + tool.name() + " cannot run: " + tool.install());
      }
      byte[] stdout = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fail(command + " did not finish within 120 s");
      }
      return new Output(p.exitValue(), new String(stdout, StandardCharsets.UTF_8), Files.readString(stderr));
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
