package io.lambdaingress.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real local world an integration test runs against: a kube-apiserver (+ etcd) and a moto_server,
 * both on loopback, as described by the {@code env.sh} that {@code dev/local-env.sh up} writes.
 *
 * <p>Tests get it from {@link LocalWorldExtension}; they never start servers themselves.
 */
public final class LocalWorld {

  private static final Pattern EXPORT = Pattern.compile("^export ([A-Z_]+)=\"(.*)\"$");

  private final Path dir;
  private final Map<String, String> env;
  // A view of this world whose AWS calls are signed with a key of its own (asCaller), or false: the world's key.
  private final boolean ownCaller;

  private LocalWorld(Path dir, Map<String, String> env) {
    this(dir, env, false);
  }

  private LocalWorld(Path dir, Map<String, String> env, boolean ownCaller) {
    this.dir = dir;
    this.env = Map.copyOf(env);
    this.ownCaller = ownCaller;
  }

  /**
   * This world seen by a caller of its own: AWS calls made through {@link #aws} and by an {@link OperatorHarness}
   * started on it are signed with {@code accessKeyId} (moto keeps one account for any key), and
   * {@link #setAwsRules} sets the rules layer's knobs for that key only. A test class that changes knobs runs
   * so beside the others instead of alone.
   */
  public LocalWorld asCaller(String accessKeyId) {
    Map<String, String> own = new LinkedHashMap<>(env);
    own.put("AWS_ACCESS_KEY_ID", accessKeyId);
    return new LocalWorld(dir, own, true);
  }

  /** The credentials of {@link #asCaller}, or null for the world itself (the JVM's default chain). */
  public software.amazon.awssdk.auth.credentials.AwsCredentialsProvider ownCallerCredentials() {
    return ownCaller ? credentials() : null;
  }

  private software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials() {
    return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")));
  }

  /** The rules layer's control address; for a caller of its own, scoped to its key. */
  private URI rulesControl() {
    return awsEndpoint().resolve(ownCaller ? "/_rules?accessKey=" + env.get("AWS_ACCESS_KEY_ID") : "/_rules");
  }

  /** The developer's running world ({@code dev/local-env.sh up}), with the AWS SDK pointed at it: for benchmarks. */
  public static LocalWorld running() {
    String configured = System.getenv("LOCAL_ENV_DIR");
    LocalWorld world = fromEnvFile(configured != null ? Path.of(configured) : repoRoot().resolve("target/local-env"));
    world.exportAwsSettingsToSystemProperties();
    return world;
  }

  /** Reads {@code dir/env.sh}, the file {@code dev/local-env.sh up} writes. */
  static LocalWorld fromEnvFile(Path dir) {
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(dir.resolve("env.sh"))) {
        Matcher m = EXPORT.matcher(line.trim());
        if (m.matches()) {
          env.put(m.group(1), m.group(2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("env.sh"), e);
    }
    for (String required :
        new String[] {"KUBECONFIG", "AWS_ENDPOINT_URL", "MOTO_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
      if (!env.containsKey(required)) {
        throw new IllegalStateException(dir.resolve("env.sh") + " does not export " + required);
      }
    }
    return new LocalWorld(dir, env);
  }

  /** The variables a process needs to talk to this world (for operator processes started by tests). */
  public Map<String, String> environment() {
    return env;
  }

  public Path directory() {
    return dir;
  }

  public Path kubeconfig() {
    return Path.of(env.get("KUBECONFIG"));
  }

  public URI awsEndpoint() {
    return URI.create(env.get("AWS_ENDPOINT_URL"));
  }

  /**
   * moto alone, sharing the state of {@link #awsEndpoint()} (which is moto behind the AWS rules layer,
   * dev/aws-rules): only for tests that show what moto by itself would accept.
   */
  public URI motoEndpoint() {
    return URI.create(env.get("MOTO_ENDPOINT_URL"));
  }

  /** What the AWS rules layer says of itself at {@code /_rules}: its rules and its knobs' current values. */
  public com.fasterxml.jackson.databind.JsonNode awsRules() {
    try {
      var response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(rulesControl()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The rules layer's count and server seconds per kind of AWS call since the world started, as a table, most
   * seconds first: where the suite's AWS time went.
   */
  public String awsCallStats() {
    try {
      var response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(awsEndpoint().resolve("/_rules/stats")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      StringBuilder table = new StringBuilder(String.format("%10s %8s  %s%n", "seconds", "calls", "call"));
      for (var row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())) {
        table.append(String.format("%10.1f %8d  %s%n", row.get("seconds").asDouble(), row.get("count").asLong(), row.get("call").asText()));
      }
      return table.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The current values of these knobs: what a test that changes them sets back. */
  public Map<String, Number> awsRuleKnobs(java.util.Collection<String> names) {
    var knobs = awsRules().get("knobs");
    Map<String, Number> values = new LinkedHashMap<>();
    names.forEach(n -> values.put(n, knobs.get(n).asDouble()));
    return values;
  }

  /**
   * Sets knobs of the AWS rules layer (e.g. consistencySeconds) for every client of this world, or for this
   * caller's key only ({@link #asCaller}).
   */
  public void setAwsRules(Map<String, Number> knobs) {
    StringBuilder json = new StringBuilder("{");
    knobs.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    json.append('}');
    try {
      var response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(rulesControl())
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json.toString())).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the AWS rules layer refused " + json + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String awsRegion() {
    return env.get("AWS_REGION");
  }

  /**
   * An AWS SDK client builder pointed at this world explicitly (endpoint, region, the world's keys), for a test
   * whose world is not the one the JVM's AWS settings name: the node's ({@link LocalNodeExtension}), which
   * runs beside the classes that use those settings; or whose calls are signed with a key of their own
   * ({@link #asCaller}).
   */
  public <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B aws(B builder) {
    return builder.endpointOverride(awsEndpoint()).region(software.amazon.awssdk.regions.Region.of(awsRegion()))
        .credentialsProvider(credentials());
  }

  /** An admin client (client certificate in group system:masters). The caller closes it. */
  public KubernetesClient adminClient() {
    return new KubernetesClientBuilder().withConfig(kubeConfig()).build();
  }

  /** The admin kubeconfig as a fabric8 Config, to derive other identities from (tokens, impersonation). */
  public Config kubeConfig() {
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig()), kubeconfig().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Points the AWS SDK's default chains (region, credentials, endpoint) at moto through the SDK's own
   * standard system properties — the JVM twins of AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
   * and AWS_ENDPOINT_URL — so code under test builds its clients exactly as in production.
   */
  void exportAwsSettingsToSystemProperties() {
    System.setProperty("aws.region", awsRegion());
    System.setProperty("aws.accessKeyId", env.get("AWS_ACCESS_KEY_ID"));
    System.setProperty("aws.secretAccessKey", env.get("AWS_SECRET_ACCESS_KEY"));
    System.setProperty("aws.endpointUrl", env.get("AWS_ENDPOINT_URL"));
  }

  /** The repository's root: the first directory above the working directory that holds dev/local-env.sh. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("dev/local-env.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (dev/local-env.sh) above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** A name no other test (or earlier run against the same long-lived world) uses: {@code prefix-xxxxxxxx}. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
