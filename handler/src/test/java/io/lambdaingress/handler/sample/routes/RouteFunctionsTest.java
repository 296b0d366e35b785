package io.lambdaingress.handler.sample.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import io.lambdaingress.handler.AlbHandler;
import io.lambdaingress.handler.local.LocalContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two route functions of examples/routes.yaml, each answering the requests its ALB rule sends it. */
class RouteFunctionsTest {

    private final LocalContext context = new LocalContext("req-1", "test", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    private Map<String, Object> call(AlbHandler function, String method, String path, String body) throws Exception {
        String event = "{\"httpMethod\":\"" + method + "\",\"path\":\"" + path + "\",\"headers\":{\"host\":\"api.example.internal\"},"
                + "\"body\":\"" + body + "\",\"isBase64Encoded\":false}";
        return JSON.std.mapFrom(function.handle(event.getBytes(StandardCharsets.UTF_8), context));
    }

    @Test
    void ordersAnswersItsPaths() throws Exception {
        OrdersFunction orders = new OrdersFunction(Map.of());
        assertEquals(200, call(orders, "GET", "/orders", "").get("statusCode"));
        Map<String, Object> one = call(orders, "GET", "/orders/42", "");
        assertEquals(200, one.get("statusCode"));
        assertEquals(Map.of("id", "42"), JSON.std.mapFrom(one.get("body")));
        assertEquals(201, call(orders, "POST", "/orders", "x").get("statusCode"));
        assertEquals(404, call(orders, "GET", "/users/7", "").get("statusCode"), "not its route: the ALB never sends it");
    }

    @Test
    void usersAnswersItsPaths() throws Exception {
        UsersFunction users = new UsersFunction(Map.of());
        Map<String, Object> one = call(users, "GET", "/users/7", "");
        assertEquals(200, one.get("statusCode"));
        assertEquals(Map.of("user", "7"), JSON.std.mapFrom(one.get("body")));
        assertEquals(404, call(users, "GET", "/orders", "").get("statusCode"));
    }
}
