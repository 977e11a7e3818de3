package io.atelier.gateway.http;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's HTTP endpoints, served by a real gateway on a free loopback port. */
@Timeout(60)
class HttpApiTest {

  @TempDir Path dir;
  private TestGateway gw;
  private final FakeKpiEngine engine = new FakeKpiEngine();

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.start(dir, TestGateway.CONFIG, Map.of(), engine::plugInto);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  private JsonObject body(String path) throws Exception {
    HttpResponse<String> r = gw.get(path, ADMIN);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  void healthAndReadyNeedNoToken() throws Exception {
    HttpResponse<String> r = gw.get("/health", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("UP");
    HttpResponse<String> ready = gw.get("/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("DEGRADED");
    JsonObject components = body.getJsonObject("components");
    assertThat(components.getJsonObject("pipeline").getString("status")).isEqualTo("UP");
    assertThat(
            components.getJsonObject("connections").getJsonObject("sim-opcua").getString("status"))
        .isEqualTo("DISCONNECTED");
  }

  @Test
  void listsMachinesWithTheirConnectionStatus() throws Exception {
    HttpResponse<String> r = gw.get("/api/machines", ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonArray machines = new JsonObject(r.body()).getJsonArray("machines");
    assertThat(machines).hasSize(3);
    JsonObject cnc = machines.getJsonObject(0);
    assertThat(cnc.getString("id")).isEqualTo("cnc-01");
    assertThat(cnc.getString("path")).isEqualTo("platform/hall-a/machining/cnc-01");
    assertThat(cnc.getString("connection")).isEqualTo("sim-opcua");
    assertThat(cnc.getString("status")).isEqualTo("DISCONNECTED");
    assertThat(cnc.getJsonArray("signals")).containsExactly("spindle_speed", "good_count");
    assertThat(cnc.getValue("lastSampleTime")).isNull();
    assertThat(body("/api/machines/imm-01").getString("line")).isEqualTo("moulding");
  }

  @Test
  void showsTheLastValueOfEachSignal() throws Exception {
    Instant t1 = Instant.parse("2026-01-01T10:00:00Z");
    Instant t2 = Instant.parse("2026-01-01T10:00:01Z");
    gw.push(Sample.good("cnc-01", "spindle_speed", 1200.5, t1));
    gw.push(Sample.good("cnc-01", "spindle_speed", 1300.0, t2));
    // A late sample must not hide the fresher one.
    gw.push(Sample.good("cnc-01", "spindle_speed", 999.0, t1));
    gw.push(Sample.good("cnc-01", "good_count", 42L, t2));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonArray signals = body("/api/machines/cnc-01/signals").getJsonArray("signals");
              assertThat(signals.getJsonObject(0).getString("name")).isEqualTo("spindle_speed");
              assertThat(signals.getJsonObject(0).getDouble("value")).isEqualTo(1300.0);
              assertThat(signals.getJsonObject(0).getString("sourceTime")).isEqualTo(t2.toString());
              assertThat(signals.getJsonObject(1).getLong("value")).isEqualTo(42L);
              assertThat(signals.getJsonObject(1).getString("quality")).isEqualTo("GOOD");
            });
    JsonObject cnc = body("/api/machines/cnc-01");
    assertThat(cnc.getString("lastSampleTime")).isNotNull();
    assertThat(cnc.getLong("samples")).isEqualTo(4);
  }

  @Test
  void unknownMachinesAndEndpointsGetAJsonError() throws Exception {
    HttpResponse<String> r = gw.get("/api/machines/nope/signals", ADMIN);
    assertThat(r.statusCode()).isEqualTo(404);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo("not-found");
    assertThat(body.getString("detail")).contains("nope");
    HttpResponse<String> nothing = gw.get("/api/nothing-here", ADMIN);
    assertThat(nothing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(nothing.body()).getString("error")).isEqualTo("not-found");
    HttpResponse<String> wrongMethod = gw.send("PATCH", "/api/machines", ADMIN, "{}", Map.of());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(new JsonObject(wrongMethod.body()).getString("error"))
        .isEqualTo("method-not-allowed");
  }

  @Test
  void listsLinesAndConnections() throws Exception {
    JsonArray lines = body("/api/lines").getJsonArray("lines");
    assertThat(lines).hasSize(2);
    assertThat(lines.getJsonObject(0).getString("path")).isEqualTo("platform/hall-a/machining");
    assertThat(lines.getJsonObject(0).getJsonArray("machines"))
        .containsExactly("cnc-01", "robot-01");
    JsonObject line = body("/api/lines/platform/hall-a/moulding");
    assertThat(line.getJsonArray("machines")).containsExactly("imm-01");
    assertThat(gw.get("/api/lines/platform/hall-a/nowhere", ADMIN).statusCode()).isEqualTo(404);

    JsonArray conns = body("/api/connections").getJsonArray("connections");
    assertThat(conns).hasSize(1);
    assertThat(conns.getJsonObject(0).getString("status")).isEqualTo("DISCONNECTED");
    assertThat(body("/api/connections/sim-opcua").getJsonArray("machines")).hasSize(3);
    assertThat(
            body("/api/connections/sim-opcua")
                .getJsonObject("counters")
                .getLong("messages-received"))
        .isEqualTo(7L);
    assertThat(gw.get("/api/connections/nope", ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void showsTheCallersOwnToken() throws Exception {
    JsonObject me = body("/api/me");
    assertThat(me.getString("name")).isEqualTo("platform-admin");
    assertThat(me.getString("role")).isEqualTo("admin");
    assertThat(me.getJsonObject("scope").getBoolean("all")).isTrue();
  }

  @Test
  void answersKpisStatesAndDowntimeFromTheEngine() throws Exception {
    assertThat(body("/api/kpis/windows").getJsonArray("windows"))
        .containsExactly("1h", "15m", "8h");
    JsonObject kpis = body("/api/machines/cnc-01/kpis?window=15m");
    assertThat(kpis.getString("window")).isEqualTo("15m");
    assertThat(kpis.getJsonObject("kpis").getDouble("oee")).isEqualTo(0.5);
    assertThat(body("/api/machines/cnc-01/kpis").getString("window")).isEqualTo("1h");
    HttpResponse<String> badWindow = gw.get("/api/machines/cnc-01/kpis?window=2d", ADMIN);
    assertThat(badWindow.statusCode()).isEqualTo(400);
    assertThat(body("/api/machines/cnc-01/state").getJsonObject("state").getString("state"))
        .isEqualTo("PRODUCING");
    assertThat(body("/api/machines/cnc-01/downtime").getJsonArray("reasons")).hasSize(1);
    assertThat(body("/api/lines/platform/hall-a/machining/kpis").getString("line"))
        .isEqualTo("platform/hall-a/machining");
    JsonObject all = body("/api/kpis");
    assertThat(all.getJsonArray("machines")).hasSize(3);
    assertThat(all.getJsonArray("lines")).hasSize(2);
  }

  @Test
  void kpiRoutesAnswer503WithoutAnEngine() throws Exception {
    gw.app().http().useKpis(KpiQueries.NONE);
    gw.app().http().useSessions(TrainingSessions.NONE);
    gw.app().http().useCertificates(CertificateTrust.NONE);
    for (String path :
        new String[] {
          "/api/kpis",
          "/api/machines/cnc-01/kpis",
          "/api/sessions",
          "/api/connections/sim-opcua/certificates"
        }) {
      HttpResponse<String> r = gw.get(path, ADMIN);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("unavailable");
    }
  }

  @Test
  void startsAndStopsTrainingSessionsAndTrustsCertificates() throws Exception {
    HttpResponse<String> started =
        gw.send(
            "POST",
            "/api/sessions",
            TestGateway.OPERATOR,
            "{\"name\":\"group C\",\"machines\":[\"cnc-01\"]}",
            Map.of());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String id = new JsonObject(started.body()).getString("id");
    assertThat(new JsonObject(started.body()).getString("startedBy")).isEqualTo("trainer");
    HttpResponse<String> stopped =
        gw.send("POST", "/api/sessions/" + id + "/stop", TestGateway.OPERATOR, null, Map.of());
    assertThat(stopped.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(stopped.body()).getBoolean("running")).isFalse();

    JsonArray certs = body("/api/connections/sim-opcua/certificates").getJsonArray("certificates");
    assertThat(certs.getJsonObject(0).getString("status")).isEqualTo("rejected");
    HttpResponse<String> trusted =
        gw.send(
            "POST",
            "/api/connections/sim-opcua/certificates/" + FakeKpiEngine.THUMBPRINT + "/trust",
            ADMIN,
            null,
            Map.of());
    assertThat(trusted.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(trusted.body()).getString("status")).isEqualTo("trusted");
  }
}
