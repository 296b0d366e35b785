package io.lambdaingress.handler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Request headers, looked up case-insensitively as HTTP requires. The ALB already sends lower-case names,
 * but events written by hand or by other tools do not, so names are folded to lower case once here.
 *
 * @param byLowerCaseName every value of each header, in the order the event listed them
 */
public record Headers(Map<String, List<String>> byLowerCaseName) {

    private static final Headers EMPTY = new Headers(Map.of());

    public Headers {
        Map<String, List<String>> folded = new LinkedHashMap<>(Math.max(4, byLowerCaseName.size() * 2));
        byLowerCaseName.forEach((name, values) -> {
            if (name == null || values == null) {
                return;
            }
            // toLowerCase returns the same instance when the name is already lower case: no copy in the
            // common (ALB) case.
            folded.merge(name.toLowerCase(Locale.ROOT), withoutNulls(values), Headers::concat);
        });
        byLowerCaseName = Collections.unmodifiableMap(folded);
    }

    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from the single-value event form ({@code headers}): one value per name. */
    public static Headers ofSingleValues(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> multi = new LinkedHashMap<>(headers.size() * 2);
        headers.forEach((name, value) -> {
            if (value != null) {
                multi.put(name, List.of(value));
            }
        });
        return new Headers(multi);
    }

    /** Headers from the multi-value event form ({@code multiValueHeaders}). */
    public static Headers ofMultiValues(Map<String, List<String>> headers) {
        return headers == null || headers.isEmpty() ? EMPTY : new Headers(headers);
    }

    /** The first value of the header, or null when the request does not have it. */
    public String first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of the header, in the order the client sent them; empty when absent. */
    public List<String> all(String name) {
        List<String> values = byLowerCaseName.get(name.toLowerCase(Locale.ROOT));
        return values == null ? List.of() : values;
    }

    public boolean contains(String name) {
        return byLowerCaseName.containsKey(name.toLowerCase(Locale.ROOT));
    }

    // A JSON event may hold "name": [null]; List.copyOf would throw on it, and a null header value means
    // nothing, so it is dropped rather than turned into a malformed-event error.
    private static List<String> withoutNulls(List<String> values) {
        for (String value : values) { // not values.contains(null): immutable lists throw on that
            if (value == null) {
                return values.stream().filter(java.util.Objects::nonNull).toList();
            }
        }
        return List.copyOf(values);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var joined = new java.util.ArrayList<String>(a.size() + b.size());
        joined.addAll(a);
        joined.addAll(b);
        return List.copyOf(joined);
    }
}
