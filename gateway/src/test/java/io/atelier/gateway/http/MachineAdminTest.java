package io.atelier.gateway.http;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.http.machines.MachineOverlay;
import io.atelier.gateway.testing.TestConnectorFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machines added, replaced and removed through the API: validated like the file, restarted into
 * their connection, and still there after the gateway restarts.
 */
@Timeout(90)
class MachineAdminTest {

  private static final String PRESS =
      """
      {"id": "press-01", "path": "platform/hall-a/machining/press-01", "connection": "sim-opcua",
       "description": "press on trial", "metadata": {"firm": "firm-b"},
       "signals": [{"name": "state"}, {"name": "good_count", "address": "40001"}]}
      """;

  @TempDir Path dir;

  @Test
  void addedMachinesAreServedAndSurviveARestart() throws Exception {
    try (TestGateway gw = TestGateway.start(dir)) {
      String since = connectionSince(gw);
      HttpResponse<String> created = gw.send("POST", "/api/machines", ADMIN, PRESS, Map.of());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(created.headers().firstValue("location")).hasValue("/api/machines/press-01");
      JsonObject m = new JsonObject(created.body());
      assertThat(m.getString("line")).isEqualTo("machining");
      assertThat(m.getJsonArray("signals")).containsExactly("state", "good_count");
      // The connection was restarted with the new machine list: a new connector took over.
      await().atMost(Duration.ofSeconds(5)).until(() -> !connectionSince(gw).equals(since));
      assertThat(TestConnectorFactory.SINKS).containsKey("sim-opcua");
      gw.push(Sample.good("press-01", "good_count", 3L, Instant.now()));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  new JsonObject(gw.get("/api/machines/press-01", ADMIN).body()).getLong("samples")
                      == 1);
      assertThat(machineIds(gw)).containsExactly("cnc-01", "robot-01", "imm-01", "press-01");

      HttpResponse<String> again = gw.send("POST", "/api/machines", ADMIN, PRESS, Map.of());
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(new JsonObject(again.body()).getString("error")).isEqualTo("conflict");

      String replaced = PRESS.replace("press on trial", "press, second week");
      HttpResponse<String> put =
          gw.send("PUT", "/api/machines/press-01", ADMIN, replaced, Map.of());
      assertThat(put.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(put.body()).getString("description"))
          .isEqualTo("press, second week");

      assertThat(gw.send("DELETE", "/api/machines/robot-01", ADMIN, null, Map.of()).statusCode())
          .isEqualTo(204);
      assertThat(gw.get("/api/machines/robot-01", ADMIN).statusCode()).isEqualTo(404);
      assertThat(gw.send("DELETE", "/api/machines/robot-01", ADMIN, null, Map.of()).statusCode())
          .isEqualTo(404);
    }
    assertThat(dir.resolve(MachineOverlay.FILE)).exists();

    // Same configuration file, same data directory: the API's changes are applied again.
    try (TestGateway gw = TestGateway.start(dir)) {
      assertThat(machineIds(gw)).containsExactly("cnc-01", "imm-01", "press-01");
      assertThat(
              new JsonObject(gw.get("/api/machines/press-01", ADMIN).body())
                  .getString("description"))
          .isEqualTo("press, second week");
    }
  }

  @Test
  void anInvalidMachineIsRefusedWithEveryProblemAndChangesNothing() throws Exception {
    String bad =
        """
        {"id": "bad-01", "path": "platform/hall-a/cnc", "connection": "nowhere", "colour": "red",
         "signals": [{"name": "Spindle Speed"}, {"name": "x", "register": 4}]}
        """;
    try (TestGateway gw = TestGateway.start(dir)) {
      HttpResponse<String> r = gw.send("POST", "/api/machines", ADMIN, bad, Map.of());
      assertThat(r.statusCode()).isEqualTo(400);
      JsonObject body = new JsonObject(r.body());
      assertThat(body.getString("error")).isEqualTo("bad-request");
      List<String> problems = body.getJsonArray("problems").stream().map(Object::toString).toList();
      assertThat(String.join("\n", problems))
          .contains("machine.path")
          .contains("machine.connection")
          .contains("machine.colour: unknown key")
          .contains("machine.signals[0].name");
      // A path that another machine has, and a signal option the connector does not know.
      String clash =
          PRESS.replace("machining/press-01", "machining/cnc-01").replace("address", "register");
      HttpResponse<String> r2 = gw.send("POST", "/api/machines", ADMIN, clash, Map.of());
      assertThat(r2.statusCode()).isEqualTo(400);
      assertThat(r2.body()).contains("ISA-95 path").contains("register");

      String idMismatch = PRESS.replace("\"press-01\"", "\"other-01\"");
      assertThat(gw.send("PUT", "/api/machines/cnc-01", ADMIN, idMismatch, Map.of()).statusCode())
          .isEqualTo(400);
      assertThat(gw.send("POST", "/api/machines", ADMIN, "[1,2]", Map.of()).statusCode())
          .isEqualTo(400);
      assertThat(gw.send("POST", "/api/machines", ADMIN, "{nope", Map.of()).statusCode())
          .isEqualTo(400);
      assertThat(
              gw.send("POST", "/api/machines", ADMIN, null, Map.of("Content-Type", "text/plain"))
                  .statusCode())
          .isEqualTo(415);
      assertThat(machineIds(gw)).containsExactly("cnc-01", "robot-01", "imm-01");
    }
    assertThat(Files.exists(dir.resolve(MachineOverlay.FILE))).isFalse();
  }

  @Test
  void entriesAreTakenLiterallySoTheEnvironmentCannotBeRead() throws Exception {
    String sneaky = PRESS.replace("press on trial", "${ADMIN_TOKEN}");
    try (TestGateway gw = TestGateway.start(dir)) {
      HttpResponse<String> r = gw.send("POST", "/api/machines", ADMIN, sneaky, Map.of());
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(new JsonObject(r.body()).getString("description")).isEqualTo("${ADMIN_TOKEN}");
      assertThat(r.body()).doesNotContain(TestGateway.ADMIN);
    }
  }

  @Test
  void aScopedAdminPlacesMachinesOnlyInItsScope() throws Exception {
    String yaml =
        TestGateway.CONFIG.replace(
            "      - name: trainer\n",
            "      - name: firm-admin\n"
                + "        token: firm-admin-token-0123456789\n"
                + "        role: admin\n"
                + "        scope: {lines: [moulding]}\n"
                + "      - name: trainer\n");
    assertThat(yaml).contains("firm-admin");
    try (TestGateway gw = TestGateway.start(dir, yaml, Map.of(), app -> {})) {
      String token = "firm-admin-token-0123456789";
      assertThat(gw.send("POST", "/api/machines", token, PRESS, Map.of()).statusCode())
          .isEqualTo(403);
      String moulding = PRESS.replace("machining/press-01", "moulding/press-01");
      assertThat(gw.send("POST", "/api/machines", token, moulding, Map.of()).statusCode())
          .isEqualTo(201);
      assertThat(gw.send("DELETE", "/api/machines/cnc-01", token, null, Map.of()).statusCode())
          .isEqualTo(403);
    }
  }

  private static String connectionSince(TestGateway gw) throws Exception {
    return new JsonObject(gw.get("/api/connections/sim-opcua", ADMIN).body()).getString("since");
  }

  private static List<String> machineIds(TestGateway gw) throws Exception {
    JsonArray list = new JsonObject(gw.get("/api/machines", ADMIN).body()).getJsonArray("machines");
    return list.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
