package io.lambdaingress.operator.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaingress.operator.aws.AwsFailure;
import io.lambdaingress.operator.aws.Ec2EndpointServiceClient.EndpointService;
import io.lambdaingress.operator.aws.Reason;
import io.lambdaingress.operator.model.ChainModel;
import io.lambdaingress.operator.model.EndpointServicePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The endpoint service, against a fake of EC2's endpoint services: found by owner tags, each write said once AWS accepted it. */
class EndpointServiceStepTest {

  private static final Map<String, String> OURS = Map.of(ChainModel.TAG_CLUSTER, "c", ChainModel.TAG_NAMESPACE, "ns", ChainModel.TAG_NAME, "sample");
  private static final String NLB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/1";
  private static final EndpointServicePlan PLAN = new EndpointServicePlan(true, Set.of("arn:aws:iam::111122223333:root"),
      Set.of("111122223333"), null);

  private final List<String> log = new ArrayList<>();
  private final FakeEndpointServices ec2 = new FakeEndpointServices(log);
  private final EndpointServiceStep step = new EndpointServiceStep(ec2, Ownership.byTags(OURS, Set.of()),
      (action, resource, why) -> log.add(action + " " + resource));

  @Test
  void onlyServicesWithAllOurOwnerTagsAreOursAndThoseBeingDeletedAreNotLive() {
    EndpointService ours = ec2.add("Available", NLB, OURS);
    EndpointService deleting = ec2.add("Deleting", NLB, OURS);
    ec2.add("Available", NLB, Map.of(ChainModel.TAG_CLUSTER, "c", ChainModel.TAG_NAMESPACE, "ns", ChainModel.TAG_NAME, "other"));
    assertThat(step.owned()).containsExactly(ours, deleting);
    assertThat(step.live()).containsExactly(ours);
  }

  @Test
  void aCreationIsSaidOnceAwsAcceptedItAndARefusedOneIsNot() {
    ec2.refuseWrites(new AwsFailure(Reason.AwsAccessDenied, "not authorized to perform: ec2:CreateVpcEndpointServiceConfiguration",
        "UnauthorizedOperation", null));
    assertThatThrownBy(() -> step.create(NLB, PLAN, OURS, "endpoint service for NLB nlb", "missing")).isInstanceOf(AwsFailure.class);
    assertThat(log).containsExactly("CreateVpcEndpointServiceConfiguration " + NLB);

    ec2.refuseWrites(null);
    EndpointService created = step.create(NLB, PLAN, OURS, "endpoint service for NLB nlb", "missing");
    assertThat(step.owned()).containsExactly(created);
    assertThat(log).endsWith("CreateVpcEndpointServiceConfiguration " + NLB, "Created endpoint service for NLB nlb");
  }

  @Test
  void anotherNlbIsSwappedInPlaceAndThePrincipalsMadeThePlans() {
    String old = NLB.replace("/1", "/0");
    EndpointService s = ec2.add("Available", old, OURS);
    EndpointService now = step.converge(s, PLAN, NLB, OURS);
    assertThat(now.nlbArns()).containsExactly(NLB);
    step.ensurePrincipals(s.serviceId(), PLAN);
    step.ensurePrincipals(s.serviceId(), PLAN);
    assertThat(log).containsExactly("ModifyVpcEndpointServiceConfiguration " + s.serviceId() + " +" + NLB + " -" + old,
        "Updated endpoint service " + s.serviceId(),
        "ModifyVpcEndpointServicePermissions " + s.serviceId() + " +[arn:aws:iam::111122223333:root] -[]",
        "Updated endpoint service " + s.serviceId());
  }

  @Test
  void aDeletionRejectsTheActiveConnectionsFirstAndIsSaidOnceAccepted() {
    EndpointService s = ec2.add("Available", NLB, OURS);
    ec2.connect(s.serviceId(), "vpce-1", "111122223333", EndpointServicePlan.AVAILABLE);
    ec2.connect(s.serviceId(), "vpce-2", "444455556666", "rejected");
    assertThat(step.deleteAll("object deleted")).as("listed while AWS deletes it").isEqualTo(s.serviceId());
    assertThat(log).containsExactly("RejectVpcEndpointConnections " + s.serviceId() + " [vpce-1]",
        "Rejected endpoint connection vpce-1 from account 111122223333",
        "DeleteVpcEndpointServiceConfigurations " + s.serviceId(), "Deleted endpoint service " + s.serviceId());

    log.clear();
    assertThat(step.deleteAll("object deleted")).as("a service being deleted is not deleted again").isEqualTo(s.serviceId());
    assertThat(log).isEmpty();
  }

  @Test
  void aDeletionAwsRefusesIsNotSaid() {
    EndpointService s = ec2.add("Available", NLB, OURS);
    ec2.refuseWrites(new AwsFailure(Reason.AwsError, "deleting endpoint service: ExistingVpcEndpointConnections", "ExistingVpcEndpointConnections", null));
    assertThatThrownBy(() -> step.delete(s, "object deleted")).isInstanceOf(AwsFailure.class);
    assertThat(log).containsExactly("DeleteVpcEndpointServiceConfigurations " + s.serviceId());
  }

  @Test
  void theUsersOfAnNlbAreNamedWhoeverOwnsThem() {
    EndpointService theirs = ec2.add("Available", NLB, Map.of("team", "payments"));
    ec2.add("Available", NLB.replace("/1", "/2"), OURS);
    assertThat(EndpointServiceStep.usersOf(ec2, NLB)).containsExactly(theirs.serviceId());
  }
}
