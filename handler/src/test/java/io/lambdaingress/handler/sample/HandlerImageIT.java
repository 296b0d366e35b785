package io.lambdaingress.handler.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.lambdaingress.handler.local.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The function's container image (localhost/sample-function:dev, the Dockerfile's handler-on-jre target built
 * by dev/images.sh) run under AWS's Lambda Runtime Interface Emulator, as docs/handler.md tells users to test
 * it: the image's own ENTRYPOINT and CMD (the runtime interface client and the handler) behind the emulator.
 * Every golden ALB event is invoked through the emulator's HTTP API, and the answer must be the one the same
 * function gives in process (request ids aside: the emulator makes its own); the article's
 * {@code GET /lambda?query=1234ABCD} and the custom health path must also be their golden responses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandlerImageIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String IMAGE = "localhost/sample-function:dev";
    /** The union of the golden events' env.properties: one container serves them all. */
    private static final Map<String, String> ENVIRONMENT = Map.of("ENV", "hoge", "LAMBDA_INGRESS_HEALTH_PATH", "/status/live");

    private final String container = "handler-image-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private URI invocations;
    private boolean started;

    @BeforeAll
    void runTheImageUnderTheEmulator() throws Exception {
        String images = REPO.resolve("dev/images.sh").toString();
        Podman.run(REPO, List.of(images), Duration.ofMinutes(20));
        String emulator = Podman.run(REPO, List.of(images, "rie"), Duration.ofMinutes(10)).strip();
        List<String> entrypoint = Podman.configList(IMAGE, "Entrypoint");
        List<String> cmd = Podman.configList(IMAGE, "Cmd");
        assertEquals("com.amazonaws.services.lambda.runtime.api.client.AWSLambda", entrypoint.get(entrypoint.size() - 1));

        // Host network (loopback only) with free ports: the emulator's API and the Runtime API it serves.
        int port = freePort();
        List<String> run = new ArrayList<>(List.of("run", "-d", "--rm", "--pull=never", "--name", container, "--network", "host",
                "-v", emulator + ":/usr/local/bin/aws-lambda-rie:ro", "--entrypoint", "/usr/local/bin/aws-lambda-rie"));
        ENVIRONMENT.forEach((name, value) -> run.addAll(List.of("-e", name + "=" + value)));
        run.addAll(List.of(IMAGE, "--runtime-interface-emulator-address", "127.0.0.1:" + port,
                "--runtime-api-address", "127.0.0.1:" + freePort()));
        run.addAll(entrypoint);
        run.addAll(cmd);
        Podman.podman(run, Duration.ofMinutes(1));
        started = true;
        invocations = URI.create("http://127.0.0.1:" + port + "/2015-03-31/functions/function/invocations");
        awaitListening(port);
    }

    private void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, () -> "the emulator did not listen on " + port + "\n" + Podman.logs(container));
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (started) {
            Podman.podman(List.of("rm", "-f", "-t", "2", container), Duration.ofMinutes(1));
        }
    }

    static Stream<String> goldenEvents() throws IOException {
        try (Stream<Path> folders = Files.list(eventsRoot())) {
            return folders.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenEvents")
    void answersEveryGoldenEventAsTheFunctionDoesInProcess(String name) throws Exception {
        byte[] event = Files.readAllBytes(eventsRoot().resolve(name).resolve("event.json"));
        byte[] inProcess = new SampleFunction(ENVIRONMENT).handle(event,
                new LocalContext("in-process", "sample", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        String fromImage = invoke(event);
        assertEquals(comparable(new String(inProcess, StandardCharsets.UTF_8)), comparable(fromImage), () -> "image answered " + fromImage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("articleEvents")
    void answersTheArticleAndHealthEventsAsTheirGoldenResponsesSay(String name) throws Exception {
        Path folder = eventsRoot().resolve(name);
        String fromImage = invoke(Files.readAllBytes(folder.resolve("event.json")));
        assertEquals(comparable(Files.readString(folder.resolve("response.json"))), comparable(fromImage), () -> "image answered " + fromImage);
    }

    /** The golden events whose env.properties agree with {@link #ENVIRONMENT} (health checks of the custom path). */
    static Stream<String> articleEvents() {
        return Stream.of("01-sample-get", "02-sample-get-multi-value", "14-health-check-custom-path", "15-health-check-default-path-when-custom-set",
                "18-unknown-route", "19-wrong-method");
    }

    @Test
    void theFunctionRunsAsTheImagesNonRootUser() throws Exception {
        assertEquals("65532:65532", Podman.podman(List.of("image", "inspect", "--format", "{{.Config.User}}", IMAGE),
                Duration.ofMinutes(1)).strip());
    }

    private String invoke(byte[] event) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(invocations)
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "the emulator answered " + response.statusCode() + ": " + response.body()
                + "\ncontainer log:\n" + Podman.logs(container));
        return response.body();
    }

    /** The response as a map, a JSON body parsed, and a request id (the emulator's or ours) blanked. */
    private static Map<String, Object> comparable(String responseJson) throws IOException {
        Map<String, Object> response = new HashMap<>(JSON.std.mapFrom(responseJson));
        if (response.get("body") instanceof String body && body.startsWith("{")) {
            Map<String, Object> parsed = new HashMap<>(JSON.std.mapFrom(body));
            parsed.computeIfPresent("requestId", (key, value) -> "(request id)");
            response.put("body", parsed);
        }
        return response;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path eventsRoot() {
        return Path.of("src", "test", "resources", "events").toAbsolutePath();
    }
}
