package io.lambdaingress.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaingress.operator.testing.AwsFaultProxy;
import io.lambdaingress.operator.testing.AwsFaultProxy.SeenRequest;
import io.lambdaingress.operator.testing.AwsInventory;
import io.lambdaingress.operator.testing.LocalWorld;
import io.lambdaingress.operator.testing.OperatorProcess;
import io.lambdaingress.operator.testing.WithLocalWorld;
import io.lambdaingress.operator.testing.WorkloadIdentityRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;

/**
 * IRSA end to end, as the chart's {@code serviceAccount.roleArn} sets it up on EKS: the ServiceAccount's
 * token for audience {@code sts.amazonaws.com} from the API server's TokenRequest API (what the kubelet
 * projects), and exactly the environment amazon-eks-pod-identity-webhook injects for the
 * {@code eks.amazonaws.com/role-arn} annotation (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE; no session name,
 * so the SDK picks one). The operator jar gets no static credentials, and must converge the article's stack
 * with what AssumeRoleWithWebIdentity answered.
 */
@WithLocalWorld
class IrsaIT {

  private static final String AUDIENCE = "sts.amazonaws.com";
  private static final Pattern ACCESS_KEY = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");

  @Test
  void convergesTheArticleStackWithWebIdentityCredentialsOnly(LocalWorld world) throws Exception {
    try (WorkloadIdentityRun run = WorkloadIdentityRun.prepare(world, "irsa")) {
      Path tokenFile = run.writeToken(AUDIENCE, "token");
      String token = WorkloadIdentityRun.read(tokenFile);
      String roleName = LocalWorld.uniqueName("irsa-operator");
      String roleArn = run.createOperatorRole(roleName, trustPolicy(run, token));
      String stack = run.articleStack("irsa", "10.20.0.241");

      try (OperatorProcess operator = run.start(Map.of("AWS_ROLE_ARN", roleArn, "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString()))) {
        WorkloadIdentityRun.Identity identity = WorkloadIdentityRun.awaitIdentity(operator);
        assertThat(identity.arn()).as("the operator's start-up identity line")
            .matches("arn:aws:sts::" + roleArn.split(":")[4] + ":assumed-role/" + roleName + "/aws-sdk-java-\\d+");
        assertThat(identity.credentialsProvider()).contains("WEB_ID");

        run.applyAndAwaitReady(stack);
        assertThat(AwsInventory.ownedBy(run.clusterName(), run.namespace(), "irsa")).as("the chain, owned by the object").hasSize(5);
        assertThat(operator.alive()).isTrue();
      }

      // The SDK sent the ServiceAccount's token unsigned to STS for our role: a token AWS would accept
      // (the API server vouches for its issuer signature, aud and sub, which the role's trust policy names).
      List<SeenRequest> assumes = run.proxy().seen().stream()
          .filter(r -> "AssumeRoleWithWebIdentity".equals(r.form().get("Action"))).toList();
      // One call: all the operator's clients share one credentials provider, so one cache.
      assertThat(assumes).as("AssumeRoleWithWebIdentity calls").hasSize(1).allSatisfy(r -> {
        assertThat(r.accessKeyId()).as("unsigned").isNull();
        assertThat(r.form()).containsEntry("RoleArn", roleArn).containsEntry("WebIdentityToken", token);
      });
      assertThat(WorkloadIdentityRun.authenticatedUser(run.admin(), token, AUDIENCE)).isEqualTo(run.serviceAccountUser());

      // Every other call was signed with a key STS handed out there; never with the world's static key.
      List<String> issued = assumes.stream().map(r -> accessKeyIn(r.response())).toList();
      assertThat(run.signedRequests()).as("signed AWS requests").hasSizeGreaterThan(10)
          .allSatisfy(r -> assertThat(r.accessKeyId()).isIn(issued).isNotEqualTo(run.staticAccessKeyId()));
    }
  }

  @Test
  void aRoleThatDoesNotTrustTheTokenIsOneErrorLineNamingTheFix(LocalWorld world) throws Exception {
    try (WorkloadIdentityRun run = WorkloadIdentityRun.prepare(world, "irsa-denied")) {
      Path tokenFile = run.writeToken(AUDIENCE, "token");
      // What STS answers when the trust policy does not name this OIDC provider, sub or aud (moto trusts anyone).
      run.proxy().inject("AssumeRoleWithWebIdentity", new AwsFaultProxy.Fault(403, "AccessDenied",
          "Not authorized to perform sts:AssumeRoleWithWebIdentity"), Integer.MAX_VALUE);
      try (OperatorProcess operator = run.start(Map.of("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/untrusting",
          "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString()))) {
        String line = WorkloadIdentityRun.awaitCredentialsFailureLine(operator);
        assertThat(line).contains("AWS credentials from IRSA", "Not authorized to perform sts:AssumeRoleWithWebIdentity",
            "fix: the role's trust policy", "docs/install.md step 3a");
      }
    }
  }

  /**
   * The trust policy of docs/install.md step 3a for this cluster's issuer (the token's {@code iss}), with its
   * OIDC provider registered in IAM as eksctl does. moto evaluates neither; they document what AWS checks.
   */
  private static String trustPolicy(WorkloadIdentityRun run, String token) {
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    Matcher iss = Pattern.compile("\"iss\":\"https://([^\"]+)\"").matcher(payload);
    assertThat(iss.find()).as("issuer in " + payload).isTrue();
    String issuer = iss.group(1);
    try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).build()) {
      iam.createOpenIDConnectProvider(r -> r.url("https://" + issuer).clientIDList(AUDIENCE).thumbprintList("0".repeat(40)));
    } catch (EntityAlreadyExistsException e) {
      // registered by an earlier run against the same world
    }
    return """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/%1$s"},
          "Action":"sts:AssumeRoleWithWebIdentity",
          "Condition":{"StringEquals":{"%1$s:sub":"%2$s","%1$s:aud":"%3$s"}}}]}"""
        .formatted(issuer, run.serviceAccountUser(), AUDIENCE);
  }

  private static String accessKeyIn(String stsResponse) {
    Matcher m = ACCESS_KEY.matcher(stsResponse);
    assertThat(m.find()).as("AccessKeyId in " + stsResponse).isTrue();
    return m.group(1);
  }
}
