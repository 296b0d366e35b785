package io.lambdaingress.handler;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a route answers. The handler turns it into the ALB's response JSON, in the form the request came in.
 *
 * @param statusCode    the HTTP status
 * @param headers       response headers in the order they are to be sent; a name may have several values
 *                      (only the multi-value form can send them as separate header lines)
 * @param body          the body as the ALB expects it: text, or base64 when {@code base64Encoded}
 * @param base64Encoded whether {@code body} holds base64 of binary content
 */
public record AlbResponse(int statusCode, Map<String, List<String>> headers, String body, boolean base64Encoded) {

    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON_TYPE = "application/json";
    private static final JSON BODY_JSON = JSON.builder().enable(JSON.Feature.WRITE_NULL_PROPERTIES).build();

    public AlbResponse {
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599, was " + statusCode);
        }
        headers = copyOf(headers);
        body = body == null ? "" : body;
    }

    /** A UTF-8 text response, {@code text/plain} unless a Content-Type header is added. */
    public static AlbResponse text(int statusCode, String text) {
        return new AlbResponse(statusCode, Map.of("Content-Type", List.of(TEXT)), text, false);
    }

    /** A response whose body is JSON already serialized by the caller. */
    public static AlbResponse json(int statusCode, String json) {
        return new AlbResponse(statusCode, Map.of("Content-Type", List.of(JSON_TYPE)), json, false);
    }

    /**
     * A JSON response of maps, lists, strings, numbers, booleans or beans, serialized with jackson-jr.
     * A null in a map is written as null: the caller put it there, so the client should see it.
     */
    public static AlbResponse json(int statusCode, Object value) {
        try {
            return json(statusCode, BODY_JSON.asString(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the response body as JSON", e);
        }
    }

    /** Binary content; the ALB gets it base64-encoded and sends the client the original bytes. */
    public static AlbResponse binary(int statusCode, String contentType, byte[] content) {
        return new AlbResponse(statusCode, Map.of("Content-Type", List.of(contentType)),
                Base64.getEncoder().encodeToString(content), true);
    }

    /** A response without a body, e.g. 204 or a redirect. */
    public static AlbResponse empty(int statusCode) {
        return new AlbResponse(statusCode, Map.of(), "", false);
    }

    /**
     * The library's own error responses (malformed event, unknown route, failing handler): a small JSON
     * document that carries the Lambda request id, so a client's report can be matched to the log line.
     */
    public static AlbResponse error(int statusCode, String message, String requestId) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("status", statusCode);
        document.put("error", StatusDescription.reasonPhrase(statusCode));
        document.put("message", message);
        document.put("requestId", requestId);
        return json(statusCode, document);
    }

    /** This response with one more value for the header (added after any it already has). */
    public AlbResponse withHeader(String name, String value) {
        Map<String, List<String>> more = new LinkedHashMap<>(headers);
        more.merge(name, List.of(value), (old, added) -> {
            List<String> both = new ArrayList<>(old);
            both.addAll(added);
            return both;
        });
        return new AlbResponse(statusCode, more, body, base64Encoded);
    }

    /** The body bytes as the client will receive them. */
    public byte[] bodyBytes() {
        return base64Encoded ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> copyOf(Map<String, List<String>> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        // LinkedHashMap rather than Map.copyOf: the order headers were added is the order they are sent.
        Map<String, List<String>> copy = new LinkedHashMap<>(headers.size() * 2);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
