package io.atelier.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar, run as a user runs it: {@code java -jar gateway/target/atelier.jar}. */
@Timeout(120)
class GatewayCliIT {

  private static final Path JAR = Path.of(System.getProperty("atelier.jar", "target/atelier.jar"));
  private static final Path ROOT = Path.of(System.getProperty("atelier.root", ".."));
  private static final Path EXAMPLE = ROOT.resolve("config/atelier.example.yaml");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private String output() throws IOException {
    return Files.readString(dir.resolve("out.log"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void checkConfigListsEveryProblemWithItsPathAndExitsTwo() throws Exception {
    Path broken = Path.of("src/test/resources/config/broken.yaml").toAbsolutePath();
    Process p = start(Map.of(), "check-config", "--config", broken.toString());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = output();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains("http.colour: unknown key")
        .contains("machines[2].path: missing required field")
        .contains("http.port: expected a whole number (got: eighty)")
        .contains("connections[1].settings.url:")
        .contains("machines[1].id: duplicate machine id (got: cnc-01)");
  }

  @Test
  void checkConfigAcceptsTheExampleConfiguration() throws Exception {
    Process p = start(Map.of(), "check-config", "--config", EXAMPLE.toAbsolutePath().toString());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = output();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains(": OK").contains("6 machine(s)");
  }

  /**
   * The example config names machines whose servers are not running here: the gateway must still
   * start, list them as DISCONNECTED, and stop promptly on SIGTERM.
   */
  @Test
  void runStartsWithAbsentServersAndStopsWithinFiveSecondsOfSigterm() throws Exception {
    int http = freePort();
    // Nothing listens on these ports: the servers are absent.
    Map<String, String> env =
        Map.of(
            "ATELIER_DATA_DIR", dir.resolve("data").toString(),
            "ATELIER_OPCUA_URL", "opc.tcp://127.0.0.1:" + freePort() + "/atelier",
            "ATELIER_MQTT_URL", "tcp://127.0.0.1:" + freePort());
    Process p =
        start(
            env,
            "run",
            "--config",
            EXAMPLE.toAbsolutePath().toString(),
            "--http-port",
            Integer.toString(http));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI base = URI.create("http://127.0.0.1:" + http);
    await()
        .atMost(Duration.ofSeconds(45))
        .ignoreExceptions()
        .until(() -> get(client, base.resolve("/health")).statusCode() == 200);

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonArray machines =
                  new JsonObject(get(client, base.resolve("/api/machines")).body())
                      .getJsonArray("machines");
              assertThat(machines).hasSize(6);
              for (int i = 0; i < machines.size(); i++) {
                assertThat(machines.getJsonObject(i).getString("status"))
                    .as(machines.getJsonObject(i).getString("id"))
                    .isEqualTo("DISCONNECTED");
              }
            });
    HttpResponse<String> ready = get(client, base.resolve("/ready"));
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("DEGRADED");

    long t0 = System.nanoTime();
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("stopped within 5 s of SIGTERM").isTrue();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(output()).as("stopped after %d ms", ms).contains("Atelier stopped");
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
