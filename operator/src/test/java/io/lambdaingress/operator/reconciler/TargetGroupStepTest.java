package io.lambdaingress.operator.reconciler;

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
}
