package io.lambdaingress.handler;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path: literal segments and {@code {name}} segments that match any one non-empty segment,
 * e.g. {@code /items/{id}}. Matching is exact otherwise: {@code /items/} is not {@code /items}.
 *
 * @param pattern  the pattern as written
 * @param segments the pattern split at '/'; a segment in braces is a parameter
 */
record PathPattern(String pattern, List<String> segments) {

    static PathPattern parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route path must start with '/', was " + pattern);
        }
        List<String> segments = List.of(pattern.substring(1).split("/", -1));
        for (String segment : segments) {
            if (isParameter(segment) && segment.length() == 2) {
                throw new IllegalArgumentException("empty parameter name in route " + pattern);
            }
        }
        return new PathPattern(pattern, segments);
    }

    boolean isLiteral() {
        return segments.stream().noneMatch(PathPattern::isParameter);
    }

    /** The parameter values when the path matches, decoded; null when it does not match. */
    Map<String, String> match(String path) {
        List<String> parts = split(path);
        if (parts.size() != segments.size()) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>(4);
        for (int i = 0; i < parts.size(); i++) {
            String segment = segments.get(i);
            String part = parts.get(i);
            if (isParameter(segment)) {
                if (part.isEmpty()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 1), decode(part));
            } else if (!segment.equals(part)) {
                return null;
            }
        }
        return parameters;
    }

    private static boolean isParameter(String segment) {
        return segment.length() >= 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>(8);
        int start = 1;
        for (int slash = path.indexOf('/', start); slash >= 0; slash = path.indexOf('/', start)) {
            parts.add(path.substring(start, slash));
            start = slash + 1;
        }
        parts.add(path.substring(start));
        return parts;
    }

    // A path segment is percent-encoded but, unlike a query, '+' in it is a plus sign, not a space.
    private static String decode(String part) {
        try {
            return part.indexOf('%') < 0 ? part : URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return part; // not valid percent-encoding: hand the segment over as the client sent it
        }
    }
}
