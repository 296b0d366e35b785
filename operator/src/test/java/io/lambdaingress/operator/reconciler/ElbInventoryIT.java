package io.lambdaingress.operator.reconciler;

import io.lambdaingress.operator.cache.ElbInventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AwsCallCounter;
import io.lambdaingress.operator.aws.AwsClients;
import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.WithLocalWorld;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** ElbInventory's shared reads against moto and the AWS rules layer. */
@WithLocalWorld
class ElbInventoryIT {

  @Test
  void aGroupDeletedSinceTheListingFailsOnlyItsOwnTagRead(LocalWorld world) {
    try (AwsClients aws = new AwsClients(new AwsCallCounter()); ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.create()) {
      List<String> mine = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String n = Integer.toString(i);
        mine.add(elb.createTargetGroup(r -> r.name(LocalWorld.uniqueName("inv")).targetType(TargetTypeEnum.LAMBDA)
            .tags(t -> t.key("k").value(n))).targetGroups().get(0).targetGroupArn());
      }
      ElbInventory inventory = new ElbInventory(aws.elbV2(), Duration.ofMinutes(5), Clock.systemUTC());
      List<String> listed = inventory.listedTargetGroups().stream().map(TargetGroup::targetGroupArn).toList();
      assertThat(listed).containsAll(mine);
      String gone = mine.get(1);
      elb.deleteTargetGroup(r -> r.targetGroupArn(gone));

      // Every other listed group's tags are read, 20 a call with stale ones read along; the gone group is in one
      // of those calls (it stays stale until then), and AWS fails that whole call (elb-describe-tags-not-found).
      for (String arn : listed) {
        if (arn.equals(gone)) {
          continue;
        }
        try {
          inventory.tags(arn);
        } catch (AwsFailure f) {
          // A class running at the same time deleted its own group since the listing: its read fails alone too.
          assertThat(mine).as("a group of this test's gone").doesNotContain(arn);
          assertThat(f.awsErrorCode()).isEqualTo("TargetGroupNotFound");
        }
      }
      assertThat(inventory.tags(mine.get(0))).containsEntry("k", "0");
      assertThat(inventory.tags(mine.get(2))).containsEntry("k", "2");
      assertThatThrownBy(() -> inventory.tags(gone))
          .isInstanceOfSatisfying(AwsFailure.class, f -> assertThat(f.awsErrorCode()).isEqualTo("TargetGroupNotFound"));
    }
  }
}
