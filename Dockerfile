# syntax=docker/dockerfile:1
# The project's images, one build target each:
#   docker build --target operator -t lambda-ingress-operator .   the operator (helm/lambda-ingress-operator runs it)
#   docker build --target handler -t sample-function .     the sample Lambda function (docs/handler.md), linux/amd64
#   docker build --target handler-on-jre -t sample-function .   the same function on any JRE image (AWS's
#                                                          "alternative base image": a JRE + the runtime interface client)
# The base images are build arguments whose defaults are the public images; dev/images.sh builds both targets
# with podman on Debian stand-ins where no registry is reachable (--build-arg BUILD_IMAGE=... JRE_IMAGE=...).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG LAMBDA_IMAGE=public.ecr.aws/lambda/java:17
# The function image's one platform, that of the function's architecture: x86_64 (linux/amd64), which the operator's
# functions have (it sets no Architectures: Lambda's default). Lambda runs a single-architecture image only (no image
# index): pinned here, the handler target is that platform whatever the build host's is, an arm64 laptop's included
# (docs/handler.md). An adopted arm64 function: --build-arg FUNCTION_PLATFORM=linux/arm64.
ARG FUNCTION_PLATFORM=linux/amd64

# ---- handler: the reference article's sample function, as a Lambda container image -------------------

FROM ${BUILD_IMAGE} AS handler-build
WORKDIR /src
# The parent pom lists every module, so Maven needs each module's pom even to build only the handler.
# Poms first: the dependency layer is then rebuilt only when a pom changes, not on every source edit.
COPY pom.xml ./
COPY handler/pom.xml handler/
COPY operator/pom.xml operator/
RUN mvn -B -ntp -q -pl handler -am dependency:go-offline
COPY handler/src handler/src
RUN mvn -B -ntp -q -pl handler -am package -Dmaven.test.skip=true
# The runtime interface client and what it needs (provided scope in handler/pom.xml: never in the function's
# jar, which Lambda's own base image runs without it); only the handler-on-jre target copies them. Compile
# scope as well (here: compile + provided): the client needs all of aws-lambda-java-core, and the function's
# jar keeps only the classes the function itself reaches.
RUN mvn -B -ntp -q -pl handler dependency:copy-dependencies -DincludeScope=compile -DoutputDirectory=target/ric

# Only the function's (shaded) jar goes into the final image; the Lambda base image puts
# ${LAMBDA_TASK_ROOT}/lib/*.jar on the classpath and runs the handler named by CMD.
FROM --platform=${FUNCTION_PLATFORM} ${LAMBDA_IMAGE} AS handler
COPY --from=handler-build /src/handler/target/sample-function.jar ${LAMBDA_TASK_ROOT}/lib/
CMD ["io.lambdaingress.handler.sample.SampleFunction::handleRequest"]

# The same function on any JRE image: AWS's runtime interface client (com.amazonaws.services.lambda.runtime.
# api.client.AWSLambda) speaks the Lambda Runtime API and runs the handler named by CMD. Lambda runs it as it
# runs the image above; locally, the Runtime Interface Emulator runs it (docs/handler.md).
FROM ${JRE_IMAGE} AS handler-on-jre
COPY --from=handler-build /src/handler/target/sample-function.jar /src/handler/target/ric/ /function/
USER 65532:65532
ENTRYPOINT ["java", "-cp", "/function/*", "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"]
CMD ["io.lambdaingress.handler.sample.SampleFunction::handleRequest"]

# ---- operator: the Kubernetes operator, run by the Helm chart's Deployment ------------------------------

FROM ${BUILD_IMAGE} AS operator-build
WORKDIR /src
# Poms first (every module's: the parent lists them all), so the dependency layer survives source edits.
COPY pom.xml ./
COPY handler/pom.xml handler/
COPY operator/pom.xml operator/
RUN mvn -B -ntp -q -pl operator -am dependency:go-offline
COPY operator/src/main operator/src/main
RUN mvn -B -ntp -q -pl operator -am package -Dmaven.test.skip=true

# A JRE and the shaded jar, nothing else: no JDK, no Maven, no sources. The numeric non-root user is the
# chart's runAsUser, so Kubernetes can verify runAsNonRoot without an /etc/passwd entry.
FROM ${JRE_IMAGE} AS operator
COPY --from=operator-build /src/operator/target/lambda-ingress-operator.jar /app/lambda-ingress-operator.jar
USER 65532:65532
# /metrics, /healthz, /readyz (LAMBDA_INGRESS_HTTP_PORT).
EXPOSE 8080
# The heap follows the container's memory limit; an OutOfMemoryError restarts the pod instead of limping on.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/lambda-ingress-operator.jar"]
