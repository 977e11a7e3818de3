package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.Sample;
import io.atelier.testsupport.MosquittoExtension;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 12,000 messages through a real broker, three in four of them hostile (random bytes, mutated JSON,
 * deep nesting, oversized, wrong types, bad timestamps, unknown machines, bad signal names). Every
 * valid message must arrive, every message must be accounted for, the rejects counted by reason,
 * and the connector must stay connected with bounded memory and disk.
 */
@Timeout(300)
class FuzzIT {

  private static final Logger LOG = LoggerFactory.getLogger(FuzzIT.class);
  static final int MESSAGES = 12_000;
  static final String BASE = "atelier/platform/hall-a/assembly/conveyor-01";

  @RegisterExtension final MosquittoExtension broker = new MosquittoExtension();

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  record Message(String topic, byte[] payload, boolean valid, long marker) {}

  static List<Message> messages(Random r) {
    List<Message> out = new ArrayList<>();
    long marker = 1_700_000_000_000L;
    for (int i = 0; i < MESSAGES; i++) {
      if (i % 4 == 0) {
        long m = marker++;
        out.add(
            new Message(
                BASE + "/fuzz_valid",
                ("{\"ts\": " + m + ", \"value\": " + m + "}").getBytes(StandardCharsets.UTF_8),
                true,
                m));
      } else {
        out.add(hostile(r, i));
      }
    }
    Collections.shuffle(out, r);
    return out;
  }

  static Message hostile(Random r, int i) {
    String junk = BASE + "/fuzz_junk";
    String valid = "{\"ts\": 1718000000000, \"value\": 21.5, \"extra\": {\"a\": [1, 2, \"x\"]}}";
    byte[] payload;
    String topic = junk;
    switch (r.nextInt(11)) {
      case 0 -> {
        payload = new byte[r.nextInt(300)];
        r.nextBytes(payload);
      }
      case 1 -> payload = bytes(valid.substring(0, r.nextInt(valid.length())));
      case 2 -> {
        char[] c = valid.toCharArray();
        c[r.nextInt(c.length)] = (char) (33 + r.nextInt(90));
        c[r.nextInt(c.length)] = (char) (33 + r.nextInt(90));
        payload = bytes(new String(c));
      }
      case 3 -> {
        int depth = 17 + r.nextInt(5_000);
        payload = bytes("{\"value\": " + "[".repeat(depth) + "]".repeat(depth) + "}");
      }
      case 4 -> payload = new byte[8 * 1024 + 1 + r.nextInt(64 * 1024)];
      case 5 ->
          payload =
              bytes(
                  new String[] {"{\"value\": {}}", "{\"value\": [1]}", "{\"value\": null}"}
                      [r.nextInt(3)]);
      case 6 -> payload = bytes("{\"ts\": " + r.nextLong() + "}");
      case 7 -> payload = bytes("{\"ts\": \"soon\", \"value\": 1}");
      case 8 -> {
        topic = "atelier/platform/hall-a/assembly/ghost-" + r.nextInt(1000) + "/x";
        payload = bytes(valid);
      }
      case 9 -> {
        topic = BASE + "/Bad-Name-" + i;
        payload = bytes(valid);
      }
      default -> {
        topic = BASE;
        payload = bytes("{\"values\": {\"A B\": 1, \"nested\": {\"x\": 1}, \"list\": [1]}}");
      }
    }
    return new Message(topic, payload, false, -1);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyValidMessageArrivesAndEveryHostileOneIsCountedWhileStayingConnected() throws Exception {
    String yaml =
        """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: it-fuzz
              maxPayloadBytes: 8KiB
              maxJsonDepth: 16
              deadLetterMaxBytes: 1MiB
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
                - topic: "atelier/{site}/{area}/{line}/{machine}"
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
        """
            .formatted(broker.url());
    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(yaml, sink, dir.resolve("c"));
    await(c.start());

    List<Message> messages = messages(new Random(20250101));
    Set<Long> validMarkers = new HashSet<>();
    long started = System.nanoTime();
    try (TestPublisher pub = new TestPublisher(broker.url(), "fuzzer", dir.resolve("p"))) {
      for (Message m : messages) {
        if (m.valid()) {
          validMarkers.add(m.marker());
        }
        pub.publish(m.topic(), m.payload(), 1);
      }
      pub.drain();
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> c.stats().get(MqttStats.MESSAGES_RECEIVED) >= MESSAGES);
    double seconds = (System.nanoTime() - started) / 1e9;
    await().atMost(Duration.ofSeconds(30)).until(() -> markers(sink).containsAll(validMarkers));

    Runtime.getRuntime().gc();
    long usedHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    LOG.info(
        "fuzz: {} messages in {} s, rejections {}, stats {}, heap after GC {} MiB",
        MESSAGES,
        String.format("%.1f", seconds),
        c.rejections().counts(),
        c.stats().counts(),
        usedHeap >> 20);

    assertThat(markers(sink)).containsAll(validMarkers);
    assertThat(c.stats().get(MqttStats.MESSAGES_RECEIVED)).isEqualTo(MESSAGES);
    // Every hostile message was rejected, or (random bytes that happen to be a JSON scalar)
    // became a junk sample; nothing else.
    long junkAccepted =
        sink.samples(s -> !s.signal().equals("fuzz_valid")).stream()
            .filter(s -> s.signal().equals("fuzz_junk"))
            .count();
    assertThat(c.stats().get(MqttStats.MESSAGES_REJECTED) + junkAccepted)
        .isGreaterThanOrEqualTo(MESSAGES - validMarkers.size() - 10);
    assertThat(c.rejections().counts().keySet())
        .contains(
            "not-utf8",
            "malformed-json",
            "too-deep",
            "payload-too-large",
            "wrong-type",
            "missing-field",
            "bad-timestamp",
            "unknown-machine",
            "invalid-signal-name");
    // What the gateway exports to /metrics: the same figures, every reason present.
    assertThat(c.counters())
        .containsEntry("messages-received", (long) MESSAGES)
        .containsEntry("rejected.malformed-json", c.rejections().count(RejectReason.MALFORMED_JSON))
        .containsKey("rejected.internal-error");
    assertThat(c.counters().get("rejected.malformed-json")).isPositive();
    assertThat(c.status().state()).isEqualTo(State.CONNECTED);
    assertThat(c.stats().get(MqttStats.CONNECTION_LOSSES)).isZero();
    // Every message was acknowledged (nothing left for the broker to redeliver).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> c.stats().get(MqttStats.MESSAGES_ACKED) >= MESSAGES);
    Path dl = c.deadLetterFile();
    long dlBytes = Files.size(dl) + Files.size(dl.resolveSibling(dl.getFileName() + ".1"));
    assertThat(dlBytes).isLessThanOrEqualTo(2L * 1024 * 1024 + 200_000);
    assertThat(usedHeap).isLessThan(512L << 20);
    await(c.stop());
  }

  private static Set<Long> markers(CollectingSink sink) {
    Set<Long> out = new HashSet<>();
    for (Sample s : sink.samples(s -> s.signal().equals("fuzz_valid"))) {
      out.add((Long) s.value());
    }
    return out;
  }
}
