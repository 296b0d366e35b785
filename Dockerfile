# syntax=docker/dockerfile:1
# The project's images, one build target each:
#   docker build --target operator -t lambda-ingress-operator .   the operator (helm/lambda-ingress-operator runs it)
#   docker build --target handler -t sample-function .     the sample Lambda function (docs/handler.md)

# ---- handler: the reference article's sample function, as a Lambda container image -------------------

FROM maven:3.9-eclipse-temurin-17 AS handler-build
WORKDIR /src
# The parent pom lists every module, so Maven needs each module's pom even to build only the handler.
# Poms first: the dependency layer is then rebuilt only when a pom changes, not on every source edit.
COPY pom.xml ./
COPY handler/pom.xml handler/
COPY operator/pom.xml operator/
RUN mvn -B -ntp -q -pl handler -am dependency:go-offline
COPY handler/src handler/src
RUN mvn -B -ntp -q -pl handler -am package -Dmaven.test.skip=true

# Only the function's (shaded) jar goes into the final image; the Lambda base image puts
# ${LAMBDA_TASK_ROOT}/lib/*.jar on the classpath and runs the handler named by CMD.
FROM public.ecr.aws/lambda/java:17 AS handler
COPY --from=handler-build /src/handler/target/sample-function.jar ${LAMBDA_TASK_ROOT}/lib/
CMD ["io.lambdaingress.handler.sample.SampleFunction::handleRequest"]

# ---- operator: the Kubernetes operator, run by the Helm chart's Deployment ------------------------------

FROM maven:3.9-eclipse-temurin-17 AS operator-build
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
FROM eclipse-temurin:17-jre AS operator
COPY --from=operator-build /src/operator/target/lambda-ingress-operator.jar /app/lambda-ingress-operator.jar
USER 65532:65532
# /metrics, /healthz, /readyz (LAMBDA_INGRESS_HTTP_PORT).
EXPOSE 8080
# The heap follows the container's memory limit; an OutOfMemoryError restarts the pod instead of limping on.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/lambda-ingress-operator.jar"]
