package io.lambdaingress.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine here, so the handler targets of the top-level Dockerfile are checked as text:
 * the stages exist, the final stage is the Lambda Java base image with nothing but the function's jar, and
 * its CMD names a handler class that Lambda can instantiate.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("..", "Dockerfile");

    /** One build stage: its FROM line's image and the instructions after it (continuation lines joined). */
    private record Stage(String image, List<String> instructions) {
        List<String> named(String keyword) {
            return instructions.stream().filter(line -> line.startsWith(keyword + " ")).toList();
        }
    }

    private static Map<String, Stage> stages() throws IOException {
        Map<String, Stage> stages = new LinkedHashMap<>();
        List<String> current = null;
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String instruction = pending.append(line).toString().replaceAll("\\s+", " ");
            pending.setLength(0);
            if (instruction.toUpperCase().startsWith("FROM ")) {
                // FROM [--platform=...] IMAGE [AS NAME]; other targets (the operator's) may use any form.
                List<String> words = java.util.Arrays.stream(instruction.split(" ")).filter(w -> !w.startsWith("--")).toList();
                String name = words.size() == 4 && words.get(2).equalsIgnoreCase("AS") ? words.get(3) : "stage " + stages.size();
                current = new ArrayList<>();
                stages.put(name, new Stage(words.get(1), current));
            } else if (current != null) {
                current.add(instruction);
            }
        }
        return stages;
    }

    @Test
    void theHandlerIsBuiltInItsOwnStage() throws IOException {
        Stage build = stages().get("handler-build");
        assertTrue(build != null, "a handler-build stage");
        assertTrue(build.image().startsWith("maven:") && build.image().contains("17"), build.image());
        assertTrue(build.named("RUN").stream().anyMatch(run -> run.contains("mvn") && run.contains("-pl handler")
                && run.contains("package")), build.instructions().toString());
    }

    @Test
    void theHandlerTargetIsTheLambdaJavaImageWithOnlyTheFunctionJar() throws IOException {
        Stage handler = stages().get("handler");
        assertTrue(handler != null, "a handler target");
        assertEquals("public.ecr.aws/lambda/java:17", handler.image());
        assertEquals(List.of(
                "COPY --from=handler-build /src/handler/target/sample-function.jar ${LAMBDA_TASK_ROOT}/lib/"),
                handler.named("COPY"));
        assertEquals(List.of(), handler.named("RUN"), "nothing is installed or built in the final stage");
        assertEquals(List.of(), handler.named("ADD"));
        assertEquals(2, handler.instructions().size(), handler.instructions().toString());
    }

    @Test
    void theHandlerCmdNamesAClassLambdaCanInstantiate() throws Exception {
        List<String> cmd = stages().get("handler").named("CMD");
        assertEquals(1, cmd.size());
        String handler = cmd.get(0).replaceAll("^CMD \\[\"(.*)\"]$", "$1");
        String className = handler.substring(0, handler.indexOf("::"));
        assertEquals("handleRequest", handler.substring(handler.indexOf("::") + 2));

        Class<?> type = Class.forName(className);
        assertTrue(RequestStreamHandler.class.isAssignableFrom(type), className + " is a RequestStreamHandler");
        assertTrue(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers()));
        assertTrue(type.getConstructor().newInstance() instanceof RequestStreamHandler);
    }
}
