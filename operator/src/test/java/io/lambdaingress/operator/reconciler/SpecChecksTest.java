package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Reason;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecChecksTest {

  /** With nothing cached, our message lists every subnet of the spec; AWS's quotes the one that is missing. */
  @Test
  void theFieldNamedIsTheOneOfTheIdAwsSaysIsMissing() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("subnet-a", "spec.nlb.subnetMappings[0].subnetId");
    fields.put("subnet-b", "spec.nlb.subnetMappings[1].subnetId");
    fields.put("subnet-dead", "spec.alb.subnets[1]");
    AwsFailure f = new AwsFailure(Reason.DependencyNotFound,
        "subnets [subnet-a, subnet-b, subnet-dead]: InvalidSubnetID.NotFound: The subnet ID 'subnet-dead' does not exist");

    assertThat(SpecChecks.withField(f, fields).getMessage()).startsWith("spec.alb.subnets[1]: subnets [");
  }

  @Test
  void withoutAQuotedIdTheFirstIdInTheMessageNamesTheField() {
    AwsFailure f = new AwsFailure(Reason.DependencyNotFound, "subnets [subnet-b]: InvalidSubnetID.NotFound");

    assertThat(SpecChecks.withField(f, Map.of("subnet-a", "spec.x", "subnet-b", "spec.y")).getMessage()).startsWith("spec.y: ");
  }
}
