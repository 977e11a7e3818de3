# Atelier: the gateway and the simulators in one image (one executable jar, several commands).
#
#   docker build -t atelier:local .
#   docker run --rm -p 8080:8080 atelier:local demo
#
# docker-compose.yml builds it and runs it twice: `simulate` and `run`.

# --- build: the whole Maven reactor, tests skipped (CI runs them) ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms first, so that the dependency download is a cached layer while only sources change.
# go-offline cannot resolve the reactor's own modules, hence "|| true": what it fetched is kept.
COPY pom.xml ./
COPY connectors/api/pom.xml connectors/api/
COPY connectors/opcua/pom.xml connectors/opcua/
COPY connectors/mqtt/pom.xml connectors/mqtt/
COPY test-support/pom.xml test-support/
COPY simulators/pom.xml simulators/
COPY dashboards/web/pom.xml dashboards/web/
COPY gateway/pom.xml gateway/
RUN mvn -B -q dependency:go-offline || true
COPY . .
RUN mvn -B -DskipTests package

# --- run: a JRE, the jar, a non-root user ---
FROM eclipse-temurin:17-jre
# curl for the compose health checks.
RUN if ! command -v curl >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system atelier \
 && useradd --system --gid atelier --home-dir /app --no-create-home atelier \
 && mkdir -p /app/config /data \
 && chown atelier:atelier /data
WORKDIR /app
COPY --from=build /src/gateway/target/atelier.jar /app/atelier.jar
COPY config/atelier.example.yaml /app/config/atelier.example.yaml
COPY docker/atelier.compose.yaml /app/config/atelier.yaml
USER atelier
# The JVM reads JAVA_TOOL_OPTIONS itself, so the exec-form entrypoint needs no shell.
ENV ATELIER_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME ["/data"]
# 8080 gateway HTTP (dashboard, API), 8081 simulator control API, 4840 simulator OPC UA.
EXPOSE 8080 8081 4840
ENTRYPOINT ["java", "-jar", "/app/atelier.jar"]
CMD ["run", "--config", "/app/config/atelier.yaml", "--http-port", "8080"]
