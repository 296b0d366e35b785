package io.lambdaingress.operator.model;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ARN patterns the way an IAM policy's Resource element reads them: {@code *} is any run of characters
 * ({@code /} and {@code :} included), {@code ?} any one character, everything else literal and
 * case-sensitive. The operator checks a spec's role and function against the same patterns its IAM policy
 * grants, so a spec IAM would refuse is refused first, with a message naming the field.
 *
 * @param patterns as written in the setting, in order
 */
public record ArnAllowList(List<String> patterns) {

  /** What the chart and the IAM policy allow by default: execution roles under the IAM path /lambda-ingress/. */
  public static final String DEFAULT_ROLE_PATTERN = "arn:aws:iam::*:role/lambda-ingress/*";

  public ArnAllowList {
    patterns = List.copyOf(patterns);
    for (String p : patterns) {
      if (p.isBlank() || p.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("an ARN pattern may not be empty or contain whitespace: '" + p + "'");
      }
    }
  }

  /** Allows nothing. */
  public static ArnAllowList none() {
    return new ArnAllowList(List.of());
  }

  /** Comma-separated patterns, blanks around commas ignored; an empty string allows nothing. */
  public static ArnAllowList parse(String commaSeparated) {
    return new ArnAllowList(Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  public boolean allows(String arn) {
    return patterns.stream().anyMatch(p -> regex(p).matcher(arn).matches());
  }

  /** For messages: the patterns, or "none". */
  public String describe() {
    return patterns.isEmpty() ? "none" : String.join(", ", patterns);
  }

  private static Pattern regex(String pattern) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        re.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    return Pattern.compile(re.append(Pattern.quote(literal.toString())).toString(), Pattern.DOTALL);
  }
}
