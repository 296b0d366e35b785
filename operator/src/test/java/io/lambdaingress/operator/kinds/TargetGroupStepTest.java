package io.lambdaingress.operator.kinds;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.ElbV2Client;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.cache.ElbInventory;
import io.lambdaingress.operator.model.ChainModel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** Target groups: type, protocol, port and VPC are fixed at creation; the health check changes in place. */
class TargetGroupStepTest {

  /** The NLB's target group as ChainModel asks for it: type alb, TCP to the ALB listener, HTTP check through it. */
  private static final CreateTargetGroupRequest ALB_TARGETS = CreateTargetGroupRequest.builder().name("li-default-sample-12345678-atg")
      .targetType("alb").protocol("TCP").port(80).vpcId("vpc-1")
      .healthCheckProtocol("HTTP").healthCheckPath("/healthz").healthCheckPort("80").build();

  private static final TargetGroup AS_CREATED = TargetGroup.builder().targetGroupName("li-default-sample-12345678-atg")
      .targetType("alb").protocol("TCP").port(80).vpcId("vpc-1")
      .healthCheckProtocol("HTTP").healthCheckPath("/healthz").healthCheckPort("80").build();

  @Test
  void aGroupAsCreatedNeedsNothing() {
    assertThat(TargetGroupStep.immutableChange(ALB_TARGETS, AS_CREATED)).isNull();
    assertThat(TargetGroupStep.healthCheckChange(ALB_TARGETS, AS_CREATED)).isNull();
  }

  @Test
  void aNewAlbListenerPortReplacesTheGroupAndMovesItsHealthCheck() {
    var desired = ALB_TARGETS.toBuilder().port(8080).healthCheckPort("8080").build();
    assertThat(TargetGroupStep.immutableChange(desired, AS_CREATED)).isEqualTo("port 80 -> 8080");
    assertThat(TargetGroupStep.healthCheckChange(desired, AS_CREATED)).isEqualTo("port 80 -> 8080");
  }

  @Test
  void typeProtocolAndVpcAreFixedAtCreation() {
    assertThat(TargetGroupStep.immutableChange(ALB_TARGETS, AS_CREATED.toBuilder().targetType("instance").build()))
        .isEqualTo("target type instance -> alb");
    assertThat(TargetGroupStep.immutableChange(ALB_TARGETS, AS_CREATED.toBuilder().protocol("TLS").build()))
        .isEqualTo("protocol TLS -> TCP");
    assertThat(TargetGroupStep.immutableChange(ALB_TARGETS, AS_CREATED.toBuilder().vpcId("vpc-2").build()))
        .isEqualTo("VPC vpc-2 -> vpc-1");
  }

  @Test
  void theHealthCheckPathAndProtocolChangeInPlace() {
    var newPath = ALB_TARGETS.toBuilder().healthCheckPath("/ready").build();
    assertThat(TargetGroupStep.immutableChange(newPath, AS_CREATED)).isNull();
    assertThat(TargetGroupStep.healthCheckChange(newPath, AS_CREATED)).isEqualTo("path /healthz -> /ready");

    // Changed out of band to TCP (AWS's default for a TCP group): put back to HTTP, so checks reach the function.
    assertThat(TargetGroupStep.healthCheckChange(ALB_TARGETS, AS_CREATED.toBuilder().healthCheckProtocol("TCP").build()))
        .isEqualTo("protocol TCP -> HTTP");
    assertThat(TargetGroupStep.healthCheckChange(ALB_TARGETS, AS_CREATED.toBuilder().healthCheckPort("traffic-port").build()))
        .isEqualTo("port traffic-port -> 80");
  }

  @Test
  void aLambdaGroupHasNoProtocolPortOrVpcToCompare() {
    var lambdaTargets = CreateTargetGroupRequest.builder().name("li-default-sample-12345678-ltg").targetType("lambda").build();
    var observed = TargetGroup.builder().targetGroupName("li-default-sample-12345678-ltg").targetType("lambda")
        .healthCheckPath("/").healthCheckProtocol("HTTP").build();
    assertThat(TargetGroupStep.immutableChange(lambdaTargets, observed)).isNull();
    assertThat(TargetGroupStep.healthCheckChange(lambdaTargets, observed)).isNull();
    assertThat(TargetGroupStep.immutableChange(lambdaTargets, observed.toBuilder().targetType("ip").build()))
        .isEqualTo("target type ip -> lambda");
  }

  // --- deletion: the one place a target group is deleted, against a fake of the ELB adapter ---

  private static final Map<String, String> OURS = Map.of(ChainModel.TAG_CLUSTER, "c", ChainModel.TAG_NAMESPACE, "ns", ChainModel.TAG_NAME, "sample");
  private final List<String> log = new ArrayList<>();
  private final FakeElb elb = new FakeElb(log);

  private TargetGroupStep step() {
    Announcer announcer = (action, resource, why) -> log.add(action + " " + resource);
    return new TargetGroupStep(new ElbInventory(elb, Duration.ofSeconds(5), Clock.systemUTC()), Ownership.byTags(OURS, Set.of()), announcer);
  }

  @Test
  void aDeletionIsAnnouncedOnceAwsAcceptedIt() {
    elb.addTargetGroup("g", OURS);
    assertThat(step().deleteIfOurs("lambda target group g", "g", "object deleted")).isTrue();
    assertThat(log).containsExactly("DeleteTargetGroup g", "Deleted lambda target group g");
    assertThat(elb.has("g")).isFalse();
  }

  @Test
  void aGroupAwsStillHoldsIsNotAnnouncedAndTheCallerComesBack() {
    elb.addTargetGroup("g", OURS);
    elb.refuseDeletions(new AwsFailure(Reason.AwsError, "Target group is currently in use by a listener or a rule", "ResourceInUse", null));
    TargetGroupStep step = step();
    assertThat(step.deleteIfOurs("lambda target group g", "g", "object deleted")).as("still in use").isFalse();
    assertThat(step.deleteIfOurs("lambda target group g", "g", "object deleted")).as("still in use").isFalse();
    assertThat(log).as("no Deleted for a deletion AWS refused").containsExactly("DeleteTargetGroup g", "DeleteTargetGroup g");

    elb.refuseDeletions(null);
    assertThat(step.deleteIfOurs("lambda target group g", "g", "object deleted")).isTrue();
    assertThat(log).filteredOn(l -> l.startsWith("Deleted")).containsExactly("Deleted lambda target group g");
  }

  @Test
  void aGroupGoneMeanwhileIsDeletedWithoutAnEvent() {
    elb.addTargetGroup("g", OURS);
    elb.refuseDeletions(ElbV2Client.notFound("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/g/0123456789abcdef"));
    assertThat(step().deleteIfOurs("lambda target group g", "g", "object deleted")).isTrue();
    assertThat(log).containsExactly("DeleteTargetGroup g");
  }

  // --- creation: said once AWS accepted it ---

  @Test
  void aCreationAwsRefusesIsNotAnnouncedAndTheOneItAcceptsIsAnnouncedOnce() {
    var desired = CreateTargetGroupRequest.builder().name("g").targetType("lambda").build();
    elb.refuseCreations(new AwsFailure(Reason.AwsAccessDenied, "not authorized to perform: elasticloadbalancing:CreateTargetGroup",
        "AccessDenied", null));
    TargetGroupStep step = step();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> step.ensure("lambda target group", desired, Map.of(), arn -> { }))
        .isInstanceOf(AwsFailure.class);
    assertThat(log).as("no Created for a creation AWS refused").containsExactly("CreateTargetGroup g");

    elb.refuseCreations(null);
    step.ensure("lambda target group", desired, Map.of(), arn -> { });
    assertThat(log).containsExactly("CreateTargetGroup g", "CreateTargetGroup g", "Created lambda target group g");
  }

  @Test
  void aGroupWithoutAllOurOwnerTagsIsNeverTouched() {
    elb.addTargetGroup("g", Map.of(ChainModel.TAG_CLUSTER, "c", ChainModel.TAG_NAMESPACE, "ns", ChainModel.TAG_NAME, "other"));
    assertThat(step().deleteIfOurs("lambda target group g", "g", "object deleted")).isTrue();
    assertThat(log).isEmpty();
    assertThat(elb.has("g")).isTrue();
  }

  @Test
  void anyOtherRefusalGoesToTheCallerUnannounced() {
    elb.addTargetGroup("g", OURS);
    elb.refuseDeletions(new AwsFailure(Reason.AwsAccessDenied, "not authorized to perform: elasticloadbalancing:DeleteTargetGroup",
        "AccessDenied", null));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> step().deleteIfOurs("lambda target group g", "g", "object deleted"))
        .isInstanceOf(AwsFailure.class);
    assertThat(log).containsExactly("DeleteTargetGroup g");
  }
}
