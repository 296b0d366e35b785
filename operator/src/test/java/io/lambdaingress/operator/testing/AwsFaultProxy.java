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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy between the operator process (its AWS_ENDPOINT_URL) and the world's AWS endpoint
 * (moto, or the AWS rules layer in front of it), doing what neither can do by itself:
 *
 * <ul>
 *   <li>answer chosen ELBv2 actions with an AWS error (Throttling, AccessDenied): {@link #inject};
 *   <li>kill the operator exactly at its k-th AWS write, of any service ({@link AwsRequest} tells writes
 *       from reads): {@link Crash#BEFORE} the write reaches AWS, or {@link Crash#AFTER} AWS answered it,
 *       the answer never reaching the operator: {@link #crashAt};
 *   <li>seeded random throttling, 5xx and latency spikes on every call: {@link #chaos}.
 * </ul>
 *
 * Errors are encoded in each service's own protocol, so the SDK's retry mode and our error mapping see
 * exactly what AWS would send.
 *
 * <p>It also records who signed each request it forwarded (moto does not check signatures, so this is
 * where a test sees which credentials the operator really used): {@link #seen}.
 */
public final class AwsFaultProxy implements AutoCloseable {

  /** An AWS error; its code and message are encoded in the protocol of the service that was called. */
  public record Fault(int status, String code, String message) {
    public static final Fault THROTTLING = new Fault(400, "Throttling", "Rate exceeded");
    public static final Fault INTERNAL_FAILURE = new Fault(500, "InternalFailure", "We encountered an internal error. Please try again.");

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
  /** Where, relative to the k-th write, the operator dies. */
  public enum Crash {
    /** The write never reaches AWS. */
    BEFORE,
    /** AWS applied the write and answered; the answer never reaches the operator. */
    AFTER;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Faults on every call, drawn from one seeded random stream: {@code throttle} of the calls get their
   * service's throttling error, {@code serverError} a 5xx, of which the share {@code lostAnswers} only after
   * AWS applied the call (the answer is lost and the SDK retries a write that was done: the classic cause
   * of duplicates); {@code spike} of the calls wait {@code spikeMillis} first.
   */
  public record Chaos(long seed, double throttle, double serverError, double lostAnswers, double spike, long spikeMillis) {}

  private record CrashPoint(int write, Crash when, Runnable kill, CompletableFuture<AwsRequest> done) {}

  private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade");

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI upstream;
  private volatile String action;
  private volatile Fault fault;
  private final AtomicInteger remaining = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();
  private final java.util.List<SeenRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
  // Off unless a test asks: every request with its answer, kept for the whole run, exhausted a 256 MiB
  // benchmark driver at N = 500 (bench-scale --faults 500 died of OutOfMemoryError).
  private volatile boolean recording;
  // Writes in the order they arrived since the last resetWrites(); the crash point counts the same way.
  private final List<String> writes = new ArrayList<>();
  // The number of writes before the last first attempt of a write (a write AWS refuses is tried again: its
  // later attempts are not "the next write arriving").
  private int arrivedAfter;
  private CrashPoint crash;
  private volatile boolean severed;
  private volatile Boundaries boundaries;
  private volatile Chaos chaos;
  private Random random;
  private final AtomicInteger chaosFaults = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();

  /** @param upstream the world's AWS endpoint ({@link LocalWorld#awsEndpoint()}), never moto by name */
  public AwsFaultProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    // Latency spikes hold a thread each: a small fixed pool would queue every other call behind them.
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "aws-fault-proxy");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
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

  /** From now on, keeps every request forwarded and its answer, for {@link #seen()}. */
  public AwsFaultProxy recordRequests() {
    recording = true;
    return this;
  }

  /** Every request forwarded since {@link #recordRequests()}, in order. */
  public java.util.List<SeenRequest> seen() {
    return java.util.List.copyOf(seen);
  }

  /** Starts counting writes from zero, forgets any crash point, and lets calls through again. */
  public synchronized void resetWrites() {
    writes.clear();
    arrivedAfter = 0;
    crash = null;
    severed = false;
  }

  /** {@code service:Action} of every write AWS accepted since {@link #resetWrites()}, in order. */
  public synchronized List<String> writes() {
    return List.copyOf(writes);
  }

  /**
   * Counting from the last {@link #resetWrites()}, runs {@code kill} (which must not return before the
   * operator process is dead) at the {@code write}-th write, before or after forwarding it; from then on no
   * call reaches AWS until the next reset. Completes with the write it killed on.
   */
  public synchronized CompletableFuture<AwsRequest> crashAt(int write, Crash when, Runnable kill) {
    crash = new CrashPoint(write, when, kill, new CompletableFuture<>());
    return crash.done();
  }

  /**
   * Told, between two writes, the two moments a crash row kills at: {@code answered(k)} when AWS has accepted the
   * k-th write (counting from the last {@link #resetWrites()}) and its answer is about to go back (AFTER k), and
   * {@code nextArrived(k)} when the first attempt of the next write arrives after k writes (BEFORE k + 1). Called
   * on the proxy's thread, before the call goes on.
   */
  public interface Boundaries {
    void answered(int k);

    void nextArrived(int k);
  }

  /** From now on (null: no longer), tells {@code b} of each write's two crash moments; see {@link Boundaries}. */
  public void observeBoundaries(Boundaries b) {
    this.boundaries = b;
  }

  /** Faults on every call from now on (null: none); see {@link Chaos}. */
  public synchronized void chaos(Chaos chaos) {
    this.chaos = chaos;
    this.random = chaos == null ? null : new Random(chaos.seed());
  }

  /** Calls answered with a chaos fault so far. */
  public int chaosFaults() {
    return chaosFaults.get();
  }

  /** Calls that reached the proxy so far. */
  public int calls() {
    return calls.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      calls.incrementAndGet();
      AwsRequest request = AwsRequest.of(ex.getRequestMethod(), ex.getRequestURI().toString(),
          ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("X-Amz-Target"), body);
      CrashPoint killHere = null;
      int firstAttemptAfter = -1;
      synchronized (this) {
        if (severed) {
          return; // the operator is being killed: nothing more of it reaches AWS (the connection just closes)
        }
        if (request.write() && arrivedAfter < writes.size()) {
          arrivedAfter = writes.size();
          firstAttemptAfter = arrivedAfter;
        }
        // Writes count once AWS accepted them: the AWS rules layer refuses some for a while (a registration
        // until the invoke permission has propagated), which the operator retries; the accepted sequence is
        // the same in every run, the attempts are not. BEFORE kills the first attempt at the k-th write.
        if (request.write() && crash != null && crash.when() == Crash.BEFORE && writes.size() == crash.write() - 1) {
          killHere = crash;
          severed = true;
        }
      }
      if (killHere != null && killHere.when() == Crash.BEFORE) {
        kill(killHere, request);
        return;
      }
      Boundaries b = boundaries;
      if (b != null && firstAttemptAfter > 0) {
        b.nextArrived(firstAttemptAfter);
      }
      Fault f = fault;
      if (f != null && request.protocol() == AwsRequest.Protocol.QUERY && request.action().equals(action)
          && remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        injected.incrementAndGet();
        sendError(ex, request, f);
        return;
      }
      ChaosDraw draw = drawChaos();
      if (draw.spike()) {
        sleep(chaos == null ? 0 : chaos.spikeMillis());
      }
      if (draw.fault() != null && !draw.afterForward()) {
        chaosFaults.incrementAndGet();
        sendError(ex, request, draw.fault());
        return;
      }
      HttpResponse<byte[]> response = forward(ex, body);
      if (response == null) {
        ex.sendResponseHeaders(502, -1);
        return;
      }
      int accepted = -1;
      if (request.write() && response.statusCode() < 300) {
        synchronized (this) {
          writes.add(request.name());
          accepted = writes.size();
          if (crash != null && crash.when() == Crash.AFTER && writes.size() == crash.write()) {
            killHere = crash;
            severed = true;
          }
        }
      }
      if (b != null && accepted > 0 && killHere == null) {
        b.answered(accepted);
      }
      if (killHere != null) {
        kill(killHere, request); // AFTER: AWS has answered; the answer dies with the connection
        return;
      }
      if (draw.fault() != null) {
        chaosFaults.incrementAndGet();
        sendError(ex, request, draw.fault());
        return;
      }
      response.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
          values.forEach(v -> ex.getResponseHeaders().add(name, v));
        }
      });
      byte[] out = response.body();
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      java.util.regex.Matcher signer = CREDENTIAL.matcher(authorization == null ? "" : authorization);
      if (recording) {
        seen.add(new SeenRequest(signer.find() ? signer.group(1) : null, new String(body, StandardCharsets.UTF_8),
            new String(out, StandardCharsets.UTF_8)));
      }
      ex.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    }
  }

  private static void kill(CrashPoint point, AwsRequest request) {
    try {
      point.kill().run();
      point.done().complete(request);
    } catch (RuntimeException e) {
      point.done().completeExceptionally(e);
    }
  }

  private record ChaosDraw(boolean spike, Fault fault, boolean afterForward) {}

  private synchronized ChaosDraw drawChaos() {
    Chaos c = chaos;
    if (c == null) {
      return new ChaosDraw(false, null, false);
    }
    boolean spike = random.nextDouble() < c.spike();
    double r = random.nextDouble();
    boolean after = random.nextDouble() < c.lostAnswers();
    if (r < c.throttle()) {
      return new ChaosDraw(spike, THROTTLED, false);
    }
    if (r < c.throttle() + c.serverError()) {
      return new ChaosDraw(spike, SERVER_ERROR, after);
    }
    return new ChaosDraw(spike, null, false);
  }

  private static final Fault THROTTLED = new Fault(400, "Throttling", "Rate exceeded");
  private static final Fault SERVER_ERROR = Fault.INTERNAL_FAILURE;

  private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException {
    HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().toString()))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase())) {
        values.forEach(v -> forward.header(name, v));
      }
    });
    try {
      return client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The fault as the called service would say it: query XML (ELBv2), EC2's own XML, JSON 1.1 with
   * {@code __type} (ECR), REST-JSON with {@code x-amzn-ErrorType} (Lambda). Throttling takes each
   * service's own code and status (Lambda: 429 TooManyRequestsException; EC2: 503 RequestLimitExceeded).
   */
  private static void sendError(HttpExchange ex, AwsRequest request, Fault f) throws IOException {
    boolean throttling = f.code().equals("Throttling");
    String contentType;
    String body;
    int status = f.status();
    switch (request.protocol()) {
      case QUERY -> {
        contentType = "text/xml";
        body = "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>"
            + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + f.code() + "</Code><Message>" + f.message()
            + "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>";
      }
      case EC2 -> {
        String code = throttling ? "RequestLimitExceeded" : status >= 500 ? "InternalError" : f.code();
        status = throttling ? 503 : status;
        contentType = "text/xml";
        body = "<Response><Errors><Error><Code>" + code + "</Code><Message>" + f.message()
            + "</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>";
      }
      case JSON -> {
        String code = throttling ? "ThrottlingException" : status >= 500 ? "ServerException" : f.code();
        contentType = "application/x-amz-json-1.1";
        body = "{\"__type\":\"" + code + "\",\"message\":\"" + f.message() + "\"}";
      }
      default -> {
        String code = throttling ? "TooManyRequestsException" : status >= 500 ? "ServiceException" : f.code();
        status = throttling ? 429 : status;
        contentType = "application/json";
        ex.getResponseHeaders().set("x-amzn-ErrorType", code);
        body = "{\"Type\":\"" + (status >= 500 ? "Service" : "User") + "\",\"message\":\"" + f.message() + "\"}";
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("x-amzn-RequestId", "fault-proxy");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
