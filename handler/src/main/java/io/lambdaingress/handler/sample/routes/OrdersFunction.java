package io.lambdaingress.handler.sample.routes;

import io.lambdaingress.handler.AlbHandler;
import io.lambdaingress.handler.AlbResponse;
import io.lambdaingress.handler.HealthCheck;
import io.lambdaingress.handler.Router;
import java.util.Map;

/**
 * The function of the route {@code orders} in examples/routes.yaml ({@code pathPatterns: ["/orders",
 * "/orders/*"]}, {@code methods: [GET, POST]}): the ALB's rule sends it only those requests, so its routes are
 * only those paths; the other functions of the object answer theirs. Lambda handler:
 * {@code io.lambdaingress.handler.sample.routes.OrdersFunction::handleRequest}.
 */
public class OrdersFunction extends AlbHandler {

    public OrdersFunction() {
        this(System.getenv());
    }

    public OrdersFunction(Map<String, String> environment) {
        super(Router.builder()
                .get("/orders", request -> AlbResponse.json(200, Map.of("orders", java.util.List.of())))
                .get("/orders/{id}", request -> AlbResponse.json(200, Map.of("id", request.pathParameter("id"))))
                .post("/orders", request -> AlbResponse.json(201, Map.of("created", request.bodyText())))
                .build(), HealthCheck.fromEnvironment(environment));
    }
}
