package io.atelier.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.atelier.gateway.config.ConfigLoader;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.testsupport.Binaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml must be accepted by {@code docker-compose config} (Debian's docker-compose
 * 1.29, the Compose file format without a version) with the settings of .env.example, and must
 * refuse to run without its secrets. No Docker engine is needed: {@code config} only resolves the
 * file. The docker compose copy of the gateway configuration must not drift from the example.
 */
@Timeout(120)
class DockerComposeConfigTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE_FILE = REPO.resolve("docker-compose.yml");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** What docker-compose printed, and how it ended. */
  record Run(int exitCode, String stdout, String stderr) {}

  @Test
  void composeAcceptsTheFileWithTheSettingsOfEnvExample(@TempDir Path tmp) throws Exception {
    Path env = tmp.resolve(".env");
    Files.copy(REPO.resolve(".env.example"), env);
    Run run = compose(tmp, env);
    assertThat(run.exitCode()).as("docker-compose config: %s", run.stderr()).isZero();

    JsonNode services = YAML.readTree(run.stdout()).path("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).contains("influxdb", "mosquitto", "grafana", "simulator", "gateway");

    Properties example = new Properties();
    example.load(Files.newBufferedReader(env));
    JsonNode influx = services.path("influxdb");
    assertThat(influx.path("image").asText()).isEqualTo("influxdb:2.7");
    assertThat(influx.path("environment").path("DOCKER_INFLUXDB_INIT_ADMIN_TOKEN").asText())
        .isEqualTo(example.getProperty("INFLUX_TOKEN"));
    assertThat(influx.path("environment").path("DOCKER_INFLUXDB_INIT_ORG").asText())
        .isEqualTo("atelier");
    assertThat(services.path("mosquitto").path("image").asText()).isEqualTo("eclipse-mosquitto:2");
    assertThat(volumes(services.path("mosquitto")))
        .anyMatch(v -> v.startsWith(REPO.resolve("docker/mosquitto.conf") + ":"));
    assertThat(Files.readString(REPO.resolve("docker/mosquitto.conf")))
        .contains("listener 1883", "allow_anonymous true");

    // Grafana reads the provisioning and the dashboards where the provider files say.
    assertThat(volumes(services.path("grafana")))
        .contains(
            REPO.resolve("dashboards/grafana/provisioning") + ":/etc/grafana/provisioning:ro",
            REPO.resolve("dashboards/grafana/dashboards") + ":/etc/grafana/dashboards:ro");
    assertThat(
            services
                .path("grafana")
                .path("environment")
                .path("GF_SECURITY_ADMIN_PASSWORD")
                .asText())
        .isEqualTo(example.getProperty("GRAFANA_ADMIN_PASSWORD"));

    // The simulator and the gateway: one image from the Dockerfile, the expected ports.
    for (String service : List.of("simulator", "gateway")) {
      JsonNode build = services.path(service).path("build");
      assertThat(build.path("context").asText()).as(service).isEqualTo(REPO.toString());
      assertThat(build.path("dockerfile").asText()).as(service).isEqualTo("Dockerfile");
    }
    assertThat(services.path("gateway").path("ports").toString()).contains(":8080:8080");
    assertThat(services.path("simulator").path("ports").toString()).contains(":8081:8081");

    // Every ${VAR} without a default in the gateway's compose configuration is set for it.
    JsonNode gatewayEnv = services.path("gateway").path("environment");
    Matcher m =
        Pattern.compile("\\$\\{(\\w+)}")
            .matcher(Files.readString(REPO.resolve("docker/atelier.compose.yaml")));
    while (m.find()) {
      assertThat(gatewayEnv.has(m.group(1))).as("gateway environment has " + m.group(1)).isTrue();
    }
  }

  @Test
  void composeRefusesToRunWithoutTheSecretsAndSaysWhereToSetThem(@TempDir Path tmp)
      throws Exception {
    // Why: with no .env, a default token in the compose file would be a published secret.
    Path empty = Files.writeString(tmp.resolve("empty.env"), "");
    Run run = compose(tmp, empty);
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).contains(".env.example").containsPattern("INFLUX_|GRAFANA_");
    String composeText = Files.readString(COMPOSE_FILE);
    Properties example = new Properties();
    example.load(Files.newBufferedReader(REPO.resolve(".env.example")));
    for (String secret :
        List.of("INFLUX_TOKEN", "INFLUX_ADMIN_PASSWORD", "GRAFANA_ADMIN_PASSWORD")) {
      assertThat(composeText).contains("${" + secret + ":?");
      assertThat(composeText).doesNotContain(example.getProperty(secret));
    }
  }

  @Test
  void theComposeGatewayConfigurationIsValid() {
    GatewayConfig c =
        new ConfigLoader(
                ConnectorRegistry.load(), name -> name.equals("INFLUX_TOKEN") ? "t0ken" : null)
            .load(REPO.resolve("docker/atelier.compose.yaml"));
    assertThat(c.storage().influx()).isPresent();
    assertThat(c.machines()).hasSize(6);
  }

  @Test
  void theComposeGatewayConfigurationIsTheExampleWithAnInfluxDb() throws IOException {
    JsonNode example = YAML.readTree(REPO.resolve("config/atelier.example.yaml").toFile());
    JsonNode compose = YAML.readTree(REPO.resolve("docker/atelier.compose.yaml").toFile());
    for (String section : List.of("connections", "machines", "http", "pipeline")) {
      assertThat(compose.path(section)).as(section).isEqualTo(example.path(section));
    }
    JsonNode influx = compose.path("storage").path("influx");
    assertThat(influx.path("url").asText()).isEqualTo("${INFLUX_URL:-http://influxdb:8086}");
    assertThat(influx.path("api").asText()).isEqualTo("v2");
    assertThat(influx.path("token").asText()).isEqualTo("${INFLUX_TOKEN}");
    assertThat(Files.readString(REPO.resolve("Dockerfile")))
        .contains("FROM maven:3.9-eclipse-temurin-17 AS build")
        .contains("mvn -B -DskipTests package")
        .contains("FROM eclipse-temurin:17-jre")
        .contains("\"java\", \"-jar\", \"/app/atelier.jar\"");
  }

  private static List<String> volumes(JsonNode service) {
    List<String> out = new ArrayList<>();
    service.path("volumes").forEach(v -> out.add(v.asText()));
    return out;
  }

  /**
   * {@code docker-compose --env-file ENV -f docker-compose.yml config}, from the repository root.
   */
  private static Run compose(Path tmp, Path envFile) throws IOException, InterruptedException {
    Path binary = Binaries.require("docker-compose", "docker-compose");
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                binary.toString(),
                "--env-file",
                envFile.toString(),
                "-f",
                COMPOSE_FILE.toString(),
                "config")
            .directory(REPO.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // Only the env file may set the compose variables: not the shell the build runs in.
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.matches("(INFLUX|GRAFANA|ATELIER|SIMULATOR|MQTT|COMPOSE|DOCKER)_.*|GF_.*"));
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("docker-compose config did not finish within 60 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
