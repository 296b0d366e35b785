package io.lambdaingress.handler.bench;

import io.lambdaingress.handler.AlbHandler;
import io.lambdaingress.handler.AlbResponse;
import io.lambdaingress.handler.HealthCheck;
import io.lambdaingress.handler.Router;
import io.lambdaingress.handler.local.LocalContext;
import io.lambdaingress.handler.sample.SampleFunction;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The warm path of one invocation: event JSON bytes in, response JSON bytes out. The routes answer a
 * response built once, so what is measured is the library's overhead (parse, decode, route, encode), not
 * user code; {@code sampleFunction} adds the sample's own work for comparison. Run by handler/bench/run.sh,
 * never by the test suite (the name does not match Surefire's patterns).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AlbHandlerBenchmark {

    private static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a";

    // Headers as the ALB sends them for a browser request (the AWS documentation's example event).
    private static final String SINGLE_HEADERS = """
            {"accept":"text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8",
             "accept-encoding":"gzip","accept-language":"en-US,en;q=0.9","connection":"keep-alive",
             "host":"lambda-alb-123578498.us-east-1.elb.amazonaws.com","upgrade-insecure-requests":"1",
             "user-agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/71.0.3578.98 Safari/537.36",
             "x-amzn-trace-id":"Root=1-5c536348-3d683b8b04734faae651f476","x-forwarded-for":"72.12.164.125",
             "x-forwarded-port":"80","x-forwarded-proto":"http","x-imforwards":"20"}""";

    private final AlbResponse constant = AlbResponse.json(200, "{\"query\":\"1234ABCD\",\"env\":\"hoge\"}");
    private final LocalContext context = new LocalContext("bench", "bench", new PrintStream(OutputStream.nullOutputStream()));
    private AlbHandler overhead;
    private AlbHandler sample;
    private byte[] getSingle;
    private byte[] getMulti;
    private byte[] postBase64;
    private byte[] healthCheck;

    @Setup
    public void setUp() {
        Router routes = Router.builder()
                .get("/lambda", request -> constant)
                .post("/upload", request -> constant)
                .get("/items/{id}", request -> constant)
                .build();
        overhead = new AlbHandler(routes, new HealthCheck("/healthz")) {
        };
        sample = new SampleFunction(Map.of("ENV", "hoge"));

        getSingle = event("GET", "/lambda", "\"queryStringParameters\":{\"query\":\"1234ABCD\"},\"headers\":" + SINGLE_HEADERS, "", false);
        getMulti = event("GET", "/lambda", "\"multiValueQueryStringParameters\":{\"query\":[\"1234ABCD\"]},\"multiValueHeaders\":"
                + SINGLE_HEADERS.replaceAll(":(\"[^\"]*\")", ":[$1]"), "", false);
        byte[] upload = new byte[1024];
        for (int i = 0; i < upload.length; i++) {
            upload[i] = (byte) (i * 31);
        }
        postBase64 = event("POST", "/upload", "\"queryStringParameters\":{},\"headers\":"
                + SINGLE_HEADERS.replace("\"connection\"", "\"content-type\":\"application/octet-stream\",\"connection\""),
                Base64.getEncoder().encodeToString(upload), true);
        healthCheck = event("GET", "/healthz", "\"queryStringParameters\":{},\"headers\":{\"user-agent\":\"ELB-HealthChecker/2.0\"}", "", false);

        // A typo in an event above would quietly benchmark the 400 path instead: refuse to run then.
        for (byte[] event : new byte[][] {getSingle, getMulti, postBase64, healthCheck}) {
            String answer = new String(overhead.handle(event, context), StandardCharsets.UTF_8);
            if (!answer.contains("\"statusCode\":200")) {
                throw new IllegalStateException("benchmark event is not answered 200: " + answer);
            }
        }
    }

    private static byte[] event(String method, String path, String fields, String body, boolean base64) {
        return ("{\"requestContext\":{\"elb\":{\"targetGroupArn\":\"" + ARN + "\"}},\"httpMethod\":\"" + method
                + "\",\"path\":\"" + path + "\"," + fields + ",\"body\":\"" + body + "\",\"isBase64Encoded\":" + base64 + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] getSingleValueEvent() {
        return overhead.handle(getSingle, context);
    }

    @Benchmark
    public byte[] getMultiValueEvent() {
        return overhead.handle(getMulti, context);
    }

    @Benchmark
    public byte[] postBase64Body1KiB() {
        return overhead.handle(postBase64, context);
    }

    @Benchmark
    public byte[] healthCheck() {
        return overhead.handle(healthCheck, context);
    }

    /** Not overhead: the sample function's own JSON body included, to show what user code adds. */
    @Benchmark
    public byte[] sampleFunction() {
        return sample.handle(getSingle, context);
    }
}
