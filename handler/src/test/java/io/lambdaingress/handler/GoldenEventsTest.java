package io.lambdaingress.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.lambdaingress.handler.local.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plays every {@code events/NN-name/event.json} against {@link GoldenFunction} and compares the answer with
 * {@code response.json} of the same folder. An optional {@code env.properties} is the function's environment.
 * JSON bodies are compared as JSON (key order and spacing do not matter); every other field exactly.
 */
class GoldenEventsTest {

    private static final String REQUEST_ID = "golden-request-id";

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> folders = Files.list(eventsRoot())) {
            return folders.filter(Files::isDirectory).map(path -> path.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void thereAreEnoughGoldenEvents() throws Exception {
        assertTrue(cases().count() >= 25, "the issue asks for at least 25 golden events");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsTheGoldenResponseSays(String name) throws Exception {
        Path folder = eventsRoot().resolve(name);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AlbHandler function = new GoldenFunction(environment(folder));

        byte[] answer = function.handle(Files.readAllBytes(folder.resolve("event.json")),
                new LocalContext(REQUEST_ID, "golden", new PrintStream(log, true, StandardCharsets.UTF_8)));

        Map<String, Object> expected = normalized(JSON.std.mapFrom(Files.readString(folder.resolve("response.json"))));
        Map<String, Object> actual = normalized(JSON.std.mapFrom(answer));
        assertEquals(expected, actual, () -> "answer was " + new String(answer, StandardCharsets.UTF_8));
        int status = ((Number) actual.get("statusCode")).intValue();
        if (status >= 500) {
            // A failure the client sees as a bare request id must be findable in the log under that id.
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("request " + REQUEST_ID),
                    () -> "log: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> environment(Path folder) throws IOException {
        Path file = folder.resolve("env.properties");
        Map<String, String> environment = new HashMap<>();
        if (Files.exists(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            properties.forEach((key, value) -> environment.put((String) key, (String) value));
        }
        return environment;
    }

    private static Map<String, Object> normalized(Map<String, Object> response) throws IOException {
        Map<String, Object> copy = new HashMap<>(response);
        if (isJson(copy) && copy.get("body") instanceof String body && !body.isEmpty()) {
            copy.put("body", JSON.std.anyFrom(body));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static boolean isJson(Map<String, Object> response) {
        Object single = response.get("headers") instanceof Map<?, ?> headers ? headers.get("Content-Type") : null;
        Object multi = response.get("multiValueHeaders") instanceof Map<?, ?> headers ? headers.get("Content-Type") : null;
        String type = single instanceof String s ? s : multi instanceof List<?> list && !list.isEmpty() ? (String) list.get(0) : "";
        return type.startsWith("application/json");
    }

    private static Path eventsRoot() throws URISyntaxException {
        return Path.of(GoldenEventsTest.class.getResource("/events").toURI());
    }
}
