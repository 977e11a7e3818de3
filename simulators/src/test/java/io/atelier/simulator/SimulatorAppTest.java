package io.atelier.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.simulator.machine.SignalBoard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The wired simulator in this JVM: real clock, real control API, a scenario. */
@Timeout(60)
class SimulatorAppTest {

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * Counts starts and stops: stands in for a protocol endpoint, whose own integration tests use
   * real clients; here only the wiring from scenario to endpoint is under test.
   */
  static final class CountingProvider implements ProtocolEndpointProvider {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    volatile SignalBoard board;

    @Override
    public String name() {
      return "mqtt";
    }

    @Override
    public ProtocolEndpoint create(SignalBoard b, EndpointOptions options) {
      board = b;
      return new ProtocolEndpoint() {
        volatile boolean running;

        @Override
        public String name() {
          return "mqtt";
        }

        @Override
        public CompletableFuture<Void> start() {
          starts.incrementAndGet();
          running = true;
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stop() {
          stops.incrementAndGet();
          running = false;
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isRunning() {
          return running;
        }
      };
    }
  }

  private JsonObject get(int port, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  void replaysAScenarioOnTheRealClockAndServesTheResultOnTheControlApi() throws Exception {
    Path scenario = dir.resolve("drill.yaml");
    Files.writeString(
        scenario,
        """
        name: drill
        events:
          - {at: 1m, action: fault, machine: cnc-01, duration: 1h, reason: spindle-overheat}
          - {at: 2m, action: endpoint-stop, endpoint: mqtt, duration: 1m}
        """);
    SimulatorConfig cfg =
        SimulatorConfigReader.defaults()
            .withNetwork("127.0.0.1", 0, false, 0, true, "tcp://127.0.0.1:1")
            .withTiming(Duration.ofMillis(50), 600, dir);
    CountingProvider provider = new CountingProvider();

    try (SimulatorApp app = SimulatorApp.start(cfg, Optional.of(scenario), List.of(provider))) {
      int port = app.controlPort();
      // 600x: the fault at 1 min comes after 0.1 s, the endpoint restart at 3 min after 0.3 s.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                JsonArray events = get(port, "/events").getJsonArray("events");
                assertThat(events.stream().map(e -> ((JsonObject) e).getString("action")))
                    .contains("fault", "endpoint-stop", "endpoint-start");
              });
      JsonObject cnc = get(port, "/machines/cnc-01");
      assertThat(cnc.getString("state")).isEqualTo("DOWN");
      assertThat(cnc.getJsonObject("signals").getLong("alarm_code")).isEqualTo(1102L);
      assertThat(provider.starts.get()).isEqualTo(2);
      assertThat(provider.stops.get()).isEqualTo(1);
      assertThat(provider.board.machines()).hasSize(6);
      JsonObject truth = get(port, "/truth?machine=cnc-01");
      assertThat(truth.getJsonArray("machines").getJsonObject(0).getLong("failures"))
          .isGreaterThanOrEqualTo(1L);
    }
    assertThat(Files.readAllLines(dir.resolve("truth.jsonl"))).hasSize(6);
  }
}
