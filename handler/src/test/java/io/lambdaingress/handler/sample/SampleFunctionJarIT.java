package io.lambdaingress.handler.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged target/sample-function.jar exactly as docs/handler.md tells users to. */
class SampleFunctionJarIT {

    private static final Path JAR = Path.of(System.getProperty("sample.function.jar", "target/sample-function.jar"));
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void invokePrintsTheResponseJson(@TempDir Path dir) throws Exception {
        Path event = Files.writeString(dir.resolve("event.json"), """
                {"requestContext":{"elb":{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1"}},
                 "httpMethod":"GET","path":"/lambda","queryStringParameters":{"query":"1234ABCD"},
                 "headers":{"user-agent":"curl/8.5.0"},"body":"","isBase64Encoded":false}
                """);
        ProcessBuilder builder = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "invoke", event.toString())
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().put("ENV", "hoge");
        Process process = builder.start();
        byte[] stdout = process.getInputStream().readAllBytes();

        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "invoke did not finish");
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("stderr.txt")));
        Map<String, Object> response = JSON.std.mapFrom(stdout);
        assertEquals(200, response.get("statusCode"));
        assertEquals(Map.of("query", "1234ABCD", "env", "hoge"), JSON.std.mapFrom(response.get("body")));
    }

    @Test
    void serveAnswersHttpOnTheGivenPort(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "serve", "--port", Integer.toString(port))
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().put("ENV", "served");
        builder.environment().put("LAMBDA_INGRESS_HEALTH_PATH", "/ping");
        Process process = builder.start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String banner = stdout.readLine(); // printed once the port is bound
            assertTrue(banner != null && banner.contains("http://127.0.0.1:" + port + "/"),
                    () -> "banner: " + banner + "; stderr: " + read(dir.resolve("stderr.txt")));

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpResponse<String> lambda = client.send(HttpRequest.newBuilder(base.resolve("/lambda?query=a%20b"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, lambda.statusCode());
            assertEquals(Map.of("query", "a b", "env", "served"), JSON.std.mapFrom(lambda.body()));

            for (String path : List.of("/ping", "/healthz")) {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(base.resolve(path))
                        .header("User-Agent", "ELB-HealthChecker/2.0").timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(path.equals("/ping") ? 200 : 404, health.statusCode(), path);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
