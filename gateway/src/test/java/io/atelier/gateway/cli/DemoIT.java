package io.atelier.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.gateway.testing.AtelierJar;
import io.atelier.testsupport.FreePort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, {@code java -jar gateway/target/atelier.jar demo}: embedded broker,
 * simulators and gateway on one machine, every machine connected and delivering data.
 */
@Timeout(180)
class DemoIT {

  @TempDir Path dir;
  private AtelierJar jar;

  @AfterEach
  void killLeftovers() {
    if (jar != null) {
      jar.close();
    }
  }

  @Test
  void demoConnectsEveryMachineAndStopsCleanly() throws Exception {
    jar = new AtelierJar(dir);
    List<Integer> ports = FreePort.pick(4);
    int http = ports.get(0);
    Process p =
        jar.start(
            Map.of(),
            "demo",
            "--http-port",
            ports.get(0).toString(),
            "--opcua-port",
            ports.get(1).toString(),
            "--mqtt-port",
            ports.get(2).toString(),
            "--control-port",
            ports.get(3).toString());
    String base = "http://127.0.0.1:" + http;
    // The issue asks for all of it within 20 s; the bound here leaves room for a loaded CI box.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonArray machines =
                  new JsonObject(jar.get(base + "/api/machines").body()).getJsonArray("machines");
              assertThat(machines).hasSize(6);
              for (int i = 0; i < machines.size(); i++) {
                JsonObject m = machines.getJsonObject(i);
                assertThat(m.getString("status")).as(m.getString("id")).isEqualTo("CONNECTED");
                assertThat(m.getLong("samples")).as(m.getString("id")).isPositive();
              }
            });
    JsonObject signals = new JsonObject(jar.get(base + "/api/machines/cnc-01/signals").body());
    assertThat(
            signals.getJsonArray("signals").stream().map(o -> ((JsonObject) o).getString("name")))
        .contains("state", "good_count", "spindle_speed");
    assertThat(jar.get("http://127.0.0.1:" + ports.get(3) + "/machines").statusCode())
        .isEqualTo(200);

    p.destroy(); // SIGTERM, as Ctrl-C
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("demo stopped").isTrue();
    assertThat(jar.output()).contains("Atelier stopped");
  }
}
