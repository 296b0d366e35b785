package io.lambdaingress.handler.sample;

import io.lambdaingress.handler.AlbHandler;
import io.lambdaingress.handler.AlbResponse;
import io.lambdaingress.handler.HealthCheck;
import io.lambdaingress.handler.RouteHandler;
import io.lambdaingress.handler.Router;
import io.lambdaingress.handler.local.LocalCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference article's function: {@code GET /lambda?query=...} answers the query value and the
 * function's {@code ENV} variable. Health checks of {@code LAMBDA_INGRESS_HEALTH_PATH} are answered by
 * {@link AlbHandler}. Lambda handler: {@code io.lambdaingress.handler.sample.SampleFunction::handleRequest}.
 */
public class SampleFunction extends AlbHandler {

    public SampleFunction() {
        this(System.getenv());
    }

    public SampleFunction(Map<String, String> environment) {
        super(routes(environment), HealthCheck.fromEnvironment(environment));
    }

    public static Router routes(Map<String, String> environment) {
        return Router.builder().get("/lambda", lambda(environment)).build();
    }

    /** {@code GET /lambda}: {"query": the query parameter, "env": $ENV}; 400 without a query parameter. */
    public static RouteHandler lambda(Map<String, String> environment) {
        String env = environment.get("ENV");
        return request -> {
            String query = request.queryParameter("query");
            if (query == null) {
                return AlbResponse.json(400, Map.of("message", "the query parameter 'query' is required"));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("query", query);
            answer.put("env", env);
            return AlbResponse.json(200, answer);
        };
    }

    /** {@code invoke EVENT.json} or {@code serve --port N}: see {@link LocalCommand}. */
    public static void main(String[] args) {
        int exitCode = LocalCommand.run(new SampleFunction(), args, System.in, System.out, System.err);
        System.exit(exitCode);
    }
}
