package io.lambdaingress.handler;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the ALB delivered it, already decoded: query parameters percent-decoded, headers
 * case-insensitive, the body base64-decoded when the ALB had encoded it.
 *
 * @param method         the HTTP method, e.g. {@code GET}
 * @param path           the request path as the client sent it, e.g. {@code /lambda}
 * @param query          decoded query parameters; a name the client repeated has several values
 * @param headers        request headers
 * @param body           the raw body bytes; empty when there is none. Records compare arrays by identity,
 *                       so compare {@link #bodyText()} or the bytes themselves, not two requests.
 * @param pathParameters values of {@code {name}} segments of the route that matched
 * @param form           the event form the ALB used, which the response must repeat
 */
public record AlbRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Headers headers,
        byte[] body,
        Map<String, String> pathParameters,
        EventForm form) {

    /** The first value of the query parameter (as servlet containers do), or null when absent. */
    public String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of the query parameter, in the order the client sent them; empty when absent. */
    public List<String> queryParameters(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** The first value of the header (case-insensitive name), or null when absent. */
    public String header(String name) {
        return headers.first(name);
    }

    /** The value of a {@code {name}} segment of the matched route, or null when the route has none. */
    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    AlbRequest withPathParameters(Map<String, String> parameters) {
        return parameters.isEmpty()
                ? this
                : new AlbRequest(method, path, query, headers, body, Map.copyOf(parameters), form);
    }
}
