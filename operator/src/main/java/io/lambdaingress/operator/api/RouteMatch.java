package io.lambdaingress.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * A route's ALB listener rule conditions, with ALB's semantics: every condition given must match, and a
 * condition matches when one of its values does. The limits are ALB's (Quotas for your Application Load
 * Balancers: 5 condition values and 5 wildcards per rule; "Condition types for listener rules": lengths and
 * characters), so a route AWS would refuse is refused at apply.
 */
// Absent, not null: the API server refuses null for an object or list field.
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.pathPatterns) || has(self.hosts) || has(self.methods) || has(self.headers) || has(self.queryStrings)",
    message = "a route needs at least one of pathPatterns, hosts, methods, headers, queryStrings")
@ValidationRule(value = RouteMatch.VALUES + " <= 5", message = "at most 5 condition values per route in all (ALB quota: condition values per rule)")
@ValidationRule(value = RouteMatch.WILDCARDS + " <= 5", message = "at most 5 wildcards (* and ?) per route in all (ALB quota: condition wildcards per rule)")
public class RouteMatch {

  /** Every value of every condition: what ALB's "condition values per rule" quota counts. */
  static final String VALUES = "(has(self.pathPatterns) ? size(self.pathPatterns) : 0) + (has(self.hosts) ? size(self.hosts) : 0)"
      + " + (has(self.methods) ? size(self.methods) : 0) + (has(self.queryStrings) ? size(self.queryStrings) : 0)"
      + " + (has(self.headers) ? self.headers.map(k, size(self.headers[k])).sum() : 0)";

  /**
   * The * and ? in every value (and query key): what ALB's "condition wildcards per rule" quota counts. Header
   * values are counted by the operator (SpecValidation): the CRD generator drops the bounds of a list inside a
   * map, and a rule over unbounded strings exceeds the API server's cost budget.
   */
  static final String WILDCARDS = "(has(self.pathPatterns) ? self.pathPatterns.map(p, (size(p) - size(p.replace('*', '').replace('?', '')))).sum() : 0)"
      + " + (has(self.hosts) ? self.hosts.map(h, (size(h) - size(h.replace('*', '').replace('?', '')))).sum() : 0)"
      + " + (has(self.queryStrings) ? self.queryStrings.map(q, (size(q.value) - size(q.value.replace('*', '').replace('?', '')))"
      + " + (has(q.key) ? (size(q.key) - size(q.key.replace('*', '').replace('?', ''))) : 0)).sum() : 0)";

  @Size(min = 1, max = 5)
  @JsonPropertyDescription("Path patterns (path-pattern condition): at most 128 of A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & and the "
      + "wildcards * and ?; case-sensitive; the query string is not part of the path.")
  private List<@Size(min = 1, max = 128) @Pattern("^[A-Za-z0-9_.$/~\"'@:+&*?-]+$") String> pathPatterns;

  @Size(min = 1, max = 5)
  @JsonPropertyDescription("Host names (host-header condition): at most 128 of A-Z a-z 0-9 - . and the wildcards * and ?, at "
      + "least one '.', only letters after the last '.'; case-insensitive.")
  private List<@Size(min = 1, max = 128) @Pattern("^[A-Za-z0-9*?.-]*\\.[A-Za-z]+$") String> hosts;

  @Size(min = 1, max = 5)
  @JsonPropertyDescription("HTTP methods (http-request-method condition): at most 40 of A-Z _ -, case-sensitive (GET, POST, ...).")
  private List<@Size(min = 1, max = 40) @Pattern("^[A-Z_-]+$") String> methods;

  @Size(min = 1, max = 5)
  @ValidationRule(value = "self.all(k, size(k) <= 40 && k.matches(r\"^[!#$%&'+.^_`|~0-9A-Za-z-]+$\"))",
      message = "header names are at most 40 characters of an HTTP token (RFC 7230), without wildcards (ALB's rule)")
  @ValidationRule(value = "self.all(k, k.lowerAscii() != 'host')", message = "match the host with hosts, not headers (ALB's rule)")
  @JsonPropertyDescription("HTTP headers (one http-header condition each): name -> values, one of which must match (1 to 5 "
      + "values of at most 128 characters, * and ? wildcards, case-insensitive). Names: at most 40 characters, not Host.")
  private Map<String, @Size(min = 1, max = 5) List<@Size(min = 1, max = 128) String>> headers;

  @Size(min = 1, max = 5)
  @JsonPropertyDescription("Query parameters (one query-string condition): key/value pairs, one of which must match.")
  private List<QueryStringMatch> queryStrings;

  public List<String> getPathPatterns() {
    return pathPatterns;
  }

  public void setPathPatterns(List<String> pathPatterns) {
    this.pathPatterns = pathPatterns;
  }

  public List<String> getHosts() {
    return hosts;
  }

  public void setHosts(List<String> hosts) {
    this.hosts = hosts;
  }

  public List<String> getMethods() {
    return methods;
  }

  public void setMethods(List<String> methods) {
    this.methods = methods;
  }

  public Map<String, List<String>> getHeaders() {
    return headers;
  }

  public void setHeaders(Map<String, List<String>> headers) {
    this.headers = headers;
  }

  public List<QueryStringMatch> getQueryStrings() {
    return queryStrings;
  }

  public void setQueryStrings(List<QueryStringMatch> queryStrings) {
    this.queryStrings = queryStrings;
  }
}
