package io.atelier.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.GatewayApp;
import io.atelier.gateway.config.ConfigLoader;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import io.atelier.gateway.testing.TestConnectorFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's HTTP endpoints, served by a real gateway on a free loopback port. */
@Timeout(60)
class HttpApiTest {

  private static final String CONFIG =
      """
      gateway:
        dataDir: ${DATA}
      http:
        host: 127.0.0.1
        port: 0
      connections:
        - id: bench
          type: test
          settings:
            url: tcp://127.0.0.1:1
      machines:
        - id: cnc-01
          path: site/hall/line-1/cnc-01
          connection: bench
          description: demonstrator mill
          signals:
            - name: spindle_speed
            - name: good_count
        - id: robot-01
          path: site/hall/line-1/robot-01
          connection: bench
      """;

  @TempDir Path dir;
  private GatewayApp app;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    ConnectorRegistry registry = ConnectorRegistry.of(List.of(new TestConnectorFactory()));
    GatewayConfig config =
        new ConfigLoader(registry, n -> n.equals("DATA") ? dir.toString() : null)
            .parse(CONFIG, dir);
    app = new GatewayApp(config, registry);
    app.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    app.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsUp() throws Exception {
    HttpResponse<String> r = get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("UP");
  }

  @Test
  void readyIsDegradedWhileAConnectionIsDown() throws Exception {
    HttpResponse<String> r = get("/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("DEGRADED");
    JsonObject components = body.getJsonObject("components");
    assertThat(components.getJsonObject("pipeline").getString("status")).isEqualTo("UP");
    assertThat(components.getJsonObject("connections").getJsonObject("bench").getString("status"))
        .isEqualTo("DISCONNECTED");
  }

  @Test
  void listsMachinesWithTheirConnectionStatus() throws Exception {
    HttpResponse<String> r = get("/api/machines");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonArray machines = new JsonObject(r.body()).getJsonArray("machines");
    assertThat(machines).hasSize(2);
    JsonObject cnc = machines.getJsonObject(0);
    assertThat(cnc.getString("id")).isEqualTo("cnc-01");
    assertThat(cnc.getString("path")).isEqualTo("site/hall/line-1/cnc-01");
    assertThat(cnc.getString("connection")).isEqualTo("bench");
    assertThat(cnc.getString("status")).isEqualTo("DISCONNECTED");
    assertThat(cnc.getValue("lastSampleTime")).isNull();
  }

  @Test
  void showsTheLastValueOfEachSignal() throws Exception {
    Instant t1 = Instant.parse("2026-01-01T10:00:00Z");
    Instant t2 = Instant.parse("2026-01-01T10:00:01Z");
    var sink = TestConnectorFactory.SINKS.get("bench");
    sink.accept(Sample.good("cnc-01", "spindle_speed", 1200.5, t1));
    sink.accept(Sample.good("cnc-01", "spindle_speed", 1300.0, t2));
    // A late sample must not hide the fresher one.
    sink.accept(Sample.good("cnc-01", "spindle_speed", 999.0, t1));
    sink.accept(Sample.good("cnc-01", "good_count", 42L, t2));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonObject body = new JsonObject(get("/api/machines/cnc-01/signals").body());
              JsonArray signals = body.getJsonArray("signals");
              assertThat(signals.getJsonObject(0).getString("name")).isEqualTo("spindle_speed");
              assertThat(signals.getJsonObject(0).getDouble("value")).isEqualTo(1300.0);
              assertThat(signals.getJsonObject(0).getString("sourceTime")).isEqualTo(t2.toString());
              assertThat(signals.getJsonObject(1).getLong("value")).isEqualTo(42L);
              assertThat(signals.getJsonObject(1).getString("quality")).isEqualTo("GOOD");
            });
    JsonObject cnc = new JsonObject(get("/api/machines/cnc-01").body());
    assertThat(cnc.getString("lastSampleTime")).isNotNull();
    assertThat(cnc.getLong("samples")).isEqualTo(4);
  }

  @Test
  void unknownMachinesAndEndpointsGetAJsonError() throws Exception {
    HttpResponse<String> r = get("/api/machines/nope/signals");
    assertThat(r.statusCode()).isEqualTo(404);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo("not-found");
    assertThat(body.getString("detail")).contains("nope");
    assertThat(get("/api/nothing-here").statusCode()).isEqualTo(404);
  }
}
