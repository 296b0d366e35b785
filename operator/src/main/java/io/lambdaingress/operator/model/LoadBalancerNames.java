package io.lambdaingress.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The AWS names of one LambdaIngress's resources, derived deterministically from cluster, namespace and
 * name. Names are how the operator finds its resources again after a crash (the idempotency key), so they
 * must never change for a given object, never collide between objects, and fit AWS's limits:
 * load balancer and target group names at most 32 characters of [A-Za-z0-9-], no leading or trailing
 * hyphen, and a load balancer name may not start with "internal-"; function names at most 64 of
 * [A-Za-z0-9-_]. Two lambda target groups: {@code ltg} for the function itself, {@code lta} for its alias
 * while a rollout is on (switching moves the listener from one to the other; AWS holds one function per
 * lambda group, so the two targets cannot share one without a moment with neither). A second alb target group,
 * {@code ath}, for the NLB's HTTPS port (spec.alb.https): an alb target group has one port. Every name carries 8 hex characters of SHA-256 over cluster/namespace/name: readable
 * prefixes may be truncated or coincide ("default/a-b" and "default-a/b"), the hash keeps them apart.
 * The ALB side (ALB, alb target group, both lambda target groups, the permission) has a second set of names,
 * {@link #second()}: an ALB replacement builds the new side under the other set while the old one serves
 * ({@link AlbSlot}).
 */
public record LoadBalancerNames(String nlb, String alb, String albTargetGroup, String lambdaTargetGroup,
    String function, String permissionStatementId, String lambdaAliasTargetGroup, String albHttpsTargetGroup) {

  static final int ELB_NAME_MAX = 32;
  static final int FUNCTION_NAME_MAX = 64;

  public static LoadBalancerNames of(String cluster, String namespace, String name) {
    String hash = hash(cluster + "/" + namespace + "/" + name);
    String readable = sanitize(namespace + "-" + name);
    return new LoadBalancerNames(
        elbName(readable, hash, "nlb"),
        elbName(readable, hash, "alb"),
        elbName(readable, hash, "atg"),
        elbName(readable, hash, "ltg"),
        functionName(readable, hash),
        "lambda-ingress-" + hash,
        elbName(readable, hash, "lta"),
        elbName(readable, hash, "ath"));
  }

  /**
   * The names of the ALB side's second slot: the NLB and the function keep theirs. AWS lets an alb target
   * group hold one ALB, draining included, and a target group serve one load balancer, so the new ALB needs
   * groups of its own. Each keeps its length (a name may already have AWS's 32 characters), its kind of
   * three letters becoming another: ab2, ag2, lg2, la2, ah2; the statement id gets "-2".
   */
  public LoadBalancerNames second() {
    return new LoadBalancerNames(nlb, rekind(alb, "ab2"), rekind(albTargetGroup, "ag2"), rekind(lambdaTargetGroup, "lg2"), function,
        permissionStatementId + "-2", rekind(lambdaAliasTargetGroup, "la2"), rekind(albHttpsTargetGroup, "ah2"));
  }

  /** The name with its last {@code kind.length()} characters (its kind) replaced by {@code kind}: the same length. */
  static String rekind(String name, String kind) {
    return name.substring(0, name.length() - kind.length()) + kind;
  }

  /** "li-" + readable part + "-" + hash + "-" + kind, the readable part cut to fit 32 characters. */
  private static String elbName(String readable, String hash, String kind) {
    int budget = ELB_NAME_MAX - "li-".length() - 1 - hash.length() - 1 - kind.length();
    return "li-" + cut(readable, budget) + "-" + hash + "-" + kind;
  }

  private static String functionName(String readable, String hash) {
    int budget = FUNCTION_NAME_MAX - "li-".length() - 1 - hash.length();
    return "li-" + cut(readable, budget) + "-" + hash;
  }

  static String cut(String s, int max) {
    String cut = s.length() <= max ? s : s.substring(0, max);
    return stripHyphens(cut);
  }

  /** Lower case, every run of characters outside [a-z0-9] becomes one hyphen, no hyphen at either end. */
  static String sanitize(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    String stripped = stripHyphens(lower);
    return stripped.isEmpty() ? "x" : stripped;
  }

  private static String stripHyphens(String s) {
    return s.replaceAll("^-+", "").replaceAll("-+$", "");
  }

  static String hash(String s) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
