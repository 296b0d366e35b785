package io.lambdaingress.handler;

/** The invocation payload is not an ALB event the library can serve; the message says why (answered 400). */
public final class MalformedEventException extends Exception {
    public MalformedEventException(String reason) {
        super(reason);
    }

    public MalformedEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
