package io.lambdaingress.handler.sample.routes;

import io.lambdaingress.handler.AlbHandler;
import io.lambdaingress.handler.AlbResponse;
import io.lambdaingress.handler.HealthCheck;
import io.lambdaingress.handler.Router;
import java.util.Map;

/**
 * The function of the route {@code users} in examples/routes.yaml ({@code hosts: [api.example.internal]},
 * {@code pathPatterns: ["/users*"]}). Lambda handler:
 * {@code io.lambdaingress.handler.sample.routes.UsersFunction::handleRequest}.
 */
public class UsersFunction extends AlbHandler {

    public UsersFunction() {
        this(System.getenv());
    }

    public UsersFunction(Map<String, String> environment) {
        super(Router.builder()
                .get("/users/{id}", request -> AlbResponse.json(200, Map.of("user", request.pathParameter("id"))))
                .build(), HealthCheck.fromEnvironment(environment));
    }
}
