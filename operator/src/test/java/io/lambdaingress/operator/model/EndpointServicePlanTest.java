package io.lambdaingress.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.api.EndpointServiceSpec;
import io.lambdaingress.operator.api.LambdaIngressSpec;
import io.lambdaingress.operator.api.NlbSpec;
import io.lambdaingress.operator.model.EndpointServicePlan.Request;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointServicePlanTest {

  private static LambdaIngressSpec spec(EndpointServiceSpec es) {
    LambdaIngressSpec spec = new LambdaIngressSpec();
    spec.setNlb(new NlbSpec());
    spec.getNlb().setEndpointService(es);
    return spec;
  }

  private static EndpointServicePlan plan(List<String> principals, List<String> acceptFrom) {
    EndpointServiceSpec es = new EndpointServiceSpec();
    es.setAllowedPrincipals(principals);
    es.setAcceptConnectionsFrom(acceptFrom);
    return EndpointServicePlan.of(spec(es)).orElseThrow();
  }

  @Test
  void noEndpointServiceWhenTheSpecHasNone() {
    assertThat(EndpointServicePlan.of(spec(null))).isEmpty();
  }

  @Test
  void acceptanceIsRequiredUnlessTurnedOff() {
    assertThat(plan(null, null).acceptanceRequired()).isTrue();
    EndpointServiceSpec off = new EndpointServiceSpec();
    off.setAcceptanceRequired(false);
    assertThat(EndpointServicePlan.of(spec(off)).orElseThrow().acceptanceRequired()).isFalse();
  }

  @Test
  void onlyPendingRequestsFromListedAccountsAreAccepted() {
    EndpointServicePlan plan = plan(List.of("arn:aws:iam::111122223333:root"), List.of("111122223333"));
    List<Request> requests = List.of(new Request("vpce-1", "111122223333", "pendingAcceptance"),
        new Request("vpce-2", "444455556666", "pendingAcceptance"), new Request("vpce-3", "111122223333", "rejected"),
        new Request("vpce-4", "111122223333", "available"));

    assertThat(plan.toAccept(requests)).extracting(Request::endpointId).containsExactly("vpce-1");
    assertThat(plan.leftPending(requests)).extracting(Request::endpointId).containsExactly("vpce-2");
    assertThat(EndpointServicePlan.toRejectBeforeDeletion(requests)).extracting(Request::endpointId)
        .containsExactly("vpce-1", "vpce-2", "vpce-4");
  }

  @Test
  void principalsBecomeExactlyTheSpecs() {
    EndpointServicePlan plan = plan(List.of("arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/x"), null);
    Set<String> observed = Set.of("arn:aws:iam::111122223333:root", "arn:aws:iam::999999999999:root");

    assertThat(plan.principalsToAdd(observed)).containsExactly("arn:aws:iam::444455556666:role/x");
    assertThat(plan.principalsToRemove(observed)).containsExactly("arn:aws:iam::999999999999:root");
  }
}
