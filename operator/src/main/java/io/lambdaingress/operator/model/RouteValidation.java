package io.lambdaingress.operator.model;

import io.lambdaingress.operator.api.FunctionSpec;
import io.lambdaingress.operator.api.LambdaIngressSpec;
import io.lambdaingress.operator.api.RouteMatch;
import io.lambdaingress.operator.api.RouteSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The route rules the CRD cannot hold (each answered as InvalidSpec with the field named), pure:
 *
 * <ul>
 *   <li>the NLB's health check must reach spec.lambda, so no route may take it: the API server cannot afford
 *       a glob match per path pattern per route within its CEL cost budget (42 times over);
 *   <li>header values (1 to 5 a header, 128 characters, their wildcards among the rule's 5): the CRD
 *       generator drops the bounds of a list inside a map, and unbounded strings break the cost budget;
 *   <li>each managed function has one name (spec.lambda and every route);
 *   <li>the operator's allow-lists for roles and existing functions, as for spec.lambda.
 * </ul>
 */
public final class RouteValidation {

  /** What ALB allows per rule (Quotas for your Application Load Balancers). */
  static final int WILDCARDS_PER_RULE = 5;
  static final int VALUES_PER_CONDITION = 5;
  static final int VALUE_MAX = 128;

  private RouteValidation() {}

  public static List<String> ofSpec(LambdaIngressSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.getRoutes() == null) {
      return problems;
    }
    String healthPath = ChainModel.healthPath(spec);
    Map<String, String> functionNames = new HashMap<>();
    FunctionSpec main = spec.getLambda().getFunction();
    if (main != null && main.getName() != null) {
      functionNames.put(main.getName(), "spec.lambda");
    }
    for (int i = 0; i < spec.getRoutes().size(); i++) {
      RouteSpec r = spec.getRoutes().get(i);
      String field = "spec.routes[" + i + "]";
      if (takesHealthCheck(r.getMatch(), healthPath)) {
        problems.add(field + ".match: route " + r.getName() + " would take the NLB's health check (GET " + healthPath
            + "), which must reach spec.lambda: narrow its pathPatterns, or add a hosts, queryStrings, headers (other than "
            + "User-Agent) or methods (without GET and HEAD) condition the check does not meet");
      }
      if (r.getMatch().getHeaders() != null) {
        r.getMatch().getHeaders().forEach((name, values) -> {
          if (values == null || values.isEmpty() || values.size() > VALUES_PER_CONDITION) {
            problems.add(field + ".match.headers." + name + ": 1 to " + VALUES_PER_CONDITION + " values (ALB's limit)");
          } else if (values.stream().anyMatch(v -> v == null || v.isEmpty() || v.length() > VALUE_MAX)) {
            problems.add(field + ".match.headers." + name + ": each value is 1 to " + VALUE_MAX + " characters (ALB's limit)");
          }
        });
      }
      int wildcards = wildcards(r.getMatch());
      if (wildcards > WILDCARDS_PER_RULE) {
        problems.add(field + ".match: " + wildcards + " wildcards (* and ?) in all; ALB allows " + WILDCARDS_PER_RULE + " per rule");
      }
      FunctionSpec fn = r.getLambda().getFunction();
      if (fn != null && fn.getName() != null) {
        String other = functionNames.putIfAbsent(fn.getName(), field);
        if (other != null) {
          problems.add(field + ".lambda.function.name: function " + fn.getName() + " is already " + other
              + "'s; each managed function belongs to one route");
        }
      }
      if (fn != null && fn.getImage() != null && fn.getImage().getUri() != null && ImageRef.fromUri(fn.getImage().getUri()) == null) {
        problems.add(field + ".lambda.function.image.uri: '" + fn.getImage().getUri() + "' is neither pinned by digest "
            + "(...@sha256:<64 hex>) nor an ECR image with a tag");
      }
    }
    return problems;
  }

  /** The allow-lists, as for spec.lambda ({@link SpecValidation#ofAllowLists}). */
  public static List<String> ofAllowLists(LambdaIngressSpec spec, ArnAllowList roles, ArnAllowList functions) {
    List<String> problems = new ArrayList<>();
    if (spec.getRoutes() == null) {
      return problems;
    }
    for (int i = 0; i < spec.getRoutes().size(); i++) {
      var lambda = spec.getRoutes().get(i).getLambda();
      String field = "spec.routes[" + i + "].lambda";
      if (lambda.getFunction() != null && lambda.getFunction().getRoleArn() != null && !roles.allows(lambda.getFunction().getRoleArn())) {
        problems.add(field + ".function.roleArn: role " + lambda.getFunction().getRoleArn() + " is not one this operator may pass "
            + "to Lambda (allowed: " + roles.describe() + "); add it to the chart value allowedRoleArns");
      }
      if (lambda.getFunctionArn() != null && !functions.allows(lambda.getFunctionArn())) {
        problems.add(field + ".functionArn: function " + lambda.getFunctionArn() + " is not an existing function this operator "
            + "may expose (allowed: " + functions.describe() + "); add it to the chart value allowedFunctionArns");
      }
    }
    return problems;
  }

  /**
   * Whether the NLB's health check (GET, Host the ALB's address, User-Agent ELB-HealthChecker, no query
   * string) meets every condition of the match.
   */
  static boolean takesHealthCheck(RouteMatch m, String healthPath) {
    if (m.getHosts() != null || m.getQueryStrings() != null) {
      return false; // a host condition ends in letters (never an IP address); the check has no query string
    }
    if (m.getHeaders() != null && m.getHeaders().keySet().stream().anyMatch(k -> !k.toLowerCase(Locale.ROOT).equals("user-agent"))) {
      return false;
    }
    // GET; HEAD too, as the handler library answers both (a check never meets a route without either).
    if (m.getMethods() != null && !m.getMethods().contains("GET") && !m.getMethods().contains("HEAD")) {
      return false;
    }
    return m.getPathPatterns() == null || m.getPathPatterns().stream().anyMatch(p -> glob(p).matcher(healthPath).matches());
  }

  /** ALB's path pattern: * any run of characters, ? exactly one, everything else literal and case-sensitive. */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** The * and ? in every value of the match (query keys included): what ALB counts against its 5 per rule. */
  static int wildcards(RouteMatch m) {
    Stream<String> values = Stream.of(
        m.getPathPatterns() == null ? Stream.<String>empty() : m.getPathPatterns().stream(),
        m.getHosts() == null ? Stream.<String>empty() : m.getHosts().stream(),
        m.getHeaders() == null ? Stream.<String>empty() : m.getHeaders().values().stream().filter(v -> v != null).flatMap(List::stream),
        m.getQueryStrings() == null ? Stream.<String>empty()
            : m.getQueryStrings().stream().flatMap(q -> Stream.of(q.getKey(), q.getValue()))).flatMap(s -> s);
    return values.filter(v -> v != null).mapToInt(v -> (int) v.chars().filter(c -> c == '*' || c == '?').count()).sum();
  }
}
