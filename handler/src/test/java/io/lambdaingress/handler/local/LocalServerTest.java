package io.lambdaingress.handler.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.lambdaingress.handler.AlbHandler;
import io.lambdaingress.handler.AlbResponse;
import io.lambdaingress.handler.EventForm;
import io.lambdaingress.handler.HealthCheck;
import io.lambdaingress.handler.Router;
import io.lambdaingress.handler.sample.SampleFunction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drives {@code serve}'s server with a real HTTP client on a free loopback port. */
class LocalServerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private LocalServer server;

    /** Shows what the function received, so the test can check what the stand-in ALB put in the event. */
    private static final class MirrorFunction extends AlbHandler {
        MirrorFunction() {
            super(Router.builder()
                    .get("/lambda", SampleFunction.lambda(Map.of("ENV", "local")))
                    .post("/upload", request -> AlbResponse.binary(201, "application/octet-stream", request.body()))
                    .get("/seen", request -> {
                        Map<String, Object> seen = new LinkedHashMap<>();
                        seen.put("tags", request.queryParameters("tag"));
                        seen.put("accept", request.headers().all("accept"));
                        seen.put("forwardedProto", request.header("X-Forwarded-Proto"));
                        seen.put("form", request.form().name());
                        return AlbResponse.json(200, seen)
                                .withHeader("Set-Cookie", "a=1")
                                .withHeader("Set-Cookie", "b=2");
                    })
                    .build(), new HealthCheck("/healthz"));
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI start(EventForm form) throws Exception {
        server = LocalServer.start(new MirrorFunction(), new InetSocketAddress("127.0.0.1", 0), form,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theSampleRouteAnswersWithTheDecodedQuery() throws Exception {
        URI base = start(EventForm.SINGLE_VALUE);

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(base.resolve("/lambda?query=caf%C3%A9+%2B1")));

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(Map.of("query", "café +1", "env", "local"), JSON.std.mapFrom(response.body()));
    }

    @Test
    void healthChecksUnknownPathsAndWrongMethodsGetTheirStatus() throws Exception {
        URI base = start(EventForm.SINGLE_VALUE);

        HttpResponse<byte[]> health = send(HttpRequest.newBuilder(base.resolve("/healthz"))
                .header("User-Agent", "ELB-HealthChecker/2.0"));
        assertEquals(200, health.statusCode());
        assertEquals("ok", new String(health.body(), StandardCharsets.UTF_8));

        assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/nope"))).statusCode());

        HttpResponse<byte[]> wrongMethod = send(HttpRequest.newBuilder(base.resolve("/lambda"))
                .DELETE());
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("GET", wrongMethod.headers().firstValue("allow").orElseThrow());
    }

    @Test
    void binaryRequestAndResponseBodiesSurviveTheBase64RoundTrip() throws Exception {
        URI base = start(EventForm.SINGLE_VALUE);
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(base.resolve("/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)));

        assertEquals(201, response.statusCode());
        assertArrayEquals(payload, response.body());
    }

    @Test
    void multiValueFormKeepsRepeatedParametersAndCookies() throws Exception {
        URI base = start(EventForm.MULTI_VALUE);

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(base.resolve("/seen?tag=a&tag=b%20c"))
                .header("Accept", "text/plain")
                .header("Accept", "application/json"));

        assertEquals(200, response.statusCode());
        Map<String, Object> seen = JSON.std.mapFrom(response.body());
        assertEquals(List.of("a", "b c"), seen.get("tags"));
        assertEquals("MULTI_VALUE", seen.get("form"));
        assertEquals("http", seen.get("forwardedProto"));
        assertTrue(((List<?>) seen.get("accept")).size() >= 1, seen.toString());
        assertEquals(List.of("a=1", "b=2"), response.headers().allValues("set-cookie"));
    }

    @Test
    void singleValueFormKeepsTheLastRepeatedParameterAsTheAlbDoes() throws Exception {
        URI base = start(EventForm.SINGLE_VALUE);

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(base.resolve("/seen?tag=a&tag=b")));

        Map<String, Object> seen = JSON.std.mapFrom(response.body());
        assertEquals(List.of("b"), seen.get("tags"));
        assertEquals("SINGLE_VALUE", seen.get("form"));
    }
}
