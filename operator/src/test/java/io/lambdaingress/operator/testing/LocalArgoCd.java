package io.lambdaingress.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo CD (application controller, repo server, in-memory Redis) added to a running local world by
 * {@code dev/local-env.sh argocd} (dev/argocd.sh), with Argo CD's own knobs given as environment; stopped by
 * {@link #close} ({@code argocd-down}). The binary is built on first use like kube-apiserver: a missing Go
 * toolchain or a failed build fails the test, never skips it.
 */
public final class LocalArgoCd implements AutoCloseable {

  // The first build of Argo CD takes minutes on 2 cores; CI builds it before the tests.
  private static final long START_TIMEOUT_MINUTES = 40;
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);

  private final LocalWorld world;
  private final URI metrics;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalArgoCd(LocalWorld world, URI metrics) {
    this.world = world;
    this.metrics = metrics;
  }

  /** (Re)starts Argo CD in the world with these ARGOCD_* knobs (dev/argocd.sh lists them). */
  public static LocalArgoCd start(LocalWorld world, Map<String, String> knobs) {
    int rc = LocalEnvScript.run(world.directory(), START_TIMEOUT_MINUTES, knobs, "argocd");
    if (rc != 0) {
      throw new IllegalStateException("dev/local-env.sh argocd failed (exit " + rc + "); its logs are in " + world.directory().resolve("logs"));
    }
    String url = LocalWorld.fromEnvFile(world.directory()).environment().get("ARGOCD_CONTROLLER_METRICS_URL");
    if (url == null) {
      throw new IllegalStateException("dev/local-env.sh argocd wrote no ARGOCD_CONTROLLER_METRICS_URL into " + world.directory().resolve("env.sh"));
    }
    return new LocalArgoCd(world, URI.create(url));
  }

  /**
   * The sum of a metric of the application controller over the samples whose labels include every given
   * label (e.g. {@code argocd_app_sync_total} of one Application, all phases).
   */
  public double metric(String name, Map<String, String> labels) {
    String body;
    try {
      body = http.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    double sum = 0;
    Matcher m = SAMPLE.matcher(body);
    while (m.find()) {
      String sampleLabels = m.group(2) == null ? "" : m.group(2);
      if (m.group(1).equals(name) && labels.entrySet().stream().allMatch(l -> sampleLabels.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  @Override
  public void close() {
    LocalEnvScript.run(world.directory(), 2, "argocd-down");
  }
}
