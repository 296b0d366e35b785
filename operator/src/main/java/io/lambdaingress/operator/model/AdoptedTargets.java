package io.lambdaingress.operator.model;

import io.lambdaingress.operator.model.AdoptionCheck.Difference;
import io.lambdaingress.operator.model.AdoptionCheck.Finding;
import io.lambdaingress.operator.model.AdoptionCheck.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * The far end of an adopted chain, with no I/O: what an adopted target group holds, and an adopted function
 * against the one the model would create ({@link AdoptionCheck} for the load balancers, listeners and groups).
 */
public final class AdoptedTargets {

  private AdoptedTargets() {}

  /**
   * An adopted target group whose target is not the chain's own: refused when the target would have to be swapped
   * inside it, because AWS lets an alb group hold one ALB and a lambda group one function, so the new target could
   * only come in after the old one left, with a moment without a target. (The chain never swaps a target in place: a
   * group that is not adopted is made new, and the listener moves to it once it serves.)
   *
   * @param registered the group's targets, draining ones left out
   * @param wanted whether a target is the one the chain puts there
   * @param wantedSays the chain's target, said for a person
   * @param adoptIt the spec.adopt field that would adopt the target too
   */
  public static Finding withTargets(Finding group, List<String> registered, Predicate<String> wanted, String wantedSays, String adoptIt) {
    if (registered.isEmpty() || registered.stream().anyMatch(wanted)) {
      return group;
    }
    String one = group.kind() == Kind.ALB_TARGET_GROUP ? "one ALB" : "one function";
    return new Finding(group.kind(), group.name(), group.arn(), group.tags(), group.inPlace(), group.fixed(), group.resource() + " holds "
        + String.join(", ", registered) + ", not " + wantedSays + ": AWS lets it hold " + one + ", so the new one could only come in after "
        + "the old one left, a moment without a target; adopt that one too (" + adoptIt + "), or leave the group out of spec.adopt (a "
        + "new one is made and traffic moves to it once it serves)");
  }

  /** A function: an image function, or refused (AWS keeps a function's package type); the rest in place. */
  public static Finding function(CreateFunctionRequest desired, FunctionConfiguration c, String imageUri, Map<String, String> tags) {
    List<Difference> fixed = new ArrayList<>();
    if (!Objects.equals(desired.packageTypeAsString(), c.packageTypeAsString())) {
      fixed.add(new Difference("package type (spec.lambda.function.image)", c.packageTypeAsString(), desired.packageTypeAsString()));
    }
    List<Difference> inPlace = new ArrayList<>();
    if (!Objects.equals(desired.role(), c.role())) {
      inPlace.add(new Difference("spec.lambda.function.roleArn", c.role(), desired.role()));
    }
    if (!Objects.equals(desired.timeout(), c.timeout())) {
      inPlace.add(new Difference("spec.lambda.function.timeoutSeconds", String.valueOf(c.timeout()), String.valueOf(desired.timeout())));
    }
    if (!Objects.equals(desired.memorySize(), c.memorySize())) {
      inPlace.add(new Difference("spec.lambda.function.memoryMiB", String.valueOf(c.memorySize()), String.valueOf(desired.memorySize())));
    }
    Map<String, String> env = c.environment() == null ? Map.of() : c.environment().variables();
    Map<String, String> wantedEnv = desired.environment() == null ? Map.of() : desired.environment().variables();
    if (!env.equals(wantedEnv)) {
      // Keys only: values may be secrets.
      inPlace.add(new Difference("spec.lambda.function.environment", "keys " + new TreeSet<>(env.keySet()),
          "keys " + new TreeSet<>(wantedEnv.keySet()) + AdoptionCheck.changedValues(env, wantedEnv)));
    }
    Set<String> subnets = c.vpcConfig() == null ? Set.of() : new TreeSet<>(c.vpcConfig().subnetIds());
    Set<String> wantedSubnets = desired.vpcConfig() == null ? Set.of() : new TreeSet<>(desired.vpcConfig().subnetIds());
    if (!subnets.equals(wantedSubnets)) {
      inPlace.add(new Difference("spec.lambda.function.vpc.subnetIds", subnets.toString(), wantedSubnets.toString()));
    }
    Set<String> groups = c.vpcConfig() == null ? Set.of() : new TreeSet<>(c.vpcConfig().securityGroupIds());
    Set<String> wantedGroups = desired.vpcConfig() == null ? Set.of() : new TreeSet<>(desired.vpcConfig().securityGroupIds());
    if (!groups.equals(wantedGroups)) {
      inPlace.add(new Difference("spec.lambda.function.vpc.securityGroupIds", groups.toString(), wantedGroups.toString()));
    }
    String wantedImage = desired.code() == null ? null : desired.code().imageUri();
    if (wantedImage != null && !wantedImage.equals(imageUri)) {
      inPlace.add(new Difference("spec.lambda.function.image", String.valueOf(imageUri), wantedImage));
    }
    AdoptionCheck.tagDifference(desired.tags(), tags).ifPresent(inPlace::add);
    return new Finding(Kind.FUNCTION, c.functionName(), c.functionArn(), tags, inPlace, fixed, null);
  }
}
