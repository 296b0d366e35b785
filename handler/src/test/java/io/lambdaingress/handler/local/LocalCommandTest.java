package io.lambdaingress.handler.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.lambdaingress.handler.sample.SampleFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCommandTest {

    private static final String EVENT = """
            {"requestContext":{"elb":{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1"}},
             "httpMethod":"GET","path":"/lambda","queryStringParameters":{"query":"1234ABCD"},
             "headers":{"user-agent":"curl/8.5.0"},"body":"","isBase64Encoded":false}
            """;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final SampleFunction function = new SampleFunction(Map.of("ENV", "hoge"));

    private int run(String stdin, String... args) {
        return LocalCommand.run(function, args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @Test
    void invokePrintsOnlyTheResponseJsonOnStdout(@TempDir Path dir) throws Exception {
        Path event = Files.writeString(dir.resolve("event.json"), EVENT);

        int exit = run("", "invoke", event.toString());

        assertEquals(0, exit, stderr.toString(StandardCharsets.UTF_8));
        Map<String, Object> response = JSON.std.mapFrom(stdout.toByteArray());
        assertEquals(200, response.get("statusCode"));
        assertEquals("200 OK", response.get("statusDescription"));
        assertEquals(Map.of("query", "1234ABCD", "env", "hoge"), JSON.std.mapFrom(response.get("body")));
    }

    @Test
    void invokeReadsStdinForDash() throws Exception {
        assertEquals(0, run(EVENT, "invoke", "-"));
        assertEquals(200, JSON.std.mapFrom(stdout.toByteArray()).get("statusCode"));
    }

    @Test
    void aMalformedEventIsAJsonAnswerNotAFailure() throws Exception {
        assertEquals(0, run("{not json", "invoke", "-"));
        assertEquals(400, JSON.std.mapFrom(stdout.toByteArray()).get("statusCode"));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("malformed ALB event"));
    }

    @Test
    void aMissingFileAndBadArgumentsFailWithAMessage(@TempDir Path dir) {
        assertEquals(1, run("", "invoke", dir.resolve("missing.json").toString()));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("no such event file"));

        assertEquals(2, run("", "invoke"));
        assertEquals(2, run("", "serve", "--port", "http"));
        assertEquals(2, run("", "frobnicate"));
        assertEquals(2, run(""));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("usage: java -jar FUNCTION.jar invoke EVENT.json"));
        assertEquals("", stdout.toString(StandardCharsets.UTF_8));
    }
}
