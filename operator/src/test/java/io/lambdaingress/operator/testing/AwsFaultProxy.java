package io.lambdaingress.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of moto that answers chosen Elastic Load Balancing actions with an AWS
 * error (Throttling, AccessDenied) instead of forwarding them: what moto cannot do by itself. The operator
 * process is pointed at it through the standard AWS_ENDPOINT_URL, so the SDK's own retry mode and our error
 * mapping see exactly what AWS would send. It also records who signed each request it forwarded (moto does
 * not check signatures, so this is where a test sees which credentials the operator really used).
 */
public final class AwsFaultProxy implements AutoCloseable {

  /** An AWS query-protocol error (the form ELBv2 uses). */
  public record Fault(int status, String code, String message) {
    public static final Fault THROTTLING = new Fault(400, "Throttling", "Rate exceeded");

    public static Fault accessDenied(String action) {
      return new Fault(403, "AccessDenied", "User: arn:aws:sts::123456789012:assumed-role/lambda-ingress/operator is not authorized to perform: "
          + "elasticloadbalancing:" + action + " because no identity-based policy allows the elasticloadbalancing:" + action + " action");
    }
  }

  /** A forwarded request: the access key id that signed it (null: unsigned), its body and the answer's body. */
  public record SeenRequest(String accessKeyId, String body, String response) {
    /** The body's form parameters (the query protocol of ELB, EC2, STS); empty for JSON bodies. */
    public java.util.Map<String, String> form() {
      java.util.Map<String, String> form = new java.util.LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && !body.startsWith("{")) {
          form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return form;
    }
  }

  private static final java.util.regex.Pattern CREDENTIAL = java.util.regex.Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI upstream;
  private volatile String action;
  private volatile Fault fault;
  private final AtomicInteger remaining = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();
  private final java.util.List<SeenRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

  public AwsFaultProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code times} calls of the ELBv2 {@code action} get {@code fault}; Integer.MAX_VALUE: until cleared. */
  public void inject(String action, Fault fault, int times) {
    this.action = action;
    this.fault = fault;
    remaining.set(times);
  }

  public void clear() {
    remaining.set(0);
  }

  public int injected() {
    return injected.get();
  }

  /** Every request forwarded so far, in order. */
  public java.util.List<SeenRequest> seen() {
    return java.util.List.copyOf(seen);
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    String text = new String(body, StandardCharsets.UTF_8);
    Fault f = fault;
    if (f != null && text.contains("Action=" + action + "&") && remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      injected.incrementAndGet();
      byte[] error = ("<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>Sender</Type>"
          + "<Code>" + f.code() + "</Code><Message>" + f.message() + "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/xml");
      ex.sendResponseHeaders(f.status(), error.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(error);
      }
      return;
    }
    HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().toString()))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase())) {
        values.forEach(v -> forward.header(name, v));
      }
    });
    try {
      HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
          values.forEach(v -> ex.getResponseHeaders().add(name, v));
        }
      });
      byte[] out = response.body();
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      java.util.regex.Matcher signer = CREDENTIAL.matcher(authorization == null ? "" : authorization);
      seen.add(new SeenRequest(signer.find() ? signer.group(1) : null, text, new String(out, StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.sendResponseHeaders(502, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
