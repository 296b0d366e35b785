package io.lambdaingress.bench.sjc;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code java -jar sjc-sample-function.jar invoke EVENT.json}: what the Lambda runtime does for one
 * invocation (create the handler, pass it the event stream), printing the response JSON on stdout, so that
 * the cold-start script times the same steps as sample-function.jar's {@code invoke}.
 */
public final class Invoke {

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !"invoke".equals(args[0])) {
            System.err.println("usage: java -jar sjc-sample-function.jar invoke EVENT.json");
            System.exit(2);
        }
        try (InputStream event = Files.newInputStream(Path.of(args[1]))) {
            new StreamLambdaHandler().handleRequest(event, System.out, new LocalContext());
        }
        System.out.println();
        System.out.flush();
    }

    private static final class LocalContext implements Context {
        private final String requestId = UUID.randomUUID().toString();

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/sjc-sample"; }
        @Override public String getLogStreamName() { return "local"; }
        @Override public String getFunctionName() { return "sjc-sample"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:sjc-sample"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return Integer.MAX_VALUE; }
        @Override public int getMemoryLimitInMB() { return 512; }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.err.print(message); }
                @Override public void log(byte[] message) { System.err.write(message, 0, message.length); }
            };
        }
    }
}
