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
 * The targets of the top-level Dockerfile checked as text (dev/images.sh builds and HandlerImageIT and
 * OperatorImageIT run them; this test needs no container engine): the
 * stages exist, the handler's final stage is the Lambda Java base image with nothing but the function's jar,
 * and its CMD names a handler class that Lambda can instantiate; the operator's final stage is a JRE with
 * nothing but the operator's jar, run as a numeric non-root user; the .dockerignore lets in what the COPY
 * lines read and nothing else.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("..", "Dockerfile");
    private static final Path DOCKERIGNORE = Path.of("..", ".dockerignore");

    /**
     * One build stage: its FROM line's image and platform ({@code --platform=}, with the global ARGs' defaults; null
     * when the stage takes the build's), and the instructions after it (continuation lines joined).
     */
    private record Stage(String image, String platform, List<String> instructions) {
        List<String> named(String keyword) {
            return instructions.stream().filter(line -> line.startsWith(keyword + " ")).toList();
        }
    }

    private static Map<String, Stage> stages() throws IOException {
        Map<String, Stage> stages = new LinkedHashMap<>();
        // ARGs before the first FROM: the base images, whose defaults are what users build on.
        Map<String, String> globalArgs = new LinkedHashMap<>();
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
            if (current == null && instruction.startsWith("ARG ") && instruction.contains("=")) {
                String[] nameValue = instruction.substring("ARG ".length()).split("=", 2);
                globalArgs.put(nameValue[0], nameValue[1]);
                continue;
            }
            for (Map.Entry<String, String> arg : globalArgs.entrySet()) {
                instruction = instruction.replace("${" + arg.getKey() + "}", arg.getValue());
            }
            if (instruction.toUpperCase().startsWith("FROM ")) {
                // FROM [--platform=...] IMAGE [AS NAME]; other targets (the operator's) may use any form.
                List<String> words = java.util.Arrays.stream(instruction.split(" ")).filter(w -> !w.startsWith("--")).toList();
                String platform = java.util.Arrays.stream(instruction.split(" ")).filter(w -> w.startsWith("--platform="))
                        .map(w -> w.substring("--platform=".length())).findFirst().orElse(null);
                String name = words.size() == 4 && words.get(2).equalsIgnoreCase("AS") ? words.get(3) : "stage " + stages.size();
                current = new ArrayList<>();
                stages.put(name, new Stage(words.get(1), platform, current));
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

    /**
     * Lambda runs one architecture's image, never an index, and the operator's functions are x86_64 (it sets no
     * Architectures, Lambda's default): the handler target is linux/amd64 by default, whatever the build host is.
     */
    @Test
    void theHandlerTargetIsOneLinuxAmd64ImageByDefault() throws IOException {
        assertEquals("linux/amd64", stages().get("handler").platform());
        // The build stage and the JRE target follow the build: only the image Lambda pulls is pinned.
        assertEquals(null, stages().get("handler-build").platform());
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

    /** AWS's "alternative base image" route: a JRE, the function's jar and the runtime interface client. */
    @Test
    void theHandlerOnJreTargetRunsTheSameHandlerThroughTheRuntimeInterfaceClient() throws IOException {
        Stage handler = stages().get("handler-on-jre");
        assertTrue(handler != null, "a handler-on-jre target");
        assertEquals(stages().get("operator").image(), handler.image(), "the same JRE image as the operator's");
        assertEquals(List.of("COPY --from=handler-build /src/handler/target/sample-function.jar /src/handler/target/ric/ /function/"),
                handler.named("COPY"));
        assertEquals(List.of(), handler.named("RUN"), "nothing is installed or built in the final stage");
        assertEquals(List.of("ENTRYPOINT [\"java\", \"-cp\", \"/function/*\", \"com.amazonaws.services.lambda.runtime.api.client.AWSLambda\"]"),
                handler.named("ENTRYPOINT"));
        assertEquals(stages().get("handler").named("CMD"), handler.named("CMD"), "the same handler as on Lambda's base image");
    }

    @Test
    void theOperatorIsBuiltInItsOwnStage() throws IOException {
        Stage build = stages().get("operator-build");
        assertTrue(build != null, "an operator-build stage");
        assertTrue(build.image().startsWith("maven:") && build.image().contains("17"), build.image());
        assertTrue(build.named("RUN").stream().anyMatch(run -> run.contains("mvn") && run.contains("-pl operator")
                && run.contains("package")), build.instructions().toString());
    }

    @Test
    void theOperatorTargetIsAJreWithOnlyTheOperatorJarRunAsANonRootUid() throws IOException {
        Stage operator = stages().get("operator");
        assertTrue(operator != null, "an operator target");
        assertEquals("eclipse-temurin:17-jre", operator.image());
        // The jar the operator module's shade plugin writes (finalName in operator/pom.xml).
        String pom = Files.readString(Path.of("..", "operator", "pom.xml"));
        assertTrue(pom.contains("<finalName>lambda-ingress-operator</finalName>")
                && pom.contains("<mainClass>io.lambdaingress.operator.OperatorMain</mainClass>"), "operator/pom.xml shades OperatorMain");
        assertEquals(List.of("COPY --from=operator-build /src/operator/target/lambda-ingress-operator.jar /app/lambda-ingress-operator.jar"),
                operator.named("COPY"));
        assertEquals(List.of(), operator.named("RUN"), "nothing is installed or built in the final stage");
        assertEquals(List.of(), operator.named("ADD"));

        List<String> user = operator.named("USER");
        assertEquals(1, user.size(), operator.instructions().toString());
        String[] uidGid = user.get(0).substring("USER ".length()).split(":");
        assertTrue(uidGid[0].matches("[0-9]+") && Integer.parseInt(uidGid[0]) > 0,
                "a numeric uid other than 0, so that runAsNonRoot can be verified: " + user.get(0));
        // The chart runs the pod as the same uid.
        String values = Files.readString(Path.of("..", "helm", "lambda-ingress-operator", "values.yaml"));
        assertTrue(values.contains("runAsUser: " + uidGid[0]), "helm values runAsUser is the image's uid " + uidGid[0]);

        assertEquals(List.of("ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-XX:+ExitOnOutOfMemoryError\", \"-jar\", \"/app/lambda-ingress-operator.jar\"]"),
                operator.named("ENTRYPOINT"));
        assertEquals(List.of("EXPOSE 8080"), operator.named("EXPOSE"), "the chart's metrics and probe port");
    }

    @Test
    void noFinalStageCarriesBuildTools() throws IOException {
        Map<String, String> buildStageOf = Map.of("handler", "handler-build", "handler-on-jre", "handler-build",
                "operator", "operator-build");
        for (String target : buildStageOf.keySet()) {
            Stage stage = stages().get(target);
            String image = stage.image().toLowerCase();
            assertTrue(!image.contains("maven") && !image.contains("jdk") && !image.contains("gradle"), target + ": " + image);
            assertTrue(stage.named("COPY").stream().allMatch(copy -> copy.startsWith("COPY --from=" + buildStageOf.get(target) + " ")),
                    target + " copies only from its build stage: " + stage.named("COPY"));
        }
    }

    /** Every COPY from the build context reads a path that .dockerignore lets in; the rest of the tree stays out. */
    @Test
    void theDockerignoreLetsInExactlyWhatTheCopiesRead() throws IOException {
        List<String> rules = Files.readAllLines(DOCKERIGNORE).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", rules.get(0), "everything is ignored first, then what the build reads is let in");
        List<String> allowed = rules.stream().filter(r -> r.startsWith("!")).map(r -> r.substring(1)).toList();
        assertEquals(rules.size() - 1, allowed.size(), rules.toString());

        List<String> sources = new ArrayList<>();
        for (Stage stage : stages().values()) {
            for (String copy : stage.named("COPY")) {
                if (!copy.contains("--from=")) {
                    List<String> words = List.of(copy.split(" "));
                    sources.addAll(words.subList(1, words.size() - 1));
                }
            }
        }
        assertTrue(!sources.isEmpty(), "the COPY lines read from the context");
        for (String source : sources) {
            String path = source.replaceAll("/$", "");
            assertTrue(allowed.stream().anyMatch(a -> path.equals(a) || path.startsWith(a + "/") || a.startsWith(path + "/")),
                    source + " is read by a COPY but ignored by .dockerignore " + allowed);
        }
        for (String a : allowed) {
            assertTrue(sources.stream().map(s -> s.replaceAll("/$", "")).anyMatch(s -> a.equals(s) || a.startsWith(s + "/")),
                    ".dockerignore lets in " + a + ", which no COPY reads");
            assertTrue(!a.contains("target") && !a.contains("*"), "no build output or wildcard in the context: " + a);
        }
    }
}
