package io.lambdaingress.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final RouteHandler getItem = request -> AlbResponse.empty(200);
    private final RouteHandler putItem = request -> AlbResponse.empty(204);
    private final RouteHandler list = request -> AlbResponse.empty(200);

    private final Router router = Router.builder()
            .get("/items", list)
            .get("/items/{id}", getItem)
            .put("/items/{id}", putItem)
            .get("/items/{id}/parts/{part}", getItem)
            .build();

    @Test
    void literalAndPatternRoutesFindTheirHandler() {
        Router.Found found = assertInstanceOf(Router.Found.class, router.resolve("GET", "/items"));
        assertSame(list, found.handler());

        Router.Found item = assertInstanceOf(Router.Found.class, router.resolve("PUT", "/items/7"));
        assertSame(putItem, item.handler());
        assertEquals(Map.of("id", "7"), item.pathParameters());

        Router.Found part = assertInstanceOf(Router.Found.class, router.resolve("GET", "/items/7/parts/caf%C3%A9"));
        assertEquals(Map.of("id", "7", "part", "café"), part.pathParameters());
    }

    @Test
    void unknownPathsAreNotFound() {
        for (String path : List.of("/", "/item", "/items/", "/items/7/parts", "/items//parts/x", "/other/7")) {
            assertInstanceOf(Router.NotFound.class, router.resolve("GET", path), path);
        }
    }

    @Test
    void aKnownPathWithAnotherMethodListsTheAllowedOnesInRegistrationOrder() {
        Router.MethodNotAllowed notAllowed = assertInstanceOf(Router.MethodNotAllowed.class, router.resolve("DELETE", "/items/7"));
        assertEquals(List.of("GET", "PUT"), List.copyOf(notAllowed.allowed()));
    }

    @Test
    void mistakesInTheRouteTableFailAtRegistration() {
        assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/a", list).get("/a", list));
        assertThrows(IllegalArgumentException.class, () -> Router.builder().get("no-slash", list));
        assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/items/{}", list));
        assertThrows(NullPointerException.class, () -> Router.builder().get("/a", null));
    }
}
