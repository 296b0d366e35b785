package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.kinds.Ownership;
import io.lambdaingress.operator.kinds.Announcer;
import io.lambdaingress.operator.kinds.FunctionStep;
import io.lambdaingress.operator.kinds.TargetGroupStep;
import io.lambdaingress.operator.kinds.LoadBalancerStep;
import io.lambdaingress.operator.cache.FunctionCatalog;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.aws.LambdaFunctionClient;
import io.lambdaingress.operator.model.OwnedResource;
import io.lambdaingress.operator.model.OwnedResource.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * Deletes, in the order given ({@link io.lambdaingress.operator.model.CleanupPlan}), resources discovery
 * found by their owner tags. Discovery may be a listing old by up to a resync period, so each resource's
 * tags are read afresh from its own service just before it is deleted: one that is gone is skipped, and one
 * that no longer carries ALL the owner tags is never touched. The deletions themselves are each kind's
 * ({@link LoadBalancerStep}, {@link TargetGroupStep}, {@link FunctionStep}).
 */
final class OwnedDeletion {

  private static final String OUR_STATEMENTS = "lambda-ingress-";

  private final ElbInventory inventory;
  private final ElbV2Client elb;
  private final LambdaFunctionClient lambda;
  private final FunctionCatalog functions;

  OwnedDeletion(ElbInventory inventory, LambdaFunctionClient lambda, FunctionCatalog functions) {
    this.inventory = inventory;
    this.elb = inventory.client();
    this.lambda = lambda;
    this.functions = functions;
  }

  /**
   * Returns why it must be called again (a target group still in use by a load balancer being deleted:
   * AWS deletes load balancers asynchronously), or null when all of {@code plan} is gone.
   */
  String delete(List<OwnedResource> plan, Ownership ownership, Announcer announcer, String why) {
    FunctionStep fns = new FunctionStep(functions, ownership, announcer);
    TargetGroupStep targetGroups = new TargetGroupStep(inventory, ownership, announcer);
    LoadBalancerStep loadBalancers = new LoadBalancerStep(inventory, ownership, announcer);
    for (OwnedResource r : plan) {
      if (r.kind() == Kind.FUNCTION) {
        fns.deleteIfOurs(r.describe(), r.arn(), why);
      } else if (currentTags(r).filter(ownership::owns).isPresent()) {
        if (r.kind() == Kind.NLB || r.kind() == Kind.ALB) {
          loadBalancers.delete(r.describe(), r.arn(), r.name(), why);
        } else {
          if (r.kind() == Kind.LAMBDA_TARGET_GROUP) {
            removeInvokePermissionsFor(r, plan, fns, why);
          }
          if (!targetGroups.delete(r.describe(), r.arn(), r.name(), why)) {
            return r.describe() + " is still in use by a load balancer being deleted";
          }
        }
      }
    }
    return null;
  }

  /** The tags the resource carries now, read from its own service; empty when it is gone. */
  Optional<Map<String, String>> currentTags(OwnedResource r) {
    if (r.kind() == Kind.FUNCTION) {
      return lambda.tags(r.arn());
    }
    try {
      return Optional.ofNullable(elb.tags(List.of(r.arn())).get(r.arn()));
    } catch (AwsFailure f) {
      if (f.isNotFound()) {
        return Optional.empty();
      }
      throw f;
    }
  }

  /**
   * The invoke permission we added for this group stays on its function after the group is gone (a
   * function kept across a cluster name change, or an existing function): remove our statement whose
   * source is this group. A function about to be deleted with the group keeps it: it goes with the function.
   */
  private void removeInvokePermissionsFor(OwnedResource group, List<OwnedResource> plan, FunctionStep fns, String why) {
    for (TargetDescription t : elb.targets(group.arn())) {
      if (plan.stream().anyMatch(r -> r.kind() == Kind.FUNCTION && r.arn().equals(t.id()))) {
        continue;
      }
      fns.statementsFrom(t.id(), OUR_STATEMENTS, group.arn()).forEach(s -> fns.removeStatement(t.id(), null, s.sid(), why));
    }
  }
}
