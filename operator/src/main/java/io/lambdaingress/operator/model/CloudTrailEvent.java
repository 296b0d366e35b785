package io.lambdaingress.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An "AWS API Call via CloudTrail" event as EventBridge delivers it (the CloudTrail record under
 * {@code detail}: {@code eventSource}, {@code eventName}, {@code requestParameters}, {@code userIdentity}),
 * reduced to what the operator acts on: who called, and the resources it names, as {@link #keys()} that
 * {@link #functionKey}, {@link #loadBalancerKey}, {@link #targetGroupKey} and {@link #imageKey} also derive
 * from a {@link ChainModel}. Parsing only, no I/O.
 *
 * @param eventSource e.g. {@code elasticloadbalancing.amazonaws.com}
 * @param eventName e.g. {@code ModifyListener}, {@code UpdateFunctionConfiguration20150331v2}, {@code PutImage}
 * @param accessKeyId {@code userIdentity.accessKeyId}: the credentials the call was signed with
 * @param callerArn {@code userIdentity.arn}, or for an assumed role the role ({@code sessionContext.sessionIssuer.arn})
 * @param keys the resources the call names
 */
public record CloudTrailEvent(String eventSource, String eventName, String accessKeyId, String callerArn, Set<String> keys) {

  private static final ObjectMapper JSON = new ObjectMapper();
  // loadbalancer/app/NAME/ID, listener/net/NAME/LBID/ID, listener-rule/app/NAME/..., targetgroup/NAME/ID
  private static final Pattern ELB_ARN = Pattern.compile(
      "^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(loadbalancer|listener|listener-rule|targetgroup)/(?:(?:app|net)/)?([^/]+)/.*$");
  private static final Pattern FUNCTION_ARN = Pattern.compile("^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(:.*)?$");

  public static String functionKey(String functionName) {
    return "function:" + functionName;
  }

  public static String loadBalancerKey(String name) {
    return "lb:" + name;
  }

  public static String targetGroupKey(String name) {
    return "tg:" + name;
  }

  public static String imageKey(String repository, String tag) {
    return "image:" + repository + ":" + tag;
  }

  /** What the object's chain is made of, as the keys events name it by. */
  public static Set<String> keysOf(ChainModel model) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(loadBalancerKey(model.nlb().name()));
    for (AlbSlot slot : AlbSlot.values()) {
      ChainModel side = model.inSlot(slot);
      keys.add(loadBalancerKey(side.alb().name()));
      side.nlb().albTargetGroupNames(side.names()).forEach(n -> keys.add(targetGroupKey(n)));
      keys.add(targetGroupKey(side.alb().lambdaTargetGroup().name()));
      keys.add(targetGroupKey(side.names().lambdaAliasTargetGroup()));
    }
    model.function().ifPresent(f -> {
      keys.add(functionKey(f.name()));
      if (f.image().tag() != null && f.image().pinnedParts() == null) {
        keys.add(imageKey(f.image().repository(), f.image().tag()));
      }
    });
    if (model.existingFunctionArn() != null) {
      keys.add(functionKey(functionName(model.existingFunctionArn())));
    }
    return keys;
  }

  /** The event in an EventBridge message body; empty for anything else (a test message, another detail type). */
  public static Optional<CloudTrailEvent> parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception e) {
      return Optional.empty();
    }
    JsonNode detail = root.path("detail");
    if (!detail.has("eventSource") || !detail.has("eventName")) {
      return Optional.empty();
    }
    JsonNode identity = detail.path("userIdentity");
    String caller = identity.path("sessionContext").path("sessionIssuer").path("arn").asText(null);
    if (caller == null) {
      caller = identity.path("arn").asText(null);
    }
    Set<String> keys = new LinkedHashSet<>();
    JsonNode params = detail.path("requestParameters");
    String source = detail.path("eventSource").asText();
    switch (source) {
      case "lambda.amazonaws.com" -> {
        addFunction(keys, params.path("functionName").asText(null));
        addFunction(keys, params.path("resource").asText(null));
      }
      case "elasticloadbalancing.amazonaws.com" -> {
        for (String field : new String[] {"loadBalancerArn", "targetGroupArn", "listenerArn", "ruleArn"}) {
          addElb(keys, params.path(field).asText(null));
        }
        params.path("resourceArns").forEach(a -> addElb(keys, a.asText(null)));
        params.path("loadBalancerArns").forEach(a -> addElb(keys, a.asText(null)));
        if (params.hasNonNull("name") && detail.path("eventName").asText().equals("CreateLoadBalancer")) {
          keys.add(loadBalancerKey(params.path("name").asText()));
        }
        if (params.hasNonNull("name") && detail.path("eventName").asText().equals("CreateTargetGroup")) {
          keys.add(targetGroupKey(params.path("name").asText()));
        }
      }
      case "ecr.amazonaws.com" -> {
        if (params.hasNonNull("repositoryName") && params.hasNonNull("imageTag")) {
          keys.add(imageKey(params.path("repositoryName").asText(), params.path("imageTag").asText()));
        }
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(new CloudTrailEvent(source, detail.path("eventName").asText(), identity.path("accessKeyId").asText(null),
        caller, Set.copyOf(keys)));
  }

  private static void addFunction(Set<String> keys, String nameOrArn) {
    if (nameOrArn != null && !nameOrArn.isEmpty()) {
      keys.add(functionKey(functionName(nameOrArn)));
    }
  }

  /** "my-fn", "arn:aws:lambda:...:function:my-fn[:qualifier]" or "123456789012:function:my-fn" -> "my-fn". */
  static String functionName(String nameOrArn) {
    Matcher m = FUNCTION_ARN.matcher(nameOrArn);
    if (m.matches()) {
      return m.group(1);
    }
    int at = nameOrArn.indexOf(":function:");
    return at < 0 ? nameOrArn : nameOrArn.substring(at + ":function:".length()).split(":")[0];
  }

  private static void addElb(Set<String> keys, String arn) {
    Matcher m = arn == null ? null : ELB_ARN.matcher(arn);
    if (m != null && m.matches()) {
      keys.add(m.group(1).equals("targetgroup") ? targetGroupKey(m.group(2)) : loadBalancerKey(m.group(2)));
    }
  }
}
