# syntax=docker/dockerfile:1
# The project's images, one build target each:
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
