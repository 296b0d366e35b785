package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.aws.LambdaFunctionClient.PolicyStatement;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.FunctionCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.lambda.model.AddPermissionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.VpcConfig;

/**
 * The Lambda side: the managed function (configuration and image, updated in place) or an existing
 * function that is never modified, and the invoke permission for Elastic Load Balancing. Every deletion of
 * a function and of one of our permission statements is here.
 */
public final class FunctionStep {

  public static final String ELB_PRINCIPAL = "elasticloadbalancing.amazonaws.com";
  public static final String INVOKE = "lambda:InvokeFunction";
  private static final String POLICY_FULL = "PolicyLengthExceededException";

  /** The function as converged, or busy: AWS is still applying an earlier update (the caller requeues). */
  public record Result(String functionArn, boolean busy) {}

  private final LambdaFunctionClient lambda;
  // Null, or what discovery by owner tags lists: deletions are then read and made through it.
  private final FunctionCatalog catalog;
  private final Ownership ownership;
  private final Announcer writes;
  private final UpdateAttempts attempts;

  public FunctionStep(LambdaFunctionClient lambda, Ownership ownership, Announcer writes) {
    this(lambda, ownership, writes, new UpdateAttempts());
  }

  /** {@code attempts}: shared by the reconciles of all objects, so that an update AWS aborted is not asked for again. */
  public FunctionStep(LambdaFunctionClient lambda, Ownership ownership, Announcer writes, UpdateAttempts attempts) {
    this(lambda, null, ownership, writes, attempts);
  }

  /**
   * Deletions read and made through {@code catalog}: discovery by owner tags stops listing a function once it
   * is deleted (or found gone), and sees the tags it read.
   */
  public FunctionStep(FunctionCatalog catalog, Ownership ownership, Announcer writes) {
    this(catalog.client(), catalog, ownership, writes, new UpdateAttempts());
  }

  private FunctionStep(LambdaFunctionClient lambda, FunctionCatalog catalog, Ownership ownership, Announcer writes,
      UpdateAttempts attempts) {
    this.lambda = lambda;
    this.catalog = catalog;
    this.ownership = ownership;
    this.writes = writes;
    this.attempts = attempts;
  }

  public Result ensureManaged(CreateFunctionRequest desired) {
    return ensureManaged(desired, null);
  }

  /** @param reserved the function's reserved concurrency, null for none (one made out of band is removed) */
  public Result ensureManaged(CreateFunctionRequest desired, Integer reserved) {
    String name = desired.functionName();
    GetFunctionResponse found = lambda.function(name).orElse(null);
    if (found == null) {
      FunctionConfiguration created = writes.made("Created", "function " + name, "missing", () -> lambda.create(desired));
      return new Result(created.functionArn(), created.state() == State.PENDING);
    }
    FunctionConfiguration c = found.configuration();
    ownership.require("function", name, Ownership.functionIdentity(c.functionArn(), digestOf(found.code().imageUri())),
        found.tags() == null ? Map.of() : found.tags());
    // AWS refuses a second update while one is in progress: come back when it is done.
    if (c.state() == State.PENDING || c.lastUpdateStatus() == LastUpdateStatus.IN_PROGRESS) {
      return new Result(c.functionArn(), true);
    }
    String configChange = configurationChange(desired, c);
    String imageChange = Objects.equals(desired.code().imageUri(), found.code().imageUri()) ? null
        : "image " + found.code().imageUri() + " -> " + desired.code().imageUri();
    boolean failed = c.lastUpdateStatus() == LastUpdateStatus.FAILED;
    // After an aborted update a new image goes first: it may be the fix (AWS aborts any update of a function whose
    // image was deleted from ECR).
    String change = failed && imageChange != null ? imageChange : configChange != null ? configChange : imageChange;
    if (change != null && failed && attempts.lastAskedWas(name, change)) {
      throw new AwsFailure(Reason.AwsError, "function " + name + ": AWS aborted its update (" + change + "): LastUpdateStatus Failed, "
          + c.lastUpdateStatusReasonCodeAsString() + ": " + Objects.toString(c.lastUpdateStatusReason(), "") + " Its previous code and configuration "
          + "still serve; the same update is not asked for again: fix the cause, then change the spec (a deleted image: a new "
          + "image)");
    }
    if (change != null && change.equals(configChange)) {
      writes.made("Updated", "function " + name, configChange, () -> lambda.updateConfiguration(UpdateFunctionConfigurationRequest.builder()
          .functionName(name).role(desired.role()).timeout(desired.timeout()).memorySize(desired.memorySize())
          .environment(e -> e.variables(desired.environment().variables()))
          .vpcConfig(desired.vpcConfig() == null ? VpcConfig.builder().subnetIds(List.of()).securityGroupIds(List.of()).build() : desired.vpcConfig())
          .build()));
      attempts.asked(name, configChange);
      return new Result(c.functionArn(), true);
    }
    if (change != null) {
      writes.made("Updated", "function " + name, imageChange, () -> lambda.updateImage(name, desired.code().imageUri()));
      attempts.asked(name, imageChange);
      return new Result(c.functionArn(), true);
    }
    syncTags(c.functionArn(), found.tags() == null ? Map.of() : found.tags(), desired.tags());
    Integer current = found.concurrency() == null ? null : found.concurrency().reservedConcurrentExecutions();
    if (!Objects.equals(current, reserved)) {
      String why = "reserved concurrency " + Objects.toString(current, "none") + " -> " + Objects.toString(reserved, "none");
      writes.made("Updated", "function " + name, why, reserved == null ? () -> lambda.unreserveConcurrency(name)
          : () -> lambda.reserveConcurrency(name, reserved));
    }
    return new Result(c.functionArn(), false);
  }

  /** "sha256:..." of "registry/repository@sha256:...", or null for an image not given by digest. */
  private static String digestOf(String imageUri) {
    int at = imageUri == null ? -1 : imageUri.lastIndexOf('@');
    return at < 0 ? null : imageUri.substring(at + 1);
  }

  /** An existing function named by ARN: it must exist; nothing of it is ever changed. */
  public String requireExisting(String functionArn) {
    return lambda.function(functionArn).map(f -> f.configuration().functionArn()).orElseThrow(() -> new AwsFailure(
        Reason.DependencyNotFound, "spec.lambda.functionArn: function " + functionArn + " does not exist"));
  }

  public static String configurationChange(CreateFunctionRequest d, FunctionConfiguration c) {
    if (!Objects.equals(d.role(), c.role())) {
      return "role " + c.role() + " -> " + d.role();
    }
    if (!Objects.equals(d.timeout(), c.timeout())) {
      return "timeout " + c.timeout() + "s -> " + d.timeout() + "s";
    }
    if (!Objects.equals(d.memorySize(), c.memorySize())) {
      return "memory " + c.memorySize() + " MiB -> " + d.memorySize() + " MiB";
    }
    Map<String, String> env = c.environment() == null ? Map.of() : c.environment().variables();
    if (!d.environment().variables().equals(env)) {
      return "environment " + diffKeys(env, d.environment().variables());
    }
    Set<String> subnets = c.vpcConfig() == null ? Set.of() : Set.copyOf(c.vpcConfig().subnetIds());
    Set<String> groups = c.vpcConfig() == null ? Set.of() : Set.copyOf(c.vpcConfig().securityGroupIds());
    Set<String> wantSubnets = d.vpcConfig() == null ? Set.of() : Set.copyOf(d.vpcConfig().subnetIds());
    Set<String> wantGroups = d.vpcConfig() == null ? Set.of() : Set.copyOf(d.vpcConfig().securityGroupIds());
    if (!subnets.equals(wantSubnets) || !groups.equals(wantGroups)) {
      return "VPC subnets " + subnets + " -> " + wantSubnets + ", security groups " + groups + " -> " + wantGroups;
    }
    return null;
  }

  private static String diffKeys(Map<String, String> was, Map<String, String> want) {
    Set<String> changed = new HashSet<>();
    want.forEach((k, v) -> {
      if (!v.equals(was.get(k))) {
        changed.add(k);
      }
    });
    was.keySet().stream().filter(k -> !want.containsKey(k)).forEach(changed::add);
    return "keys changed: " + changed; // values may be secrets: never logged
  }

  private void syncTags(String functionArn, Map<String, String> observed, Map<String, String> wanted) {
    MapDiff diff = MapDiff.tags(observed, wanted);
    if (!diff.isEmpty()) {
      writes.made("Updated", "function " + functionArn, "tags: " + diff.describe(), () -> {
        lambda.tag(functionArn, diff.set());
        lambda.untag(functionArn, diff.removed());
      });
    }
  }

  /**
   * A function the spec no longer names (renamed, or switched to functionArn): ours is deleted; one that is
   * not ours only loses our permission statement. Its registration went with ensureOnlyTarget.
   */
  public void retire(String functionArn, String statementId) {
    var fn = fresh(functionArn);
    if (fn.isEmpty()) {
      return;
    }
    String why = "the spec names another function now";
    if (ownership.owns(fn.get().tags() == null ? Map.of() : fn.get().tags())) {
      delete("function " + functionArn, functionArn, why);
    } else {
      removePermission(functionArn, null, statementId, why);
    }
  }

  /**
   * Deletes our function, read afresh: one without our owner tags is never touched (an existing function
   * named by ARN only loses our permission: {@link #removePermission}). Announced once AWS accepted it.
   */
  public void deleteIfOurs(String resource, String nameOrArn, String why) {
    var fn = fresh(nameOrArn);
    if (fn.isPresent() && ownership.owns(fn.get().tags() == null ? Map.of() : fn.get().tags())) {
      delete(resource, nameOrArn, why);
    }
  }

  private void delete(String resource, String nameOrArn, String why) {
    writes.made("Deleted", resource, why, () -> {
      if (catalog == null) {
        lambda.delete(nameOrArn);
      } else {
        catalog.delete(nameOrArn);
      }
    });
  }

  /** The function read afresh before a deletion. */
  private Optional<GetFunctionResponse> fresh(String nameOrArn) {
    return catalog == null ? lambda.function(nameOrArn) : catalog.fresh(nameOrArn);
  }

  /** Exactly one statement with our id: ELB may invoke the function, from {@code sourceArn} only. True when written. */
  public boolean ensurePermission(String functionArn, String statementId, String sourceArn) {
    return ensurePermission(functionArn, null, statementId, sourceArn);
  }

  /**
   * The same on the policy of one alias or version ({@code qualifier}, null for the function itself): AWS
   * keeps one policy per qualifier, and ELB needs it on exactly the ARN it invokes.
   */
  public boolean ensurePermission(String functionArn, String qualifier, String statementId, String sourceArn) {
    String policyArn = qualifier == null ? functionArn : functionArn + ":" + qualifier;
    List<PolicyStatement> statements = lambda.policy(policyArn);
    PolicyStatement ours = statements.stream().filter(s -> statementId.equals(s.sid())).findFirst().orElse(null);
    if (ours != null && INVOKE.equals(ours.action()) && ELB_PRINCIPAL.equals(ours.principal()) && sourceArn.equals(ours.sourceArn())) {
      return false;
    }
    String resource = "permission " + statementId + " on " + policyArn;
    if (ours != null) {
      lambda.removePermission(functionArn, qualifier, statementId);
    }
    try {
      lambda.addPermission(AddPermissionRequest.builder().functionName(functionArn).qualifier(qualifier).statementId(statementId)
          .action(INVOKE).principal(ELB_PRINCIPAL).sourceArn(sourceArn).build());
    } catch (AwsFailure f) {
      if (ours != null) {
        // The removal was accepted: said as what it was, the refused statement by the failure.
        writes.announce("Deleted", resource, "source " + ours.sourceArn() + " -> " + sourceArn + ", the new statement refused");
      }
      if (!POLICY_FULL.equals(f.awsErrorCode())) {
        throw f;
      }
      // Every object and route that puts this function behind its own target group adds a statement to its policy.
      throw new AwsFailure(Reason.InvalidSpec, "function " + policyArn + ": its resource policy is full (AWS allows 20 KB: "
          + f.getMessage().substring(f.getMessage().indexOf(POLICY_FULL)) + "); each LambdaIngress and route that invokes "
          + "it adds a statement: let fewer objects or routes share this function, or give some of them a function of their own",
          POLICY_FULL, f);
    }
    if (ours != null) {
      writes.announce("Replaced", resource, "source " + ours.sourceArn() + " -> " + sourceArn);
    } else {
      writes.announce("Created", resource, "missing");
    }
    return true;
  }

  /** Removes our statement from the function's or one qualifier's policy, when it is there. */
  public void removePermission(String functionArn, String qualifier, String statementId, String why) {
    String policyArn = qualifier == null ? functionArn : functionArn + ":" + qualifier;
    if (lambda.policy(policyArn).stream().anyMatch(s -> statementId.equals(s.sid()))) {
      removeStatement(functionArn, qualifier, statementId, why);
    }
  }

  /** Our statements on the function's own policy (no qualifier) whose source is {@code sourceArn}, with this id prefix. */
  public List<PolicyStatement> statementsFrom(String functionArn, String sidPrefix, String sourceArn) {
    return lambda.policy(functionArn).stream().filter(s -> s.sid().startsWith(sidPrefix) && sourceArn.equals(s.sourceArn())).toList();
  }

  /** Removes a statement known to be there, announced once AWS accepted it. */
  public void removeStatement(String functionArn, String qualifier, String statementId, String why) {
    writes.made("Deleted", "permission " + statementId + " on " + (qualifier == null ? functionArn : functionArn + ":" + qualifier), why,
        () -> lambda.removePermission(functionArn, qualifier, statementId));
  }
}
