package io.lambdaingress.handler;

/** User code behind one route. It may throw: the handler answers 500 with the request id and logs it. */
@FunctionalInterface
public interface RouteHandler {
    AlbResponse handle(AlbRequest request) throws Exception;
}
