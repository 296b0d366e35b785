package io.lambdaingress.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.lambdaingress.handler.local.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AlbHandlerTest {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final LocalContext context = new LocalContext("req-1", "test", new PrintStream(log, true, StandardCharsets.UTF_8));

    /** A function whose routes claim every path, the health path included, and count their calls. */
    private static final class GreedyFunction extends AlbHandler {
        final AtomicInteger userCalls;

        GreedyFunction(String healthPath, AtomicInteger userCalls) {
            super(Router.builder()
                    .get("/healthz", request -> count(userCalls))
                    .get("/status/live", request -> count(userCalls))
                    .route("HEAD", "/healthz", request -> count(userCalls))
                    .get("/{any}", request -> count(userCalls))
                    .get("/{a}/{b}", request -> count(userCalls))
                    .build(), new HealthCheck(healthPath));
            this.userCalls = userCalls;
        }

        private static AlbResponse count(AtomicInteger calls) {
            calls.incrementAndGet();
            throw new IllegalStateException("user code must not see health checks");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/healthz", "/status/live"})
    void healthChecksAreAnsweredWithoutReachingUserCodeWhateverTheRoutes(String healthPath) throws Exception {
        AtomicInteger userCalls = new AtomicInteger();
        GreedyFunction function = new GreedyFunction(healthPath, userCalls);
        for (String method : List.of("GET", "HEAD")) {
            String event = "{\"httpMethod\":\"" + method + "\",\"path\":\"" + healthPath
                    + "\",\"headers\":{\"user-agent\":\"ELB-HealthChecker/2.0\"},\"queryStringParameters\":{},\"body\":\"\",\"isBase64Encoded\":false}";
            Map<String, Object> response = JSON.std.mapFrom(function.handle(event.getBytes(StandardCharsets.UTF_8), context));
            assertEquals(200, response.get("statusCode"), method + " " + healthPath);
            assertEquals("200 OK", response.get("statusDescription"));
        }
        assertEquals(0, userCalls.get());
    }

    @Test
    void theSameRouteIsUserCodeWhenItIsNotTheHealthPath() throws Exception {
        AtomicInteger userCalls = new AtomicInteger();
        GreedyFunction function = new GreedyFunction("/status/live", userCalls);
        byte[] event = "{\"httpMethod\":\"GET\",\"path\":\"/healthz\"}".getBytes(StandardCharsets.UTF_8);

        Map<String, Object> response = JSON.std.mapFrom(function.handle(event, context));

        assertEquals(500, response.get("statusCode"));
        assertEquals(1, userCalls.get());
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("request req-1: GET /healthz failed"), logged);
        assertTrue(logged.contains("IllegalStateException: user code must not see health checks"), logged);
    }

    @Test
    void handleRequestStreamsTheSameAnswerAsHandle() throws Exception {
        AlbHandler function = new GoldenFunction(Map.of("ENV", "stream"));
        byte[] event = "{\"httpMethod\":\"GET\",\"path\":\"/lambda\",\"queryStringParameters\":{\"query\":\"q\"}}"
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        function.handleRequest(new ByteArrayInputStream(event), out, context);

        Map<String, Object> response = JSON.std.mapFrom(out.toByteArray());
        assertEquals(200, response.get("statusCode"));
        assertEquals(Map.of("query", "q", "env", "stream"), JSON.std.mapFrom(response.get("body")));
    }

    @Test
    void aRouteThatReturnsNothingIsAServerErrorNotACrash() throws Exception {
        AlbHandler function = new AlbHandler(Router.builder().get("/null", request -> null).build(), new HealthCheck("/healthz")) {
        };
        Map<String, Object> response = JSON.std.mapFrom(
                function.handle("{\"httpMethod\":\"GET\",\"path\":\"/null\"}".getBytes(StandardCharsets.UTF_8), context));

        assertEquals(500, response.get("statusCode"));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("the route returned no response"));
    }
}
