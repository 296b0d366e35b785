package io.lambdaingress.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * The EKS Pod Identity Agent as a pod sees it, on loopback: {@code GET /v1/credentials} with the pod's
 * projected ServiceAccount token (audience {@code pods.eks.amazonaws.com}) as the Authorization header
 * (the SDK reads it from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), answered with JSON
 * AccessKeyId/SecretAccessKey/Token/AccountId/Expiration. Like the agent (which asks EKS Auth's
 * AssumeRoleForPodIdentity), it checks the token — here with the API server's TokenReview — and hands out
 * credentials of the role associated with that ServiceAccount, obtained from the world's STS (AssumeRole).
 * Anything else is refused with 401.
 */
public final class PodIdentityAgent implements AutoCloseable {

  public static final String AUDIENCE = "pods.eks.amazonaws.com";

  private final HttpServer server;
  private final KubernetesClient admin;
  private final String clusterName;
  private final Map<String, String> associations;
  private final AtomicInteger refused = new AtomicInteger();
  private final List<String> issuedAccessKeys = new CopyOnWriteArrayList<>();

  /**
   * @param associations ServiceAccount user name ({@code system:serviceaccount:ns:name}) to role ARN, as
   *     {@code aws eks create-pod-identity-association} records them
   */
  public PodIdentityAgent(KubernetesClient admin, String clusterName, Map<String, String> associations) throws IOException {
    this.admin = admin;
    this.clusterName = clusterName;
    this.associations = Map.copyOf(associations);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/credentials", this::handle);
    server.start();
  }

  /** What EKS puts in AWS_CONTAINER_CREDENTIALS_FULL_URI (there http://169.254.170.23/v1/credentials). */
  public URI credentialsUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/credentials");
  }

  /** The access key ids handed out so far. */
  public List<String> issuedAccessKeys() {
    return List.copyOf(issuedAccessKeys);
  }

  /** Requests refused (no token, a token the API server does not accept, or no association). */
  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String token = ex.getRequestHeaders().getFirst("Authorization");
      String serviceAccount = "GET".equals(ex.getRequestMethod()) && token != null
          ? WorkloadIdentityRun.authenticatedUser(admin, token, AUDIENCE) : null;
      String roleArn = serviceAccount == null ? null : associations.get(serviceAccount);
      if (roleArn == null) {
        refused.incrementAndGet();
        send(ex, 401, "{\"Message\":\"the token is not a pod identity token of an associated service account\"}");
        return;
      }
      // The agent's session name: eks-<cluster>-<pod>-<uuid>; there is no pod here, the ServiceAccount stands in.
      String session = ("eks-" + clusterName + "-" + serviceAccount.substring(serviceAccount.lastIndexOf(':') + 1)).replaceAll("[^\\w+=,.@-]", "-");
      AssumeRoleResponse assumed;
      try (StsClient sts = StsClient.create()) {
        assumed = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName(session.substring(0, Math.min(64, session.length()))));
      }
      issuedAccessKeys.add(assumed.credentials().accessKeyId());
      send(ex, 200, """
          {"AccessKeyId":"%s","SecretAccessKey":"%s","Token":"%s","AccountId":"%s","Expiration":"%s"}"""
          .formatted(assumed.credentials().accessKeyId(), assumed.credentials().secretAccessKey(), assumed.credentials().sessionToken(),
              roleArn.split(":")[4], assumed.credentials().expiration()));
    }
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
