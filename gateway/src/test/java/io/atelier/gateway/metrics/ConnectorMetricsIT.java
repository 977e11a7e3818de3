package io.atelier.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.gateway.demo.Demo;
import io.atelier.gateway.demo.DemoOptions;
import io.atelier.testsupport.FreePort;
import io.atelier.testsupport.MosquittoExtension;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage published to the demo's MQTT connection (a real Mosquitto) shows up on {@code /metrics}
 * as rejects by reason, and in {@code /api/connections/sim-mqtt}'s counters.
 */
@Timeout(120)
class ConnectorMetricsIT {

  @RegisterExtension static final MosquittoExtension BROKER = new MosquittoExtension();

  @TempDir Path dir;
  private Demo demo;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void mqttRejectsAreCountedByReasonOnMetricsAndTheConnection() throws Exception {
    List<Integer> ports = FreePort.pick(3);
    demo =
        Demo.start(
            new DemoOptions(
                ports.get(0),
                ports.get(1),
                0,
                Optional.of(BROKER.url()),
                ports.get(2),
                7,
                dir,
                Optional.empty(),
                Map.of()));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> connection().getString("status").equals("CONNECTED"));

    MqttClient pub = new MqttClient(BROKER.url(), "garbage-source", new MemoryPersistence());
    try {
      pub.connect();
      String topic = "atelier/platform/hall-a/assembly/conveyor-01/speed";
      for (int i = 0; i < 3; i++) {
        pub.publish(
            topic, new MqttMessage("{\"ts\": 1, \"value\":".getBytes(UTF8), 1, false, null));
      }
      pub.publish(topic, new MqttMessage(new byte[] {(byte) 0xC3, 0x28}, 1, false, null));
      pub.disconnect();
    } finally {
      pub.close();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String text = get("/metrics").body();
              assertThat(series(text, "atelier_connector_rejects_total", "malformed-json"))
                  .isEqualTo(3.0);
              assertThat(series(text, "atelier_connector_rejects_total", "not-utf8"))
                  .isEqualTo(1.0);
              assertThat(series(text, "atelier_connector_events_total", "messages-received"))
                  .isGreaterThanOrEqualTo(4.0);
            });
    JsonObject counters = connection().getJsonObject("counters");
    assertThat(counters.getLong("rejected.malformed-json")).isEqualTo(3L);
    assertThat(counters.getLong("messages-rejected")).isGreaterThanOrEqualTo(4L);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** The value of {@code name{connection="sim-mqtt",...="label"}}, or -1 when absent. */
  private static double series(String text, String name, String label) {
    Pattern p =
        Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)}\\s+(\\S+)", Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("connection=\"sim-mqtt\"") && labels.contains("\"" + label + "\"")) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  private JsonObject connection() throws Exception {
    return new JsonObject(get("/api/connections/sim-mqtt").body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
