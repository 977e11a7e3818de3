package io.atelier.gateway.live;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static io.atelier.gateway.http.TestGateway.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.http.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The live WebSocket against a real gateway and a real WebSocket client. */
@Timeout(60)
class LiveFeedTest {

  @TempDir Path dir;
  private TestGateway gw;
  private final Vertx clientVertx = Vertx.vertx();

  @BeforeEach
  void start() throws Exception {
    gw =
        TestGateway.start(
            dir, TestGateway.CONFIG, Map.of("EXTRA_HTTP", "live: {maxRate: 20}"), app -> {});
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    clientVertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private LiveTestClient subscribed(String token, JsonObject subscribe) throws Exception {
    LiveTestClient c = LiveTestClient.connect(clientVertx, gw.port(), token);
    await().atMost(Duration.ofSeconds(5)).until(() -> !c.ofType("hello").isEmpty());
    c.send(subscribe.put("type", "subscribe"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !c.ofType("subscribed").isEmpty());
    return c;
  }

  private static List<JsonObject> signals(LiveTestClient c) {
    return c.ofType("update").stream()
        .flatMap(u -> u.getJsonArray("signals", new JsonArray()).stream())
        .map(JsonObject.class::cast)
        .toList();
  }

  @Test
  void aClientReceivesASignalUpdateWithinOneSecondOfTheSample() throws Exception {
    try (LiveTestClient c =
        subscribed(ADMIN, new JsonObject().put("machines", new JsonArray().add("cnc-01")))) {
      long t0 = System.nanoTime();
      gw.push(Sample.good("cnc-01", "spindle_speed", 1234.5, Instant.now()));
      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> signals(c).stream().anyMatch(s -> s.getDouble("value") == 1234.5));
      int i = c.messages.indexOf(c.ofType("update").get(0));
      long ms = (c.receivedAtNanos.get(i) - t0) / 1_000_000;
      assertThat(ms).as("latency in ms").isLessThan(1000);
      JsonObject s = signals(c).get(0);
      assertThat(s.getString("machine")).isEqualTo("cnc-01");
      assertThat(s.getString("signal")).isEqualTo("spindle_speed");
      assertThat(s.getString("quality")).isEqualTo("GOOD");
    }
  }

  @Test
  void stateAndKpiReportsReachSubscribersWithinOneSecond() throws Exception {
    try (LiveTestClient c =
        subscribed(
            ADMIN,
            new JsonObject().put("lines", new JsonArray().add("platform/hall-a/machining")))) {
      gw.app().live().state("cnc-01", Map.of("state", "DOWN", "reason", "tool break"));
      gw.app().live().machineKpis("robot-01", "1h", Map.of("oee", 0.61));
      gw.app().live().lineKpis("platform/hall-a/machining", "1h", Map.of("oee", 0.55));
      gw.app().live().lineKpis("platform/hall-a/moulding", "1h", Map.of("oee", 0.1));
      await()
          .atMost(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                String all = c.ofType("update").toString();
                assertThat(all).contains("tool break").contains("0.61").contains("0.55");
              });
      assertThat(c.ofType("update").toString()).doesNotContain("moulding");
    }
  }

  @Test
  void aScopedViewerNeverReceivesOtherMachines() throws Exception {
    try (LiveTestClient c =
        subscribed(
            VIEWER_A,
            new JsonObject()
                .put("lines", new JsonArray().add("platform/hall-a/machining"))
                .put("machines", new JsonArray().add("robot-01").add("imm-01"))
                .put("signals", new JsonArray().add("imm-01/temperature_c")))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !c.ofType("error").isEmpty());
      assertThat(c.ofType("error").get(0).getString("detail"))
          .contains("robot-01: outside the token's scope")
          .contains("imm-01: outside the token's scope");
      assertThat(c.ofType("subscribed").get(0).getJsonArray("machines")).isEmpty();

      Instant now = Instant.now();
      gw.push(
          Sample.good("robot-01", "spindle_speed", 1.0, now),
          Sample.good("imm-01", "temperature_c", 2.0, now),
          Sample.good("cnc-01", "spindle_speed", 3.0, now));
      gw.app().live().state("robot-01", Map.of("state", "DOWN"));
      gw.app().live().machineKpis("imm-01", "1h", Map.of("oee", 0.1));
      gw.app().live().lineKpis("platform/hall-a/machining", "1h", Map.of("oee", 0.2));
      gw.app().live().state("cnc-01", Map.of("state", "PRODUCING"));
      await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                String all = c.ofType("update").toString();
                assertThat(all).contains("cnc-01").contains("PRODUCING");
              });
      String updates = c.ofType("update").toString();
      assertThat(updates).doesNotContain("robot-01").doesNotContain("imm-01");
      // The line is only partly in scope: its line-wide KPIs are not sent either.
      assertThat(updates).doesNotContain("0.2");
    }
  }

  @Test
  void updatesAreCoalescedToTheClientsRate() throws Exception {
    try (LiveTestClient c =
        subscribed(
            ADMIN,
            new JsonObject()
                .put("signals", new JsonArray().add("cnc-01/good_count"))
                .put("maxRate", 2))) {
      long t0 = System.nanoTime();
      for (long i = 1; i <= 500; i++) {
        gw.push(Sample.good("cnc-01", "good_count", i, Instant.now()));
      }
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> signals(c).stream().anyMatch(s -> s.getLong("value") == 500L));
      double seconds = (System.nanoTime() - t0) / 1e9;
      int updates = c.ofType("update").size();
      // 500 samples, at most 2 messages a second (plus one for a tick at the start).
      assertThat(updates).isLessThanOrEqualTo((int) Math.ceil(seconds * 2) + 1);
      assertThat(signals(c)).allMatch(s -> s.getString("signal").equals("good_count"));
    }
  }

  @Test
  void aBrowserAuthenticatesInTheFirstMessage() throws Exception {
    try (LiveTestClient c = LiveTestClient.connect(clientVertx, gw.port(), null)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !c.ofType("hello").isEmpty());
      assertThat(c.ofType("hello").get(0).getString("auth")).isEqualTo("required");
      c.send(new JsonObject().put("type", "auth").put("token", VIEWER_A));
      await().atMost(Duration.ofSeconds(5)).until(() -> c.ofType("hello").size() == 2);
      assertThat(c.ofType("hello").get(1).getString("name")).isEqualTo("firm-a");
    }
    try (LiveTestClient c = LiveTestClient.connect(clientVertx, gw.port(), null)) {
      c.send(new JsonObject().put("type", "auth").put("token", "wrong-token-0123456789"));
      await().atMost(Duration.ofSeconds(5)).until(() -> c.closeStatus != null);
      assertThat(c.closeStatus).isEqualTo(LiveProtocol.CLOSE_POLICY);
    }
    try (LiveTestClient c = LiveTestClient.connect(clientVertx, gw.port(), null)) {
      c.send(
          new JsonObject().put("type", "subscribe").put("machines", new JsonArray().add("cnc-01")));
      await().atMost(Duration.ofSeconds(5)).until(() -> c.closeStatus != null);
      assertThat(c.closeStatus).isEqualTo(LiveProtocol.CLOSE_POLICY);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.app().live().clientCount() == 0);
  }
}
