package io.lambdaingress.handler;

import io.lambdaingress.handler.sample.SampleFunction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The function the golden events are played against: the sample's {@code GET /lambda} plus routes that
 * exercise each part of the contract (path parameters, bodies, binary answers, cookies, failures).
 */
final class GoldenFunction extends AlbHandler {

    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A};
    /** Over the ALB's 1 MB once it is in the response JSON. */
    static final int BIG_BODY_CHARS = 1_100_000;

    GoldenFunction(Map<String, String> environment) {
        super(Router.builder()
                .get("/lambda", SampleFunction.lambda(environment))
                .get("/items/{id}", request -> AlbResponse.json(200, Map.of("id", request.pathParameter("id"))))
                .put("/items/{id}", request -> AlbResponse.empty(204))
                .post("/echo", request -> AlbResponse.binary(200, request.header("Content-Type"), request.body()))
                .get("/binary", request -> AlbResponse.binary(200, "image/png", PNG_SIGNATURE))
                .get("/headers", GoldenFunction::headers)
                .get("/cookies", request -> AlbResponse.text(200, "two cookies")
                        .withHeader("Set-Cookie", "a=1; Path=/")
                        .withHeader("Set-Cookie", "b=2; Path=/"))
                .get("/big", request -> AlbResponse.text(200, "a".repeat(BIG_BODY_CHARS)))
                .get("/boom", request -> {
                    throw new IllegalStateException("boom");
                })
                .build(), HealthCheck.fromEnvironment(environment));
    }

    private static AlbResponse headers(AlbRequest request) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("custom", request.header("x-custom"));
        seen.put("cookies", request.headers().all("Cookie"));
        return AlbResponse.json(200, seen);
    }
}
