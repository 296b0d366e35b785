package io.lambdaingress.handler;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;

/**
 * The two shapes of ALB target-group events. A target group with {@code lambda.multi_value_headers.enabled}
 * sends {@code multiValueHeaders}/{@code multiValueQueryStringParameters} and accepts only
 * {@code multiValueHeaders} in the response; otherwise it is {@code headers} both ways. Answering in the
 * other form makes the ALB drop the headers, so the response always mirrors the request.
 */
public enum EventForm {
    SINGLE_VALUE,
    MULTI_VALUE;

    static EventForm of(ApplicationLoadBalancerRequestEvent event) {
        return event.getMultiValueHeaders() != null || event.getMultiValueQueryStringParameters() != null
                ? MULTI_VALUE
                : SINGLE_VALUE;
    }
}
