package io.atelier.simulator.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.ProtocolEndpoint;
import io.atelier.simulator.machine.MachineConfig;
import io.atelier.simulator.machine.MachineParams;
import io.atelier.simulator.machine.MachineType;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.scenario.Simulation;
import io.atelier.simulator.scenario.SimulationRunner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control API over real HTTP on a free loopback port. */
@Timeout(30)
class ControlApiTest {

  private static final long T0 = 1_741_000_000_000L;

  /**
   * Stands in for the OPC UA server: this test checks the API's plumbing to an endpoint, not the
   * endpoint itself (the protocol endpoints have their own integration tests against real clients).
   */
  static final class FakeEndpoint implements ProtocolEndpoint {
    final AtomicBoolean running = new AtomicBoolean(true);

    @Override
    public String name() {
      return "opcua";
    }

    @Override
    public CompletableFuture<Void> start() {
      running.set(true);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> stop() {
      running.set(false);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isRunning() {
      return running.get();
    }
  }

  private Vertx vertx;
  private SimulationRunner runner;
  private ControlApi api;
  private final FakeEndpoint endpoint = new FakeEndpoint();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String base;

  @BeforeEach
  void start() throws Exception {
    Simulation sim = new Simulation(1, T0, new SignalBoard(), Clock.systemUTC());
    sim.addMachine(
        new MachineConfig(
            "cnc-01",
            MachineType.CNC_MILL,
            MachineRef.parse("platform/hall-a/machining/cnc-01"),
            MachineConfig.OPCUA,
            MachineParams.steady(Duration.ofSeconds(60))));
    sim.addEndpoint(endpoint);
    runner = new SimulationRunner(sim);
    vertx = Vertx.vertx();
    api = new ControlApi(vertx, runner);
    int port =
        api.listen("127.0.0.1", 0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    runner.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rejectsAnUnknownMachineWith404AndSaysWhichMachinesExist() throws Exception {
    HttpResponse<String> r =
        post("/actions", "{\"action\": \"fault\", \"machine\": \"cnc-99\", \"duration\": \"10s\"}");

    assertThat(r.statusCode()).isEqualTo(404);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo("unknown machine");
    assertThat(body.getString("detail")).contains("cnc-99").contains("cnc-01");
    assertThat(new JsonObject(get("/events").body()).getJsonArray("events")).isEmpty();
  }

  @Test
  void rejectsAnUnknownActionWith400() throws Exception {
    HttpResponse<String> r = post("/machines/cnc-01/explode", "");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo("unknown action");
    assertThat(body.getString("detail")).contains("explode").contains("fault");
  }

  @Test
  void rejectsMalformedJsonAndBadFieldsWith400NamingTheField() throws Exception {
    HttpResponse<String> broken = post("/actions", "{not json");
    HttpResponse<String> badSpeed =
        post("/actions", "{\"action\": \"speed\", \"machine\": \"cnc-01\", \"speed\": -1}");

    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(broken.body()).getString("error")).isEqualTo("invalid JSON");
    assertThat(badSpeed.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badSpeed.body()).getString("detail")).contains("body.speed");
  }

  @Test
  void acceptsAFaultAndShowsItInMachinesAndEvents() throws Exception {
    HttpResponse<String> r =
        post("/machines/cnc-01/fault", "{\"duration\": \"45s\", \"reason\": \"tool-breakage\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("outcome")).isEqualTo("applied");
    JsonObject machine =
        new JsonObject(get("/machines").body()).getJsonArray("machines").getJsonObject(0);
    assertThat(machine.getString("state")).isEqualTo("DOWN");
    assertThat(machine.getLong("alarm_code")).isEqualTo(1101L);
    JsonObject detail = new JsonObject(get("/machines/cnc-01").body());
    assertThat(detail.getJsonObject("signals").getString("alarm_text")).isEqualTo("tool-breakage");
    JsonObject event =
        new JsonObject(get("/events").body()).getJsonArray("events").getJsonObject(0);
    assertThat(event.getString("action")).isEqualTo("fault");
    assertThat(event.getString("source")).isEqualTo("api");
    assertThat(event.getString("machine")).isEqualTo("cnc-01");
  }

  @Test
  void stopsAndStartsAnEndpointAndRejectsAnUnknownOne() throws Exception {
    assertThat(post("/endpoints/opcua/stop", "").statusCode()).isEqualTo(200);
    assertThat(endpoint.isRunning()).isFalse();
    assertThat(get("/endpoints").body()).contains("\"running\":false");
    assertThat(post("/endpoints/opcua/start", "").statusCode()).isEqualTo(200);
    assertThat(endpoint.isRunning()).isTrue();

    HttpResponse<String> unknown = post("/endpoints/modbus/restart", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("unknown endpoint");
  }

  @Test
  void servesTruthForAnIntervalAndRejectsABadTime() throws Exception {
    runner
        .call(
            sim -> {
              sim.advanceTo(T0 + 600_000);
              return null;
            })
        .get(10, TimeUnit.SECONDS);

    JsonObject all = new JsonObject(get("/truth").body());
    JsonObject half = new JsonObject(get("/truth?from=" + T0 + "&to=2025-03-03T11:11:40Z").body());
    HttpResponse<String> bad = get("/truth?from=yesterday");

    JsonObject cnc = all.getJsonArray("machines").getJsonObject(0);
    assertThat(cnc.getString("machine")).isEqualTo("cnc-01");
    // [start, now): the part finished at exactly now belongs to the next interval.
    assertThat(cnc.getLong("pq")).isEqualTo(9L);
    assertThat(cnc.getDouble("apt_s")).isEqualTo(600.0);
    assertThat(cnc.getDouble("availability")).isEqualTo(1.0);
    // 2025-03-03T11:11:40Z is T0 + 300 s.
    assertThat(half.getJsonArray("machines").getJsonObject(0).getLong("pq")).isEqualTo(4L);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(get("/truth?machine=nope").statusCode()).isEqualTo(404);
  }

  @Test
  void schedulesAScenarioAndRejectsOneNamingTheBadPath() throws Exception {
    HttpResponse<String> good =
        post("/scenarios", "- {at: 10s, action: planned-stop, machine: cnc-01, duration: 1m}\n");
    HttpResponse<String> bad =
        post("/scenarios", "events:\n  - {at: 10s, action: fault, machine: cnc-77}\n");

    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(good.body()).getInteger("scheduled")).isEqualTo(1);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getString("detail"))
        .contains("events[0].machine")
        .contains("cnc-77");
  }

  @Test
  void answersUnknownPathsWithJson404() throws Exception {
    HttpResponse<String> r = get("/nothing-here");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("not found");
  }
}
