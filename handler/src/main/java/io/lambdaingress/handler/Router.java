package io.lambdaingress.handler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Method + path pattern → user function. An unknown path is a 404; a known path asked with another
 * method is a 405 that lists the allowed methods. Literal paths are found with one map lookup; only
 * patterns with {@code {name}} segments are tried in order.
 */
public final class Router {

    /** What the router decided for one request. */
    sealed interface Resolution permits Found, NotFound, MethodNotAllowed {
    }

    record Found(RouteHandler handler, Map<String, String> pathParameters) implements Resolution {
    }

    record NotFound() implements Resolution {
    }

    /** @param allowed the methods the path answers, in the order they were registered */
    record MethodNotAllowed(Set<String> allowed) implements Resolution {
    }

    private record PatternRoute(PathPattern pattern, Map<String, RouteHandler> byMethod) {
    }

    private static final NotFound NOT_FOUND = new NotFound();

    private final Map<String, Map<String, RouteHandler>> literal;
    private final List<PatternRoute> patterns;

    private Router(Map<String, Map<String, RouteHandler>> literal, List<PatternRoute> patterns) {
        this.literal = literal;
        this.patterns = patterns;
    }

    public static Builder builder() {
        return new Builder();
    }

    Resolution resolve(String method, String path) {
        Map<String, RouteHandler> byMethod = literal.get(path);
        if (byMethod != null) {
            return choose(byMethod, method, Map.of());
        }
        for (PatternRoute route : patterns) {
            Map<String, String> parameters = route.pattern().match(path);
            if (parameters != null) {
                return choose(route.byMethod(), method, parameters);
            }
        }
        return NOT_FOUND;
    }

    private static Resolution choose(Map<String, RouteHandler> byMethod, String method, Map<String, String> parameters) {
        RouteHandler handler = byMethod.get(method);
        return handler != null ? new Found(handler, parameters) : new MethodNotAllowed(byMethod.keySet());
    }

    public static final class Builder {
        // Keyed by pattern text so that GET and PUT of one path share an entry (and one Allow header).
        private final Map<String, Map<String, RouteHandler>> routes = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder get(String path, RouteHandler handler) {
            return route("GET", path, handler);
        }

        public Builder post(String path, RouteHandler handler) {
            return route("POST", path, handler);
        }

        public Builder put(String path, RouteHandler handler) {
            return route("PUT", path, handler);
        }

        public Builder patch(String path, RouteHandler handler) {
            return route("PATCH", path, handler);
        }

        public Builder delete(String path, RouteHandler handler) {
            return route("DELETE", path, handler);
        }

        /** A route for any method name, e.g. {@code OPTIONS}. A method + path may be registered once. */
        public Builder route(String method, String path, RouteHandler handler) {
            Objects.requireNonNull(handler, "handler");
            PathPattern.parse(path); // fail at registration, not at the first request
            Map<String, RouteHandler> byMethod = routes.computeIfAbsent(path, p -> new LinkedHashMap<>());
            if (byMethod.putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException("route " + method + " " + path + " is registered twice");
            }
            return this;
        }

        public Router build() {
            Map<String, Map<String, RouteHandler>> literal = new HashMap<>();
            List<PatternRoute> patterns = new ArrayList<>();
            routes.forEach((path, byMethod) -> {
                PathPattern pattern = PathPattern.parse(path);
                Map<String, RouteHandler> frozen = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byMethod));
                if (pattern.isLiteral()) {
                    literal.put(path, frozen);
                } else {
                    patterns.add(new PatternRoute(pattern, frozen));
                }
            });
            return new Router(Map.copyOf(literal), List.copyOf(patterns));
        }
    }
}
