package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.PodIdentityAgent;
import io.lambdaingress.operator.testing.WithLocalWorld;
import io.lambdaingress.operator.testing.WorkloadIdentityRun;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EKS Pod Identity end to end: the environment EKS injects for a ServiceAccount with a pod identity
 * association (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, the file holding
 * the ServiceAccount's token for audience {@code pods.eks.amazonaws.com}), and a {@link PodIdentityAgent} on
 * loopback handing out credentials of the associated role from STS. The operator jar gets no static
 * credentials, and must converge the article's stack with the agent's credentials.
 */
@WithLocalWorld
class PodIdentityIT {

  private static final String TRUST = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},
        "Action":["sts:AssumeRole","sts:TagSession"]}]}""";

  @Test
  void convergesTheArticleStackWithCredentialsFromThePodIdentityAgentOnly(LocalWorld world) throws Exception {
    try (WorkloadIdentityRun run = WorkloadIdentityRun.prepare(world, "podid")) {
      String roleName = LocalWorld.uniqueName("podid-operator");
      String roleArn = run.createOperatorRole(roleName, TRUST);
      Path tokenFile = run.writeToken(PodIdentityAgent.AUDIENCE, "eks-pod-identity-token");
      String stack = run.articleStack("podid", "10.20.0.242");
      try (PodIdentityAgent agent = new PodIdentityAgent(run.admin(), run.clusterName(), Map.of(run.serviceAccountUser(), roleArn))) {
        // The agent refuses anything but the pod's own token: none, a wrong one, and the right ServiceAccount's
        // token for another audience (IRSA's).
        String irsaToken = WorkloadIdentityRun.read(run.writeToken("sts.amazonaws.com", "irsa-token"));
        for (String wrong : new String[] {null, "not-a-token", irsaToken}) {
          assertThat(get(agent, wrong)).as("agent's answer to Authorization: " + wrong).isEqualTo(401);
        }
        int refusedBefore = agent.refused();

        try (OperatorProcess operator = run.start(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.credentialsUri().toString(),
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString()))) {
          WorkloadIdentityRun.Identity identity = WorkloadIdentityRun.awaitIdentity(operator);
          assertThat(identity.arn()).as("the operator's start-up identity line")
              .isEqualTo("arn:aws:sts::" + roleArn.split(":")[4] + ":assumed-role/" + roleName + "/eks-" + run.clusterName()
                  + "-" + WorkloadIdentityRun.SERVICE_ACCOUNT);
          assertThat(identity.credentialsProvider()).isEqualTo("CREDENTIALS_HTTP");

          run.applyAndAwaitReady(stack);
          assertThat(AwsInventory.ownedBy(run.clusterName(), run.namespace(), "podid")).as("the chain, owned by the object").hasSize(5);
          assertThat(operator.alive()).isTrue();
        }

        // The operator sent the token file's content every time, and signed every AWS call with what the
        // agent handed out; never with the world's static key.
        assertThat(agent.refused()).as("operator requests the agent refused").isEqualTo(refusedBefore);
        assertThat(agent.issuedAccessKeys()).as("one agent call: the operator's clients share one credentials cache").hasSize(1);
        assertThat(run.signedRequests()).as("signed AWS requests").hasSizeGreaterThan(10)
            .allSatisfy(r -> assertThat(r.accessKeyId()).isIn(agent.issuedAccessKeys()).isNotEqualTo(run.staticAccessKeyId()));
      }
    }
  }

  @Test
  void aTokenTheAgentRefusesIsOneErrorLineNamingTheFix(LocalWorld world) throws Exception {
    try (WorkloadIdentityRun run = WorkloadIdentityRun.prepare(world, "podid-refused");
        // No association for this ServiceAccount: the agent refuses its (valid) token, as EKS Auth would.
        PodIdentityAgent agent = new PodIdentityAgent(run.admin(), run.clusterName(), Map.of())) {
      Path tokenFile = run.writeToken(PodIdentityAgent.AUDIENCE, "eks-pod-identity-token");
      try (OperatorProcess operator = run.start(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.credentialsUri().toString(),
          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString()))) {
        String line = WorkloadIdentityRun.awaitCredentialsFailureLine(operator);
        assertThat(line).contains("AWS credentials from EKS Pod Identity", "fix: check the pod identity association",
            "docs/install.md step 3b");
      }
      assertThat(agent.refused()).isPositive();
      assertThat(agent.issuedAccessKeys()).isEmpty();
    }
  }

  private static int get(PodIdentityAgent agent, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(agent.credentialsUri()).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
