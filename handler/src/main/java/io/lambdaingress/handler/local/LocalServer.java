package io.lambdaingress.handler.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lambdaingress.handler.AlbEventCodec;
import io.lambdaingress.handler.EventForm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plays the ALB on this machine: each HTTP request becomes an ALB event (in the chosen form, query left
 * undecoded, non-text bodies base64-encoded, X-Forwarded-* added, as the ALB does), the function handles
 * it, and its response JSON becomes the HTTP response. Requests are handled one at a time, like one Lambda
 * instance does. What the real ALB would refuse (a response over 1 MB, or not JSON) is answered 502.
 */
public final class LocalServer implements AutoCloseable {

    static final String TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:local:000000000000:targetgroup/local/serve";

    private final HttpServer server;
    private final RequestStreamHandler function;
    private final EventForm form;
    private final String functionName;
    private final PrintStream log;
    private final AlbEventCodec codec = new AlbEventCodec();

    private LocalServer(HttpServer server, RequestStreamHandler function, EventForm form, PrintStream log) {
        this.server = server;
        this.function = function;
        this.form = form;
        this.functionName = function.getClass().getSimpleName();
        this.log = log;
    }

    /** Binds (port 0 picks a free one) and starts serving; {@link #close()} stops it. */
    public static LocalServer start(RequestStreamHandler function, InetSocketAddress address, EventForm form,
                                    PrintStream log) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        LocalServer local = new LocalServer(server, function, form, log);
        server.createContext("/", local::exchange);
        server.start();
        return local;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] eventJson = codec.writeEvent(toEvent(exchange));
            ByteArrayOutputStream responseJson = new ByteArrayOutputStream();
            function.handleRequest(new ByteArrayInputStream(eventJson), responseJson, LocalContext.fresh(functionName, log));
            respond(exchange, responseJson.toByteArray());
        } catch (RuntimeException | IOException e) {
            // The ALB answers 502 when the function fails; so does the stand-in, and says why on the log.
            log.println("serve: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
            sendPlain(exchange, 502, "502 Bad Gateway: the function failed: " + e.getMessage());
        }
    }

    private ApplicationLoadBalancerRequestEvent toEvent(HttpExchange exchange) throws IOException {
        ApplicationLoadBalancerRequestEvent event = new ApplicationLoadBalancerRequestEvent();
        ApplicationLoadBalancerRequestEvent.Elb elb = new ApplicationLoadBalancerRequestEvent.Elb();
        elb.setTargetGroupArn(TARGET_GROUP_ARN);
        ApplicationLoadBalancerRequestEvent.RequestContext context = new ApplicationLoadBalancerRequestEvent.RequestContext();
        context.setElb(elb);
        event.setRequestContext(context);
        event.setHttpMethod(exchange.getRequestMethod());
        event.setPath(exchange.getRequestURI().getRawPath());

        Map<String, List<String>> query = rawQuery(exchange.getRequestURI().getRawQuery());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        headers.put("x-forwarded-for", List.of(exchange.getRemoteAddress().getAddress().getHostAddress()));
        headers.put("x-forwarded-port", List.of(Integer.toString(port())));
        headers.put("x-forwarded-proto", List.of("http"));
        if (form == EventForm.MULTI_VALUE) {
            event.setMultiValueQueryStringParameters(query);
            event.setMultiValueHeaders(headers);
        } else {
            event.setQueryStringParameters(lastValues(query));
            event.setHeaders(lastValues(headers));
        }

        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        boolean text = body.length == 0 || isTextContent(contentType);
        event.setIsBase64Encoded(!text);
        event.setBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        return event;
    }

    private void respond(HttpExchange exchange, byte[] responseJson) throws IOException {
        if (responseJson.length > AlbEventCodec.MAX_RESPONSE_BYTES) {
            sendPlain(exchange, 502, "502 Bad Gateway: the function's response JSON is " + responseJson.length
                    + " bytes, over the ALB's 1 MB limit");
            return;
        }
        ApplicationLoadBalancerResponseEvent response = codec.readResponse(responseJson);
        if (form == EventForm.MULTI_VALUE) {
            if (response.getHeaders() != null) {
                log.println("serve: the function answered 'headers' to a multi-value event; the ALB ignores them");
            }
            if (response.getMultiValueHeaders() != null) {
                response.getMultiValueHeaders().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
            }
        } else {
            if (response.getMultiValueHeaders() != null) {
                log.println("serve: the function answered 'multiValueHeaders' to a single-value event; the ALB ignores them");
            }
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            }
        }
        String body = response.getBody() == null ? "" : response.getBody();
        byte[] bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        boolean noBody = bytes.length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.getStatusCode(), noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sendPlain(HttpExchange exchange, int status, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // The ALB hands the function the query as the client sent it: split, but not percent-decoded.
    static Map<String, List<String>> rawQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    // Without multi-value headers the ALB keeps the last value of a repeated header or query parameter.
    private static Map<String, String> lastValues(Map<String, List<String>> multi) {
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((name, values) -> {
            if (!values.isEmpty()) {
                single.put(name, values.get(values.size() - 1));
            }
        });
        return single;
    }

    // The content types the ALB passes through as text; it base64-encodes every other body.
    static boolean isTextContent(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        return type.startsWith("text/") || type.equals("application/json")
                || type.equals("application/javascript") || type.equals("application/xml");
    }
}
