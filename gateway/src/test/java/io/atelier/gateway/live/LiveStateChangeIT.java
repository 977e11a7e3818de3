package io.atelier.gateway.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.gateway.demo.Demo;
import io.atelier.gateway.demo.DemoOptions;
import io.atelier.testsupport.FreePort;
import io.atelier.testsupport.MosquittoExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain a trainer relies on: a fault injected into a simulated machine reaches a
 * WebSocket client as a state update within 1 s (simulator, real broker, MQTT connector, pipeline,
 * KPI engine, live hub). The MQTT machine is used because its path has no sampling interval; the
 * OPC UA path adds up to its sampling plus publishing interval (750 ms with the example config).
 */
@Timeout(180)
class LiveStateChangeIT {

  @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension();

  @TempDir Path dir;
  private Demo demo;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFaultReachesALiveClientWithinOneSecond() throws Exception {
    List<Integer> ports = FreePort.pick(3);
    demo =
        Demo.start(
            new DemoOptions(
                ports.get(0),
                ports.get(1),
                0,
                Optional.of(BROKER.url()),
                ports.get(2),
                42,
                dir,
                Optional.empty(),
                Map.of()));
    String machine = "conveyor-01";
    AtomicReference<String> state = new AtomicReference<>("");
    AtomicLong downAt = new AtomicLong();
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws =
        client
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(demo.httpPort())
                    .setURI("/api/live"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    ws.textMessageHandler(
        text -> {
          JsonObject msg = new JsonObject(text);
          JsonArray states = msg.getJsonArray("states", new JsonArray());
          for (int i = 0; i < states.size(); i++) {
            JsonObject s = states.getJsonObject(i);
            if (machine.equals(s.getString("machine"))) {
              String now = s.getJsonObject("state").getString("state");
              state.set(now);
              if (now.equals("DOWN")) {
                downAt.compareAndSet(0, System.nanoTime());
              }
            }
          }
        });
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "subscribe")
            .put("machines", new JsonArray().add(machine))
            .encode());

    // Start from a machine that is not down (it may be in a random fault or micro-stop).
    control("/machines/" + machine + "/resume", "{}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !state.get().isEmpty() && !state.get().equals("DOWN"));
    downAt.set(0);

    long injected = System.nanoTime();
    control("/machines/" + machine + "/fault", "{\"duration\": \"60s\", \"reason\": \"belt-jam\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> downAt.get() != 0);
    long ms = (downAt.get() - injected) / 1_000_000;
    System.out.println("LIVE fault-to-DOWN on the WebSocket: " + ms + " ms");
    assertThat(ms).as("fault to live DOWN update, ms").isLessThan(1_000);
    ws.close();
  }

  private void control(String path, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.controlPort() + path))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
  }
}
