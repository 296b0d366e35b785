package io.lambdaingress.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.SuiteAwsCalls;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * docs/iam-policy.json against what the operator really calls: every AWS action the integration suite's
 * operators called is allowed, and nothing is allowed that the suite never called. Runs last (see
 * junit-platform.properties), after the suites that exercise the whole lifecycle.
 *
 * <p>moto does not evaluate IAM policies, so this is the policy's action list, not its conditions and
 * resources: those are judged by parliament and cloudsplaining in {@link IamPolicyLintTest}.
 */
// Isolated: runs alone, after every concurrent class (see the failsafe configuration), so that it sees the
// calls of the whole suite.
@Isolated
@Order(Integer.MAX_VALUE)
class IamPolicyIT {

  // Authorized by AWS as part of another call, never called by us: CreateFunction/UpdateFunctionConfiguration
  // check iam:PassRole on the function's role; GetFunction returns the function's Tags only to a caller also
  // allowed lambda:ListTags (Lambda developer guide, "Using tags on Lambda functions"), and without them our
  // own function looks unowned (NameConflict). moto returns them regardless: only this line keeps ListTags.
  // CreateFunction from an ECR repository whose policy does not let Lambda pull adds that policy itself for a caller
  // allowed ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy (Lambda developer guide, "Amazon ECR permissions";
  // the rules layer's lambda-ecr-pull-permission).
  // wafv2:AssociateWebACL/DisassociateWebACL of an ALB also check elasticloadbalancing:SetWebAcl (WAF developer guide,
  // "Permissions for AssociateWebACL"; the AWS Load Balancer Controller's published policy grants it for the same calls);
  // wafv2:GetWebACLForResource checks wafv2:GetWebACL on the web ACL it answers (WAF API reference, GetWebACLForResource).
  private static final Set<String> IMPLIED = Set.of("iam:PassRole", "lambda:ListTags", "ecr:GetRepositoryPolicy",
      "ecr:SetRepositoryPolicy", "elasticloadbalancing:SetWebAcl", "wafv2:GetWebACL");
  // The lifecycle (create, update in place, replace, drift, image roll, delete) and the bad-input cases.
  // The classes whose calls only they make: routes' rules, rollouts' versions and alarms, endpoint services, the
  // event queue. A run without one of them skips this test rather than failing on actions it never exercised.
  private static final Set<String> LIFECYCLE_SUITES = Set.of("LambdaIngressIT", "RoutesIT", "RolloutIT", "PrivateLinkIT", "EventsIT");

  @Test
  void allowsExactlyTheActionsTheOperatorCalls() throws Exception {
    assumeTrue(SuiteAwsCalls.recordedFrom().containsAll(LIFECYCLE_SUITES),
        "needs the full integration suite in this JVM (ran: " + SuiteAwsCalls.recordedFrom() + ")");
    Set<String> allowed = new TreeSet<>();
    JsonNode policy = new ObjectMapper().readTree(Files.readString(LocalWorld.repoRoot().resolve("docs/iam-policy.json")));
    for (JsonNode statement : policy.path("Statement")) {
      assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
      JsonNode actions = statement.path("Action");
      if (actions.isArray()) {
        actions.forEach(a -> allowed.add(a.asText()));
      } else {
        allowed.add(actions.asText());
      }
    }
    assertThat(allowed).as("no wildcard actions").noneMatch(a -> a.contains("*"));
    Set<String> called = new TreeSet<>(SuiteAwsCalls.called());

    assertThat(allowed).as("every action the operator called is allowed").containsAll(called);
    Set<String> neverCalled = new TreeSet<>(allowed);
    neverCalled.removeAll(called);
    neverCalled.removeAll(IMPLIED);
    assertThat(neverCalled).as("allowed but never called by the suite").isEmpty();
  }
}
