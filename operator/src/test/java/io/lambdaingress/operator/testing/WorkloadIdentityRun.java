package io.lambdaingress.operator.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The operator jar run the way a pod with an AWS workload identity (IRSA or EKS Pod Identity) runs it: a
 * ServiceAccount of its own in a fresh namespace, an IAM role for it in the world's IAM (with the operator's
 * policy, docs/iam-policy.json), and NO static credentials within its reach: none of the world's AWS_* keys,
 * no JVM options that could carry aws.* system properties, empty config and credentials files, instance
 * metadata off. Its AWS calls go through a recording {@link AwsFaultProxy} in front of the world's
 * AWS_ENDPOINT_URL, so a test sees which credentials signed each one.
 */
public final class WorkloadIdentityRun implements AutoCloseable {

  public static final String SERVICE_ACCOUNT = "lambda-ingress-operator";
  /** What amazon-eks-pod-identity-webhook asks for its projected tokens (86400 s, minus 10%, rounded as it does). */
  private static final long WEBHOOK_TOKEN_SECONDS = 79200;
  private static final Pattern IDENTITY = Pattern.compile("AWS identity \\{account=([^,}]+), arn=([^,}]+), credentials=([^,}]+)}");

  /** The start-up line of the operator: who it is in AWS and the SDK's name for where the credentials came from. */
  public record Identity(String account, String arn, String credentialsProvider) {}

  private final LocalWorld world;
  private final KubernetesClient admin;
  private final String namespace;
  private final String clusterName;
  private final Path dir;
  private final AwsFaultProxy proxy;

  private WorkloadIdentityRun(LocalWorld world, KubernetesClient admin, String namespace, Path dir, AwsFaultProxy proxy) {
    this.world = world;
    this.admin = admin;
    this.namespace = namespace;
    this.clusterName = LocalWorld.uniqueName("wi");
    this.dir = dir;
    this.proxy = proxy;
  }

  /** A namespace with the operator's ServiceAccount in it, the CRDs, and the recording proxy. */
  public static WorkloadIdentityRun prepare(LocalWorld world, String prefix) throws IOException {
    KubernetesClient admin = world.adminClient();
    OperatorHarness.installCrds(admin);
    String ns = LocalWorld.uniqueName(prefix);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    admin.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(SERVICE_ACCOUNT)
        .endMetadata().build()).create();
    Path dir = LocalWorld.repoRoot().resolve("operator/target/workload-identity/" + ns);
    Files.createDirectories(dir);
    return new WorkloadIdentityRun(world, admin, ns, dir, new AwsFaultProxy(world.awsEndpoint()).recordRequests());
  }

  public KubernetesClient admin() {
    return admin;
  }

  public String namespace() {
    return namespace;
  }

  public String clusterName() {
    return clusterName;
  }

  public AwsFaultProxy proxy() {
    return proxy;
  }

  /** The user name the API server gives the ServiceAccount: the {@code sub} of its tokens. */
  public String serviceAccountUser() {
    return "system:serviceaccount:" + namespace + ":" + SERVICE_ACCOUNT;
  }

  /** The world's static access key id: the one the operator must never use here. */
  public String staticAccessKeyId() {
    return world.environment().get("AWS_ACCESS_KEY_ID");
  }

  /** An IAM role trusting {@code trustPolicy}, with the operator's policy inline; returns its ARN. */
  public String createOperatorRole(String roleName, String trustPolicy) throws IOException {
    String policy = Files.readString(LocalWorld.repoRoot().resolve("docs/iam-policy.json"));
    try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).build()) {
      String arn = iam.createRole(r -> r.roleName(roleName).assumeRolePolicyDocument(trustPolicy)).role().arn();
      iam.putRolePolicy(r -> r.roleName(roleName).policyName("LambdaIngressOperator").policyDocument(policy));
      return arn;
    }
  }

  /**
   * A token of the ServiceAccount for {@code audience} from the API server's TokenRequest API (what the
   * kubelet projects into the pod), written to a file of its own; returns the file.
   */
  public Path writeToken(String audience, String fileName) throws IOException {
    String token = admin.serviceAccounts().inNamespace(namespace).withName(SERVICE_ACCOUNT)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences(audience).withExpirationSeconds(WEBHOOK_TOKEN_SECONDS)
            .endSpec().build())
        .getStatus().getToken();
    return writeFile(fileName, token);
  }

  public Path writeFile(String fileName, String content) throws IOException {
    return Files.writeString(dir.resolve(fileName), content);
  }

  /** The user the API server authenticates {@code token} as for {@code audience} (as AWS checks sub and aud); null if none. */
  public static String authenticatedUser(KubernetesClient admin, String token, String audience) {
    TokenReview review = admin.authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
        .withToken(token).withAudiences(audience).endSpec().build());
    return Boolean.TRUE.equals(review.getStatus().getAuthenticated()) ? review.getStatus().getUser().getUsername() : null;
  }

  /** Starts the jar with the world's Kubernetes and region, {@code credentialEnv}, and no other AWS credentials. */
  public OperatorProcess start(Map<String, String> credentialEnv) throws IOException {
    Path emptyConfig = writeFile("aws-config", "");
    Path emptyCredentials = writeFile("aws-credentials", "");
    return OperatorProcess.start(world, clusterName, namespace, 10, env -> {
      env.keySet().removeIf(k -> k.startsWith("AWS_") && !k.equals("AWS_REGION") && !k.equals("AWS_DEFAULT_REGION"));
      env.remove("JAVA_TOOL_OPTIONS");
      env.remove("JDK_JAVA_OPTIONS");
      env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
      env.put("AWS_CONFIG_FILE", emptyConfig.toString());
      env.put("AWS_SHARED_CREDENTIALS_FILE", emptyCredentials.toString());
      env.put("AWS_EC2_METADATA_DISABLED", "true"); // were the chain to fall through, nothing leaves loopback
      env.putAll(credentialEnv);
    });
  }

  /** The operator's start-up identity line, parsed. */
  public static Identity awaitIdentity(OperatorProcess operator) throws InterruptedException {
    Matcher m = IDENTITY.matcher(operator.awaitLine(IDENTITY, 90));
    if (!m.find()) {
      throw new AssertionError("unreachable: the line matched " + IDENTITY);
    }
    return new Identity(m.group(1), m.group(2), m.group(3));
  }

  /**
   * The operator's start-up failure line about its AWS credentials: one ERROR line, no stack trace after it,
   * and the process still running.
   */
  public static String awaitCredentialsFailureLine(OperatorProcess operator) throws InterruptedException {
    String line = operator.awaitLine(Pattern.compile("ERROR .*AWS credentials from"), 90);
    Thread.sleep(500); // a stack trace would follow the line at once
    List<String> traces = operator.output().stream().filter(l -> l.startsWith("\tat ") || l.contains("Exception in thread")).toList();
    if (!traces.isEmpty() || !operator.alive()) {
      throw new AssertionError("expected one line and a running operator, got " + (operator.alive() ? "" : "a dead process and ")
          + "this output:\n" + String.join("\n", operator.output()));
    }
    return line;
  }

  /**
   * The article's stack for this run (its prerequisites created in the world's AWS with the test's own keys),
   * with its own name and static IP: made before the operator starts, so the two overlap.
   */
  public String articleStack(String name, String staticIp) {
    return ArticlePrerequisites.create(world.awsRegion()).articleStack(namespace, name).replace("10.20.0.10", staticIp);
  }

  /** Applies a LambdaIngress and waits until it is Ready at its generation. */
  public GenericKubernetesResource applyAndAwaitReady(String yaml) {
    GenericKubernetesResource applied = admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(namespace)
        .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
    return admin.genericKubernetesResources(OperatorHarness.LAMBDA_INGRESSES).inNamespace(namespace).withName(applied.getMetadata().getName())
        .waitUntilCondition(r -> r != null && "True".equals(OperatorHarness.readyCondition(r).get("status"))
            && OperatorHarness.readyCondition(r).get("observedGeneration") instanceof Number g
            && g.longValue() == r.getMetadata().getGeneration(), 90, TimeUnit.SECONDS);
  }

  /** The requests the operator signed, and with which key ids. */
  public List<AwsFaultProxy.SeenRequest> signedRequests() {
    return proxy.seen().stream().filter(r -> r.accessKeyId() != null).toList();
  }

  @Override
  public void close() {
    proxy.close();
    admin.close();
  }

  /** Reads a file a test wrote (a token). */
  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
