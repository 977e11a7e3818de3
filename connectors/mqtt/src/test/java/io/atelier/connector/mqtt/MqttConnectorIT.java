package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.Sample;
import io.atelier.testsupport.MosquittoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The connector against a real Mosquitto: JSON in, samples out, acks, status, lifecycle. */
@Timeout(120)
class MqttConnectorIT {

  @RegisterExtension final MosquittoExtension broker = new MosquittoExtension();

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();

  static String config(String url, String clientId) {
    return """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: %s
              reconnectMinDelay: 100ms
              reconnectMaxDelay: 1s
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
                - topic: "atelier/{site}/{area}/{line}/{machine}"
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
            signals:
              - name: state
              - name: good_count
        """
        .formatted(url, clientId);
  }

  static final String VALUE = "atelier/platform/hall-a/assembly/conveyor-01/";
  static final String BATCH = "atelier/platform/hall-a/assembly/conveyor-01";

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void jsonValuesAndBatchesBecomeSamplesWithMachineSignalValueAndTime() throws Exception {
    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(config(broker.url(), "it-json"), sink, dir.resolve("c"));
    await(c.start());
    assertThat(c.status().state()).isEqualTo(State.CONNECTED);

    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-json", dir.resolve("p"))) {
      pub.publish(VALUE + "good_count", "{\"ts\": 1718000000001, \"value\": 17}", 1);
      pub.publish(VALUE + "state", "{\"timestamp\": 1718000000002, \"value\": \"PRODUCING\"}", 0);
      pub.publish(
          BATCH, "{\"ts\": 1718000000003, \"values\": {\"power_kw\": 3.5, \"running\": true}}", 2);
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() >= 4);
    assertThat(sink.samples())
        .extracting(Sample::machine, Sample::signal, Sample::value, Sample::sourceTime)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "conveyor-01", "good_count", 17L, Instant.ofEpochMilli(1718000000001L)),
            org.assertj.core.groups.Tuple.tuple(
                "conveyor-01", "state", "PRODUCING", Instant.ofEpochMilli(1718000000002L)),
            org.assertj.core.groups.Tuple.tuple(
                "conveyor-01", "power_kw", 3.5, Instant.ofEpochMilli(1718000000003L)),
            org.assertj.core.groups.Tuple.tuple(
                "conveyor-01", "running", true, Instant.ofEpochMilli(1718000000003L)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> c.stats().get(MqttStats.MESSAGES_ACKED) >= 2); // the QoS 1 and QoS 2 ones
    await(c.stop());
  }

  @Test
  void startSucceedsWithTheBrokerDownAndConnectsWhenItComesUp() throws Exception {
    String url = broker.url();
    broker.server().stop();
    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(config(url, "it-down"), sink, dir.resolve("c"));

    await(c.start());
    assertThat(c.status().state()).isEqualTo(State.DISCONNECTED);
    assertThat(c.status().lastError()).isPresent();
    await(c.start()); // idempotent

    broker.server().start();
    await().atMost(Duration.ofSeconds(20)).until(() -> c.status().state() == State.CONNECTED);

    try (TestPublisher pub = new TestPublisher(url, "pub-down", dir.resolve("p"))) {
      pub.publish(VALUE + "state", "{\"value\": \"IDLE\"}", 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() == 1);

      await(c.stop());
      await(c.stop()); // idempotent
      assertThat(c.status().state()).isEqualTo(State.STOPPED);
      pub.publish(VALUE + "state", "{\"value\": \"DOWN\"}", 1);
      pub.drain();
    }
    // Nothing arrives after stop completed: the message above waits in the broker session.
    try (TestPublisher probe = new TestPublisher(url, "probe", dir.resolve("q"))) {
      probe.publish(VALUE + "state", "{\"value\": \"X\"}", 1);
      probe.drain();
    }
    assertThat(sink.samples()).hasSize(1);
  }

  @Test
  void messageWhoseSamplesNeverBecomeDurableIsRedeliveredToTheNextSession() throws Exception {
    CollectingSink holding = new CollectingSink();
    holding.answer(b -> CollectingSink.Answer.NEVER);
    Path data = dir.resolve("c");
    MqttConnector first = harness.connector(config(broker.url(), "it-redeliver"), holding, data);
    await(first.start());
    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-r", dir.resolve("p"))) {
      pub.publish(VALUE + "good_count", "{\"ts\": 5, \"value\": 42}", 1);
      pub.drain();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> holding.heldCount() == 1);
    assertThat(first.stats().get(MqttStats.MESSAGES_ACKED)).isZero();
    await(first.stop());

    // Same client id, same data directory: the gateway restarted.
    CollectingSink sink = new CollectingSink();
    MqttConnector second = harness.connector(config(broker.url(), "it-redeliver"), sink, data);
    await(second.start());
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() == 1);
    assertThat(sink.samples().get(0).value()).isEqualTo(42L);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> second.stats().get(MqttStats.MESSAGES_ACKED) == 1);
    await(second.stop());
  }

  @Test
  void refusedSamplesAreOfferedAgainUntilTheSinkTakesThem() throws Exception {
    CollectingSink sink = new CollectingSink();
    AtomicInteger calls = new AtomicInteger();
    sink.answer(
        b ->
            calls.incrementAndGet() <= 3
                ? CollectingSink.Answer.FAIL
                : CollectingSink.Answer.SUCCEED);
    MqttConnector c = harness.connector(config(broker.url(), "it-retry"), sink, dir.resolve("c"));
    await(c.start());
    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-retry", dir.resolve("p"))) {
      pub.publish(VALUE + "good_count", "{\"ts\": 6, \"value\": 43}", 1);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() == 1);
    assertThat(c.stats().get(MqttStats.SINK_REFUSALS)).isEqualTo(3);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> c.stats().get(MqttStats.MESSAGES_ACKED) == 1);
    await(c.stop());
  }

  @Test
  void garbageIsCountedDeadLetteredAndDoesNotDisturbTheConnection() throws Exception {
    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(config(broker.url(), "it-garbage"), sink, dir.resolve("c"));
    await(c.start());
    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-g", dir.resolve("p"))) {
      pub.publish(VALUE + "state", "{broken", 1);
      pub.publish(VALUE + "state", new byte[] {(byte) 0xff, (byte) 0xfe}, 1);
      pub.publish("atelier/platform/hall-a/assembly/ghost/state", "{\"value\":1}", 1);
      pub.publish(VALUE + "state", "{\"value\": \"OK\"}", 1);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.rejections().total() == 3);
    assertThat(c.rejections().counts())
        .containsEntry("malformed-json", 1L)
        .containsEntry("not-utf8", 1L)
        .containsEntry("unknown-machine", 1L);
    assertThat(java.nio.file.Files.readAllLines(c.deadLetterFile())).hasSize(3);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> c.stats().get(MqttStats.MESSAGES_ACKED) == 4);
    assertThat(c.status().state()).isEqualTo(State.CONNECTED);
    await(c.stop());
  }
}
