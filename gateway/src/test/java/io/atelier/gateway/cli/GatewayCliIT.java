package io.atelier.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.gateway.testing.AtelierJar;
import io.atelier.testsupport.FreePort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar, run as a user runs it: {@code java -jar gateway/target/atelier.jar}. */
@Timeout(120)
class GatewayCliIT {

  private static final String EXAMPLE = AtelierJar.EXAMPLE_CONFIG.toAbsolutePath().toString();

  @TempDir Path dir;
  private AtelierJar jar;

  @BeforeEach
  void setUp() {
    jar = new AtelierJar(dir);
  }

  @AfterEach
  void killLeftovers() {
    jar.close();
  }

  @Test
  void checkConfigListsEveryProblemWithItsPathAndExitsTwo() throws Exception {
    Path broken = Path.of("src/test/resources/config/broken.yaml").toAbsolutePath();
    Process p = jar.start(Map.of(), "check-config", "--config", broken.toString());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = jar.output();
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
    Process p = jar.start(Map.of(), "check-config", "--config", EXAMPLE);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = jar.output();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains(": OK").contains("6 machine(s)");
  }

  /**
   * The example config names machines whose servers are not running here: the gateway must still
   * start, list them as DISCONNECTED, and stop promptly on SIGTERM.
   */
  @Test
  void runStartsWithAbsentServersAndStopsWithinFiveSecondsOfSigterm() throws Exception {
    int http = FreePort.pick();
    // Nothing listens on these ports: the servers are absent.
    Map<String, String> env =
        Map.of(
            "ATELIER_DATA_DIR", dir.resolve("data").toString(),
            "ATELIER_OPCUA_URL", "opc.tcp://127.0.0.1:" + FreePort.pick() + "/atelier",
            "ATELIER_MQTT_URL", "tcp://127.0.0.1:" + FreePort.pick());
    Process p = jar.start(env, "run", "--config", EXAMPLE, "--http-port", Integer.toString(http));
    String base = "http://127.0.0.1:" + http;
    await()
        .atMost(Duration.ofSeconds(45))
        .ignoreExceptions()
        .until(() -> jar.get(base + "/health").statusCode() == 200);

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonArray machines =
                  new JsonObject(jar.get(base + "/api/machines").body()).getJsonArray("machines");
              assertThat(machines).hasSize(6);
              for (int i = 0; i < machines.size(); i++) {
                assertThat(machines.getJsonObject(i).getString("status"))
                    .as(machines.getJsonObject(i).getString("id"))
                    .isEqualTo("DISCONNECTED");
              }
            });
    HttpResponse<String> ready = jar.get(base + "/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("DEGRADED");

    p.destroy(); // SIGTERM
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("stopped within 5 s of SIGTERM").isTrue();
    assertThat(jar.output()).contains("Atelier stopped");
  }
}
