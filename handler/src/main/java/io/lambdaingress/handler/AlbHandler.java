package io.lambdaingress.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * The Lambda entry point for a function behind an ALB target group. Subclass it with a public no-argument
 * constructor that passes the routes, and name the subclass as the function's handler:
 *
 * <pre>{@code
 * public class MyFunction extends AlbHandler {
 *     public MyFunction() {
 *         super(Router.builder().get("/hello", request -> AlbResponse.text(200, "hello")).build());
 *     }
 * }
 * }</pre>
 *
 * <p>Per event: a health check is answered 200 before anything else; a malformed event is answered 400
 * with the reason; otherwise the router picks the route (404/405 when none fits), the route's response is
 * encoded in the request's event form and, if it breaks the ALB's size limit, replaced by a 500 that says
 * so. Nothing the event or the user code does escapes as an exception to the Lambda runtime, because the
 * ALB would turn that into an anonymous 502.
 */
public class AlbHandler implements RequestStreamHandler {

    private final Router router;
    private final HealthCheck healthCheck;
    private final AlbEventCodec codec = new AlbEventCodec();
    // Health checks come every few seconds from every NLB node: answer them from bytes encoded once.
    private final Map<EventForm, byte[]> healthResponses = new EnumMap<>(EventForm.class);
    private final Map<EventForm, byte[]> healthHeadResponses = new EnumMap<>(EventForm.class);

    /** Routes, with the health check path taken from the function's environment. */
    protected AlbHandler(Router router) {
        this(router, HealthCheck.fromEnvironment(System.getenv()));
    }

    protected AlbHandler(Router router, HealthCheck healthCheck) {
        this.router = router;
        this.healthCheck = healthCheck;
        for (EventForm form : EventForm.values()) {
            healthResponses.put(form, codec.writeResponse(healthCheck.response(), form));
            healthHeadResponses.put(form, codec.writeResponse(withoutBody(healthCheck.response()), form));
        }
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(handle(input.readAllBytes(), context));
        output.flush();
    }

    /** One ALB event in, the ALB response JSON out. Never throws for bad events or failing user code. */
    public final byte[] handle(byte[] eventJson, Context context) {
        ApplicationLoadBalancerRequestEvent event;
        try {
            event = codec.readEvent(eventJson);
        } catch (MalformedEventException e) {
            return rejectMalformed(e, EventForm.SINGLE_VALUE, context);
        }
        EventForm form = EventForm.of(event);
        if (healthCheck.matches(event.getHttpMethod(), event.getPath())) {
            return ("HEAD".equals(event.getHttpMethod()) ? healthHeadResponses : healthResponses).get(form).clone();
        }
        AlbRequest request;
        try {
            request = codec.toRequest(event);
        } catch (MalformedEventException e) {
            return rejectMalformed(e, form, context);
        }
        AlbResponse response = dispatch(request, context);
        if ("HEAD".equals(request.method())) {
            response = withoutBody(response);
        }
        return encode(response, form, context);
    }

    private AlbResponse dispatch(AlbRequest request, Context context) {
        Router.Resolution resolution = router.resolve(request.method(), request.path());
        if (resolution instanceof Router.Found found) {
            return invoke(found, request, context);
        }
        if (resolution instanceof Router.MethodNotAllowed notAllowed) {
            return AlbResponse.error(405, request.method() + " is not allowed on " + request.path(), requestId(context))
                    .withHeader("Allow", String.join(", ", notAllowed.allowed()));
        }
        return AlbResponse.error(404, "no route for " + request.method() + " " + request.path(), requestId(context));
    }

    private AlbResponse invoke(Router.Found found, AlbRequest request, Context context) {
        try {
            AlbResponse response = found.handler().handle(request.withPathParameters(found.pathParameters()));
            if (response == null) {
                throw new IllegalStateException("the route returned no response");
            }
            return response;
        } catch (Exception e) {
            String id = requestId(context);
            log(context, "request " + id + ": " + request.method() + " " + request.path() + " failed\n" + stackTrace(e));
            return AlbResponse.error(500, "the function failed; see its log for request " + id, id);
        }
    }

    private byte[] encode(AlbResponse response, EventForm form, Context context) {
        byte[] json = codec.writeResponse(response, form);
        if (json.length <= AlbEventCodec.MAX_RESPONSE_BYTES) {
            return json;
        }
        String id = requestId(context);
        String message = "the response is " + json.length + " bytes of JSON; the ALB accepts at most "
                + AlbEventCodec.MAX_RESPONSE_BYTES + " (1 MB) from a Lambda function";
        log(context, "request " + id + ": " + message);
        return codec.writeResponse(AlbResponse.error(500, message, id), form);
    }

    private byte[] rejectMalformed(MalformedEventException e, EventForm form, Context context) {
        String id = requestId(context);
        log(context, "request " + id + ": malformed ALB event: " + e.getMessage());
        return codec.writeResponse(AlbResponse.error(400, "malformed ALB event: " + e.getMessage(), id), form);
    }

    private static AlbResponse withoutBody(AlbResponse response) {
        return new AlbResponse(response.statusCode(), response.headers(), "", false);
    }

    private static String requestId(Context context) {
        // Lambda always passes a context; a caller that has none (a test, a benchmark) still gets an id.
        return context != null && context.getAwsRequestId() != null ? context.getAwsRequestId() : UUID.randomUUID().toString();
    }

    private static void log(Context context, String message) {
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            logger.log(message + "\n");
        } else {
            System.err.println(message);
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
