package io.atelier.gateway.http;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static io.atelier.gateway.http.TestGateway.OPERATOR;
import static io.atelier.gateway.http.TestGateway.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.testsupport.FreePort;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer panel's way into the simulator: the gateway passes trainer actions to the real
 * simulator's control API, but only for tokens whose role and scope allow them (the simulator's own
 * API has no authentication at all).
 */
@Timeout(120)
class SimulatorProxyTest {

  @TempDir Path dir;
  private TestSimulator sim;
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    sim = new TestSimulator(dir.resolve("sim"));
    gw =
        TestGateway.start(
            dir.resolve("gw"), TestSimulator.CONFIG, Map.of("SIM_URL", sim.url()), app -> {});
  }

  @AfterEach
  void stop() throws Exception {
    try {
      gw.close();
    } finally {
      sim.close();
    }
  }

  @Test
  void anOperatorInjectsAFaultIntoAMachineInScopeAndTheSimulatorAppliesIt() throws Exception {
    HttpResponse<String> r =
        gw.send(
            "POST",
            "/api/simulator/machines/cnc-01/fault",
            OPERATOR,
            "{\"duration\": \"30s\", \"reason\": \"tool-breakage\"}",
            Map.of());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject event = new JsonObject(r.body());
    assertThat(event.getString("action")).isEqualTo("fault");
    assertThat(event.getString("machine")).isEqualTo("cnc-01");
    assertThat(event.getString("outcome")).isEqualTo("applied");

    JsonObject machine = new JsonObject(direct("/machines/cnc-01"));
    assertThat(machine.getString("state")).isEqualTo("DOWN");
    assertThat(machine.getString("reason")).isEqualTo("tool-breakage");
  }

  @Test
  void actionsOutsideTheTokensRoleOrScopeNeverReachTheSimulator() throws Exception {
    // The operator sees the machining line only; imm-01 is on the moulding line.
    assertThat(post("/api/simulator/machines/imm-01/fault", OPERATOR, "{}").statusCode())
        .isEqualTo(403);
    // Firm A's viewer sees cnc-01 but may not act.
    assertThat(post("/api/simulator/machines/cnc-01/fault", VIEWER_A, "{}").statusCode())
        .isEqualTo(403);
    assertThat(post("/api/simulator/machines/cnc-01/fault", null, "{}").statusCode())
        .isEqualTo(401);
    assertThat(post("/api/simulator/machines/no-such/fault", ADMIN, "{}").statusCode())
        .isEqualTo(404);
    // Only trainer actions pass, not whatever the simulator's API offers.
    HttpResponse<String> unknown = post("/api/simulator/machines/cnc-01/explode", ADMIN, "{}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("fault, setup");
    // An endpoint serves every machine: scope all only.
    assertThat(post("/api/simulator/endpoints/mqtt/stop", OPERATOR, "{}").statusCode())
        .isEqualTo(403);

    assertThat(new JsonObject(direct("/events")).getJsonArray("events")).isEmpty();
  }

  @Test
  void theBodyCannotRedirectAnActionToAnotherMachine() throws Exception {
    HttpResponse<String> r =
        post("/api/simulator/machines/cnc-01/fault", OPERATOR, "{\"machine\": \"imm-01\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(direct("/machines/imm-01")).getString("state")).isNotEqualTo("DOWN");
    assertThat(new JsonObject(direct("/machines/cnc-01")).getString("state")).isEqualTo("DOWN");
  }

  @Test
  void theSimulatorsValidationErrorsComeBackAsTheSameErrors() throws Exception {
    HttpResponse<String> r = post("/api/simulator/machines/cnc-01/speed", ADMIN, "{\"speed\": 7}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(r.body());
    assertThat(error.getString("error")).isEqualTo("bad-request");
    assertThat(error.getString("detail")).contains("speed");
  }

  @Test
  void listsShowOnlyTheMachinesAndEventsInScope() throws Exception {
    assertThat(post("/api/simulator/machines/cnc-01/setup", ADMIN, "{}").statusCode())
        .isEqualTo(200);
    assertThat(post("/api/simulator/machines/imm-01/fault", ADMIN, "{}").statusCode())
        .isEqualTo(200);
    assertThat(post("/api/simulator/endpoints/mqtt/start", ADMIN, "{}").statusCode())
        .isEqualTo(200);

    assertThat(ids(gw.get("/api/simulator/machines", ADMIN), "machines", "id"))
        .contains("cnc-01", "imm-01", "conveyor-01");
    assertThat(ids(gw.get("/api/simulator/machines", VIEWER_A), "machines", "id"))
        .containsExactly("cnc-01");

    HttpResponse<String> all = gw.get("/api/simulator/events", ADMIN);
    assertThat(new JsonObject(all.body()).getJsonArray("events")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(ids(gw.get("/api/simulator/events", VIEWER_A), "events", "machine"))
        .containsExactly("cnc-01");
  }

  @Test
  void anUnreachableSimulatorIs502AndAMissingOneIs503(@TempDir Path other) throws Exception {
    String closed = "http://127.0.0.1:" + FreePort.pick();
    try (TestGateway unreachable =
        TestGateway.start(
            other.resolve("a"), TestSimulator.CONFIG, Map.of("SIM_URL", closed), app -> {})) {
      HttpResponse<String> r = unreachable.get("/api/simulator/machines", ADMIN);
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).contains("did not answer");
    }
    try (TestGateway none = TestGateway.start(other.resolve("b"))) {
      HttpResponse<String> r = none.get("/api/simulator/events", ADMIN);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("simulator.controlUrl");
    }
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return gw.send("POST", path, token, json, Map.of());
  }

  private static List<Object> ids(HttpResponse<String> r, String list, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonArray a = new JsonObject(r.body()).getJsonArray(list);
    return a.stream().map(o -> ((JsonObject) o).getValue(field)).toList();
  }

  private String direct(String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(sim.url() + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
