package io.lambdaingress.bench.sjc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same function as io.lambdaingress.handler.sample.SampleFunction, in JAX-RS: GET /lambda answers the
 * query value and $ENV, and the health path answers 200. The JSON is written with the ObjectMapper that
 * aws-serverless-java-container loads anyway, rather than Jersey's Jackson feature, to keep its start-up
 * as light as the framework allows.
 */
@Path("/")
public class SampleResource {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @GET
    @Path("lambda")
    @Produces(MediaType.APPLICATION_JSON)
    public Response lambda(@QueryParam("query") String query) throws JsonProcessingException {
        if (query == null) {
            return Response.status(400).entity(MAPPER.writeValueAsString(Map.of("message", "the query parameter 'query' is required"))).build();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("query", query);
        answer.put("env", System.getenv("ENV"));
        return Response.ok(MAPPER.writeValueAsString(answer)).build();
    }

    @GET
    @Path("healthz")
    @Produces(MediaType.TEXT_PLAIN)
    public String health() {
        return "ok";
    }
}
