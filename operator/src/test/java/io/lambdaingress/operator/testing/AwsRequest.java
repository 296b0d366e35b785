package io.lambdaingress.operator.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP request of the AWS SDK, named as the AWS action it is ({@code elasticloadbalancing:CreateListener},
 * {@code lambda:AddPermission}) and classified as a read or a write, whatever the service's protocol:
 *
 * <ul>
 *   <li>query (ELBv2, EC2): the form body's {@code Action};
 *   <li>JSON 1.1 (ECR): the {@code X-Amz-Target} header;
 *   <li>REST-JSON (Lambda): method and path ({@code POST /2015-03-31/functions/f/policy} is AddPermission).
 * </ul>
 *
 * The service is the signing name in the SigV4 credential scope ({@code .../us-east-1/lambda/aws4_request}).
 * A read is an action named Describe*, Get*, List* (or a Lambda GET); everything else changes AWS.
 */
public record AwsRequest(String service, String action, Protocol protocol, boolean write) {

  /** How the service encodes requests and, for the fault proxy, errors. */
  public enum Protocol { QUERY, EC2, JSON, REST_JSON }

  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
  private static final Pattern LAMBDA_FUNCTION = Pattern.compile("^/\\d{4}-\\d{2}-\\d{2}/functions/[^/]+(/.*)?$");

  /** @param authorization the Authorization header (may be null), @param target the X-Amz-Target header (may be null) */
  public static AwsRequest of(String method, String path, String authorization, String target, byte[] body) {
    String service = "unknown";
    if (authorization != null) {
      Matcher m = SCOPE.matcher(authorization);
      if (m.find()) {
        service = m.group(1);
      }
    }
    if (target != null) {
      String action = target.substring(target.indexOf('.') + 1);
      return new AwsRequest(service, action, Protocol.JSON, !isRead(action));
    }
    if ("POST".equals(method) && !service.equals("lambda")) {
      String action = formParameter(new String(body, StandardCharsets.UTF_8), "Action");
      if (action != null) {
        return new AwsRequest(service, action, service.equals("ec2") ? Protocol.EC2 : Protocol.QUERY, !isRead(action));
      }
    }
    String action = restAction(method, path);
    return new AwsRequest(service, action, Protocol.REST_JSON, !"GET".equals(method) && !"HEAD".equals(method));
  }

  /** {@code service:Action}, the name IAM policies and our rows use. */
  public String name() {
    return service + ":" + action;
  }

  private static boolean isRead(String action) {
    return action.startsWith("Describe") || action.startsWith("Get") || action.startsWith("List");
  }

  private static String formParameter(String form, String key) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(key)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** The Lambda REST API's paths (API reference, one page per action) to their action names. */
  static String restAction(String method, String rawPath) {
    String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
    if (path.matches("^/\\d{4}-\\d{2}-\\d{2}/tags/.+")) {
      return switch (method) {
        case "GET" -> "ListTags";
        case "POST" -> "TagResource";
        case "DELETE" -> "UntagResource";
        default -> method + " " + path;
      };
    }
    if (path.matches("^/\\d{4}-\\d{2}-\\d{2}/functions/?")) {
      return "POST".equals(method) ? "CreateFunction" : "ListFunctions";
    }
    Matcher m = LAMBDA_FUNCTION.matcher(path);
    if (m.matches()) {
      String rest = m.group(1) == null ? "" : m.group(1);
      String key = method + " " + (rest.startsWith("/policy/") ? "/policy/*" : rest);
      return switch (key) {
        case "GET " -> "GetFunction";
        case "DELETE " -> "DeleteFunction";
        case "GET /configuration" -> "GetFunctionConfiguration";
        case "PUT /configuration" -> "UpdateFunctionConfiguration";
        case "PUT /code" -> "UpdateFunctionCode";
        case "GET /policy" -> "GetPolicy";
        case "POST /policy" -> "AddPermission";
        case "DELETE /policy/*" -> "RemovePermission";
        case "GET /concurrency" -> "GetFunctionConcurrency";
        case "PUT /concurrency" -> "PutFunctionConcurrency";
        case "DELETE /concurrency" -> "DeleteFunctionConcurrency";
        case "GET /provisioned-concurrency" -> "GetProvisionedConcurrencyConfig";
        case "PUT /provisioned-concurrency" -> "PutProvisionedConcurrencyConfig";
        case "DELETE /provisioned-concurrency" -> "DeleteProvisionedConcurrencyConfig";
        default -> method + " " + rest;
      };
    }
    return method.toUpperCase(Locale.ROOT) + " " + path;
  }
}
