package io.lambdaingress.handler;

import java.util.Map;

/**
 * The NLB in front of the ALB health-checks through it, so its checks arrive as ordinary ALB events for
 * this path. They are answered 200 before routing, without decoding the rest of the event and without
 * reaching user code: a function whose routes know nothing of health checks still keeps the chain healthy.
 *
 * @param path the path the NLB target group checks; the operator passes it as {@value #ENVIRONMENT_VARIABLE}
 */
public record HealthCheck(String path) {

    public static final String ENVIRONMENT_VARIABLE = "LAMBDA_INGRESS_HEALTH_PATH";
    public static final String DEFAULT_PATH = "/healthz";

    public HealthCheck {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("the health check path must start with '/', was " + path);
        }
    }

    /** The path from {@value #ENVIRONMENT_VARIABLE}, or {@value #DEFAULT_PATH} when it is unset or blank. */
    public static HealthCheck fromEnvironment(Map<String, String> environment) {
        String path = environment.get(ENVIRONMENT_VARIABLE);
        return new HealthCheck(path == null || path.isBlank() ? DEFAULT_PATH : path.strip());
    }

    /** Whether the request is a health check: GET or HEAD of the health path (ELB health checks use GET). */
    public boolean matches(String method, String requestPath) {
        return path.equals(requestPath) && ("GET".equals(method) || "HEAD".equals(method));
    }

    AlbResponse response() {
        return AlbResponse.text(200, "ok").withHeader("Cache-Control", "no-store");
    }
}
