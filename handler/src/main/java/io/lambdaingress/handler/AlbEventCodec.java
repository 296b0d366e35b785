package io.lambdaingress.handler;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JSONObjectException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates between the ALB's JSON and the library's types, with jackson-jr binding the
 * aws-lambda-java-events beans. Lambda side: event → {@link AlbRequest}, {@link AlbResponse} → response
 * JSON. The local server uses the opposite directions to play the ALB.
 */
public final class AlbEventCodec {

    /** The ALB refuses (502) a Lambda response whose JSON exceeds 1 MB; taken as 2^20 bytes. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    // ALB events gain fields over time: ignore what we do not know instead of rejecting the request.
    private final JSON json = JSON.builder()
            .disable(JSON.Feature.FAIL_ON_UNKNOWN_BEAN_PROPERTY)
            .disable(JSON.Feature.WRITE_NULL_PROPERTIES)
            .build();

    /** Parses the invocation payload; a payload that is not an ALB event is a {@link MalformedEventException}. */
    public ApplicationLoadBalancerRequestEvent readEvent(byte[] payload) throws MalformedEventException {
        if (isBlank(payload)) {
            throw new MalformedEventException("the event is empty");
        }
        ApplicationLoadBalancerRequestEvent event;
        try {
            event = json.beanFrom(ApplicationLoadBalancerRequestEvent.class, payload);
        } catch (JSONObjectException e) {
            throw new MalformedEventException(shapeError(e), e);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("the event is not valid JSON" + at(e.getLocation()), e);
        } catch (IOException e) {
            throw new MalformedEventException("the event cannot be read: " + e.getMessage(), e);
        }
        if (event == null) {
            throw new MalformedEventException("the event is JSON null");
        }
        if (event.getHttpMethod() == null || event.getHttpMethod().isBlank()) {
            throw new MalformedEventException("the event has no httpMethod");
        }
        if (event.getPath() == null || !event.getPath().startsWith("/")) {
            throw new MalformedEventException("the event's path must start with '/', was " + quoted(event.getPath()));
        }
        return event;
    }

    /** Decodes what the ALB leaves encoded: query parameters (percent/+) and base64 bodies. */
    public AlbRequest toRequest(ApplicationLoadBalancerRequestEvent event) throws MalformedEventException {
        EventForm form = EventForm.of(event);
        Headers headers = form == EventForm.MULTI_VALUE
                ? Headers.ofMultiValues(event.getMultiValueHeaders())
                : Headers.ofSingleValues(event.getHeaders());
        return new AlbRequest(event.getHttpMethod(), event.getPath(), query(event), headers, body(event), Map.of(), form);
    }

    /** The ALB response JSON, with headers in the form of the request that it answers. */
    public byte[] writeResponse(AlbResponse response, EventForm form) {
        ApplicationLoadBalancerResponseEvent event = new ApplicationLoadBalancerResponseEvent();
        event.setStatusCode(response.statusCode());
        event.setStatusDescription(StatusDescription.of(response.statusCode()));
        event.setIsBase64Encoded(response.base64Encoded());
        if (form == EventForm.MULTI_VALUE) {
            event.setMultiValueHeaders(response.headers());
        } else {
            event.setHeaders(singleValued(response.headers()));
        }
        event.setBody(response.body());
        return write(event);
    }

    /** Serializes an event, as the ALB would send it (used by the local server and tests). */
    public byte[] writeEvent(ApplicationLoadBalancerRequestEvent event) {
        return write(event);
    }

    /** Parses a function's response JSON, as the ALB would (used by the local server and tests). */
    public ApplicationLoadBalancerResponseEvent readResponse(byte[] payload) throws IOException {
        return json.beanFrom(ApplicationLoadBalancerResponseEvent.class, payload);
    }

    private byte[] write(Object bean) {
        try {
            return json.asBytes(bean);
        } catch (IOException e) {
            // Only strings, maps and lists are written, so this would be a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> query(ApplicationLoadBalancerRequestEvent event)
            throws MalformedEventException {
        Map<String, List<String>> multi = event.getMultiValueQueryStringParameters();
        Map<String, String> single = event.getQueryStringParameters();
        if ((multi == null || multi.isEmpty()) && (single == null || single.isEmpty())) {
            return Map.of();
        }
        Map<String, List<String>> decoded = new LinkedHashMap<>();
        if (multi != null && !multi.isEmpty()) {
            for (Map.Entry<String, List<String>> entry : multi.entrySet()) {
                for (String value : entry.getValue() == null ? List.<String>of() : entry.getValue()) {
                    add(decoded, entry.getKey(), value);
                }
            }
        } else {
            for (Map.Entry<String, String> entry : single.entrySet()) {
                add(decoded, entry.getKey(), entry.getValue());
            }
        }
        return decoded;
    }

    private static void add(Map<String, List<String>> decoded, String name, String value)
            throws MalformedEventException {
        if (value == null) {
            return;
        }
        // Two encodings of one name (a and %61) are one parameter, so values are appended, not replaced.
        decoded.computeIfAbsent(decodeQuery(name), n -> new ArrayList<>(1)).add(decodeQuery(value));
    }

    // The ALB passes query strings on as the client sent them. Form decoding ('+' is a space, %XX are
    // UTF-8 bytes) is what browsers and curl --data-urlencode produce. Bytes that are not UTF-8 become
    // U+FFFD, as in browsers' URL parsing; only a broken %XX escape is an error.
    private static String decodeQuery(String text) throws MalformedEventException {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("the query string has invalid percent-encoding: " + quoted(text), e);
        }
    }

    private static byte[] body(ApplicationLoadBalancerRequestEvent event) throws MalformedEventException {
        String body = event.getBody();
        if (body == null || body.isEmpty()) {
            return new byte[0];
        }
        if (!event.getIsBase64Encoded()) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("isBase64Encoded is true but the body is not base64", e);
        }
    }

    // One value per name is all the single-value form can carry; several values become one
    // comma-separated list (RFC 9110 field-value semantics). Set-Cookie cannot be folded that way:
    // functions that send several cookies need the multi-value form.
    private static Map<String, String> singleValued(Map<String, List<String>> headers) {
        Map<String, String> single = new LinkedHashMap<>(Math.max(4, headers.size() * 2));
        headers.forEach((name, values) -> single.put(name, values.size() == 1 ? values.get(0) : String.join(", ", values)));
        return single;
    }

    // jackson-jr's own wording names its tokens and our classes; the position is what helps whoever
    // wrote the event.
    private static String shapeError(JSONObjectException e) {
        return "unexpected JSON value type" + at(e.getLocation());
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String quoted(String text) {
        return text == null ? "nothing" : "'" + text + "'";
    }

    private static boolean isBlank(byte[] payload) {
        for (byte b : payload) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
