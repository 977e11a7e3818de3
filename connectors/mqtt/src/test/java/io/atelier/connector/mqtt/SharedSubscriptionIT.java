package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.testsupport.MosquittoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway instances on one MQTT 5 shared subscription: each gets a disjoint share, together
 * everything; when one stops, the other takes over its share.
 */
@Timeout(120)
class SharedSubscriptionIT {

  @RegisterExtension final MosquittoExtension broker = new MosquittoExtension();

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();
  static final String TOPIC = "atelier/platform/hall-a/assembly/conveyor-01/seq";

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  static String config(String url, String clientId) {
    return """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: %s
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
                  shared: gateways
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
        """
        .formatted(url, clientId);
  }

  @Test
  void twoInstancesShareTheLoadAndOneTakesOverWhenTheOtherStops() throws Exception {
    CollectingSink sinkA = new CollectingSink();
    CollectingSink sinkB = new CollectingSink();
    MqttConnector a = harness.connector(config(broker.url(), "gw-a"), sinkA, dir.resolve("a"));
    MqttConnector b = harness.connector(config(broker.url(), "gw-b"), sinkB, dir.resolve("b"));
    await(a.start());
    await(b.start());

    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-shared", dir.resolve("p"))) {
      for (long i = 1; i <= 400; i++) {
        pub.publish(TOPIC, "{\"ts\": " + i + ", \"value\": " + i + "}", 1);
      }
      pub.drain();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> markers(sinkA).size() + markers(sinkB).size() >= 400);

      Set<Long> both = new HashSet<>(markers(sinkA));
      both.retainAll(markers(sinkB));
      Set<Long> all = new HashSet<>(markers(sinkA));
      all.addAll(markers(sinkB));
      assertThat(both).isEmpty();
      assertThat(all).hasSize(400);
      assertThat(markers(sinkA)).hasSizeGreaterThan(50);
      assertThat(markers(sinkB)).hasSizeGreaterThan(50);

      await(a.stop());
      int bBefore = markers(sinkB).size();
      for (long i = 401; i <= 600; i++) {
        pub.publish(TOPIC, "{\"ts\": " + i + ", \"value\": " + i + "}", 1);
      }
      pub.drain();
      await().atMost(Duration.ofSeconds(30)).until(() -> markers(sinkB).size() >= bBefore + 200);
      for (long i = 401; i <= 600; i++) {
        assertThat(markers(sinkB)).contains(i);
      }
      // A planned stop leaves "stopped" as A's retained presence (and no will): nobody adopts.
      try (TestSubscriber presence =
          new TestSubscriber(broker.url(), "presence-reader", "atelier/_gateways/+")) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> presenceOf(presence, "gw-a").contains("\"state\":\"stopped\""));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> presenceOf(presence, "gw-b").contains("\"state\":\"online\""));
      }
      assertThat(b.stats().get(MqttStats.TAKEOVER_ATTEMPTS)).isZero();
      assertThat(b.stats().get(MqttStats.TAKEOVER_PRESENCE_INVALID)).isZero();
    }
    await(b.stop());
  }

  private static String presenceOf(TestSubscriber s, String clientId) {
    String last = "";
    for (TestSubscriber.Received r : s.received) {
      if (r.topic().equals("atelier/_gateways/" + clientId)) {
        last = new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return last;
  }

  private static Set<Long> markers(CollectingSink sink) {
    Set<Long> out = new HashSet<>();
    for (Sample s : sink.samples()) {
      out.add((Long) s.value());
    }
    return out;
  }
}
