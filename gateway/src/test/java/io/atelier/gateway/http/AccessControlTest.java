package io.atelier.gateway.http;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static io.atelier.gateway.http.TestGateway.MACHINES_B;
import static io.atelier.gateway.http.TestGateway.MACHINE_A;
import static io.atelier.gateway.http.TestGateway.OPERATOR;
import static io.atelier.gateway.http.TestGateway.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Who may do what, against a real gateway: tokens, roles, scopes (firm A sees cnc-01 only), and the
 * hardening around them (audit log, security headers, CORS).
 */
@Timeout(60)
class AccessControlTest {

  @TempDir Path dir;
  private TestGateway gw;
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).addAppender(audit);
    audit.start();
    FakeKpiEngine engine = new FakeKpiEngine();
    gw = TestGateway.start(dir, TestGateway.CONFIG, Map.of(), engine::plugInto);
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).detachAppender(audit);
  }

  private List<String> auditLines() {
    return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void noTokenOrAWrongTokenGets401AndIsAudited() throws Exception {
    for (String path : List.of("/api/machines", "/api/machines/cnc-01", "/metrics", "/api/live")) {
      HttpResponse<String> r = gw.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("unauthorized");
      assertThat(r.headers().firstValue("www-authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
    String wrong = "not-a-real-token-but-long-enough";
    HttpResponse<String> r = gw.get("/api/machines", wrong);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(
            gw.send("GET", "/api/machines", null, null, Map.of("Authorization", "Basic eDp5"))
                .statusCode())
        .isEqualTo(401);
    assertThat(auditLines())
        .anyMatch(l -> l.startsWith("auth-failure") && l.contains("/api/machines"));
    // The audit log names the failure, never the secret that was tried.
    assertThat(String.join("\n", auditLines())).doesNotContain(wrong);
  }

  @Test
  void healthEndpointsAndTheApiDocumentAreOpen() throws Exception {
    assertThat(gw.get("/health", null).statusCode()).isEqualTo(200);
    assertThat(gw.get("/ready", null).statusCode()).isEqualTo(200);
    assertThat(gw.get("/api/openapi.yaml", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aScopedViewerGets403ForOtherMachines() throws Exception {
    assertThat(gw.get("/api/machines/" + MACHINE_A, VIEWER_A).statusCode()).isEqualTo(200);
    for (String b : MACHINES_B) {
      for (String suffix : List.of("", "/signals", "/kpis", "/state", "/downtime")) {
        HttpResponse<String> r = gw.get("/api/machines/" + b + suffix, VIEWER_A);
        assertThat(r.statusCode()).as(b + suffix).isEqualTo(403);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("forbidden");
      }
    }
    // Machine A's line holds B too: the line is listed but line-wide KPIs are not shown.
    assertThat(gw.get("/api/lines/platform/hall-a/machining/kpis", VIEWER_A).statusCode())
        .isEqualTo(403);
    assertThat(gw.get("/api/lines/platform/hall-a/moulding", VIEWER_A).statusCode()).isEqualTo(403);
    assertThat(gw.get("/api/sessions/s-2", VIEWER_A).statusCode()).isEqualTo(403);
    assertThat(auditLines()).anyMatch(l -> l.startsWith("forbidden token=firm-a"));
  }

  @Test
  void aScopedViewerNeverSeesOtherMachinesInLists() throws Exception {
    String all =
        String.join(
            "\n",
            gw.get("/api/machines", VIEWER_A).body(),
            gw.get("/api/lines", VIEWER_A).body(),
            gw.get("/api/kpis", VIEWER_A).body(),
            gw.get("/api/connections", VIEWER_A).body(),
            gw.get("/api/sessions", VIEWER_A).body(),
            gw.get("/api/lines/platform/hall-a/machining", VIEWER_A).body());
    assertThat(all).contains(MACHINE_A);
    for (String b : MACHINES_B) {
      assertThat(all).doesNotContain(b);
    }
    JsonObject kpis = new JsonObject(gw.get("/api/kpis", VIEWER_A).body());
    assertThat(kpis.getJsonArray("machines")).hasSize(1);
    assertThat(kpis.getJsonArray("lines")).isEmpty();
    JsonArray sessions =
        new JsonObject(gw.get("/api/sessions", VIEWER_A).body()).getJsonArray("sessions");
    assertThat(sessions).hasSize(1);
    assertThat(sessions.getJsonObject(0).getJsonArray("machines")).containsExactly(MACHINE_A);
  }

  @Test
  void theScopeComesFromTheTokenNeverFromAHeader() throws Exception {
    HttpResponse<String> r =
        gw.send(
            "GET",
            "/api/machines/robot-01",
            VIEWER_A,
            null,
            Map.of("X-Atelier-Scope", "all", "X-Scope", "all", "X-Firm", "firm-b"));
    assertThat(r.statusCode()).isEqualTo(403);
  }

  @Test
  void aViewerCannotChangeAnything() throws Exception {
    String machine =
        "{\"id\":\"press-01\",\"path\":\"platform/hall-a/machining/press-01\","
            + "\"connection\":\"sim-opcua\"}";
    assertThat(gw.send("POST", "/api/machines", VIEWER_A, machine, Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(gw.send("PUT", "/api/machines/cnc-01", VIEWER_A, machine, Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(gw.send("DELETE", "/api/machines/cnc-01", VIEWER_A, null, Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(
            gw.send("POST", "/api/sessions", VIEWER_A, "{\"name\":\"x\"}", Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(
            gw.send(
                    "POST",
                    "/api/connections/sim-opcua/certificates/"
                        + FakeKpiEngine.THUMBPRINT
                        + "/trust",
                    VIEWER_A,
                    null,
                    Map.of())
                .statusCode())
        .isEqualTo(403);
    assertThat(gw.get("/api/machines", ADMIN).body()).doesNotContain("press-01");
  }

  @Test
  void anOperatorRunsSessionsButCannotChangeMachines() throws Exception {
    HttpResponse<String> started =
        gw.send("POST", "/api/sessions", OPERATOR, "{\"name\":\"line training\"}", Map.of());
    assertThat(started.statusCode()).isEqualTo(201);
    // No machines named: every machine in the operator's scope (the machining line).
    assertThat(new JsonObject(started.body()).getJsonArray("machines"))
        .containsExactly("cnc-01", "robot-01");
    assertThat(
            gw.send(
                    "POST",
                    "/api/sessions",
                    OPERATOR,
                    "{\"name\":\"x\",\"machines\":[\"imm-01\"]}",
                    Map.of())
                .statusCode())
        .isEqualTo(403);
    assertThat(gw.send("DELETE", "/api/machines/cnc-01", OPERATOR, null, Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(auditLines())
        .anyMatch(l -> l.contains("action=session-start") && l.contains("trainer"));
  }

  @Test
  void metricsNeedATokenThatSeesEverything() throws Exception {
    assertThat(gw.get("/metrics", VIEWER_A).statusCode()).isEqualTo(403);
    assertThat(gw.get("/metrics", OPERATOR).statusCode()).isEqualTo(403);
    assertThat(gw.get("/metrics", ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void everyAnswerCarriesSecurityHeaders() throws Exception {
    for (HttpResponse<String> r :
        List.of(gw.get("/health", null), gw.get("/api/machines", ADMIN), gw.get("/api/x", null))) {
      assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("x-frame-options")).hasValue("DENY");
      assertThat(r.headers().firstValue("content-security-policy"))
          .hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
    }
  }

  @Test
  void onlyListedOriginsGetCorsHeaders() throws Exception {
    HttpResponse<String> unknown =
        gw.send("GET", "/api/machines", ADMIN, null, Map.of("Origin", "https://evil.example"));
    assertThat(unknown.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    HttpResponse<String> unknownPreflight =
        gw.send(
            "OPTIONS",
            "/api/machines",
            null,
            null,
            Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
    assertThat(unknownPreflight.statusCode()).isEqualTo(403);
    assertThat(unknownPreflight.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));

    HttpResponse<String> known =
        gw.send(
            "GET", "/api/machines", ADMIN, null, Map.of("Origin", "https://dashboard.example.org"));
    assertThat(known.headers().firstValue("access-control-allow-origin"))
        .hasValue("https://dashboard.example.org");
    HttpResponse<String> preflight =
        gw.send(
            "OPTIONS",
            "/api/machines",
            null,
            null,
            Map.of(
                "Origin",
                "https://dashboard.example.org",
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "authorization, content-type"));
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-headers"))
        .hasValueSatisfying(v -> assertThat(v).contains("Authorization"));
  }

  @Test
  void anOversizedBodyGets413() throws Exception {
    String big =
        "{\"id\":\"big-01\",\"description\":\"" + "x".repeat(100_000) + "\"}"; // limit is 64 KiB
    HttpResponse<String> r = gw.send("POST", "/api/machines", ADMIN, big, Map.of());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("payload-too-large");
    assertThat(gw.get("/api/machines/big-01", ADMIN).statusCode()).isEqualTo(404);
  }
}
