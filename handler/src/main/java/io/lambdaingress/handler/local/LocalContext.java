package io.lambdaingress.handler.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Lambda {@link Context} for runs outside Lambda ({@code invoke}, {@code serve}, tests): a request id and
 * a logger that writes to the given stream (stderr for the commands, so stdout stays the response JSON).
 *
 * @param awsRequestId the request id reported in error responses and logs
 * @param functionName what {@link #getFunctionName()} answers
 * @param log          where {@link #getLogger()} writes
 */
public record LocalContext(String awsRequestId, String functionName, PrintStream log) implements Context {

    /** A context with a fresh random request id, as Lambda gives each invocation. */
    public static LocalContext fresh(String functionName, PrintStream log) {
        return new LocalContext(UUID.randomUUID().toString(), functionName, log);
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:local:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int getMemoryLimitInMB() {
        return (int) (Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                log.print(message);
                log.flush();
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
