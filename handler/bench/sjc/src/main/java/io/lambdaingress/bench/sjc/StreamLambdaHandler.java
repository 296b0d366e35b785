package io.lambdaingress.bench.sjc;

import com.amazonaws.serverless.proxy.jersey.JerseyLambdaContainerHandler;
import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The handler as aws-serverless-java-container's Jersey sample writes it, with its start-up settings. */
public class StreamLambdaHandler implements RequestStreamHandler {

    private static final ResourceConfig APPLICATION = new ResourceConfig()
            .property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true)
            .property(ServerProperties.WADL_FEATURE_DISABLE, true)
            .property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true)
            .property(ServerProperties.BV_FEATURE_DISABLE, true)
            .property(ServerProperties.JSON_PROCESSING_FEATURE_DISABLE, true)
            .property(ServerProperties.MOXY_JSON_FEATURE_DISABLE, true)
            .register(SampleResource.class);

    private static final JerseyLambdaContainerHandler<AwsProxyRequest, AwsProxyResponse> HANDLER =
            JerseyLambdaContainerHandler.getAwsProxyHandler(APPLICATION);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HANDLER.proxyStream(input, output, context);
    }
}
