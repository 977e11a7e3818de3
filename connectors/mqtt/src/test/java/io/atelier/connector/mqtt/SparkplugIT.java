package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static io.atelier.connector.mqtt.SparkplugPayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.testsupport.MosquittoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Sparkplug B edge node (built with Tahu in the test) publishing through a real Mosquitto: births
 * and data become samples, a death marks signals BAD, a sequence gap brings a rebirth request on
 * the node's NCMD topic.
 */
@Timeout(120)
class SparkplugIT {

  @RegisterExtension final MosquittoExtension broker = new MosquittoExtension();

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();

  static final String NODE = "spBv1.0/atelier/%s/simulator";
  static final String DEVICE = "spBv1.0/atelier/%s/simulator/printer-01";

  static String config(String url) {
    return """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: it-sparkplug
              subscriptions:
                - topic: "spBv1.0/atelier/#"
                  qos: 1
        machines:
          - id: printer-01
            path: platform/hall-a/moulding/printer-01
            connection: broker
            signals:
              - name: state
              - name: nozzle_temperature_c
                metric: Extruder/Nozzle
        """
        .formatted(url);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void birthDataDeathAndRebirthRequestsOverARealBroker() throws Exception {
    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(config(broker.url()), sink, dir.resolve("c"));
    await(c.start());

    try (TestPublisher node = new TestPublisher(broker.url(), "edge-node", dir.resolve("p"));
        TestSubscriber ncmd =
            new TestSubscriber(broker.url(), "edge-node-cmd", "spBv1.0/atelier/NCMD/simulator")) {
      node.publish(
          String.format(NODE, "NBIRTH"),
          payload()
              .seq(0)
              .metric("bdSeq", MetricDataType.Int64, 0L)
              .birthMetric("Node Control/Rebirth", 1, MetricDataType.Boolean, false)
              .bytes(),
          1);
      node.publish(
          String.format(DEVICE, "DBIRTH"),
          payload()
              .seq(1)
              .at(1_718_000_000_000L)
              .birthMetric("state", 10, MetricDataType.String, "IDLE")
              .birthMetric("Extruder/Nozzle", 11, MetricDataType.Double, 205.0)
              .bytes(),
          1);
      node.publish(
          String.format(DEVICE, "DDATA"),
          payload()
              .seq(2)
              .at(1_718_000_001_000L)
              .aliasMetric(11, MetricDataType.Double, 210.25, 1_718_000_000_500L)
              .aliasMetric(10, MetricDataType.String, "PRODUCING", null)
              .bytes(),
          1);

      await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() == 4);
      assertThat(sink.samples())
          .extracting(Sample::machine, Sample::signal, Sample::value, Sample::sourceTime)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "printer-01", "state", "IDLE", Instant.ofEpochMilli(1_718_000_000_000L)),
              org.assertj.core.groups.Tuple.tuple(
                  "printer-01",
                  "nozzle_temperature_c",
                  205.0,
                  Instant.ofEpochMilli(1_718_000_000_000L)),
              org.assertj.core.groups.Tuple.tuple(
                  "printer-01",
                  "nozzle_temperature_c",
                  210.25,
                  Instant.ofEpochMilli(1_718_000_000_500L)),
              org.assertj.core.groups.Tuple.tuple(
                  "printer-01", "state", "PRODUCING", Instant.ofEpochMilli(1_718_000_001_000L)));
      assertThat(ncmd.received).isEmpty();

      // seq 3 is lost: the host asks the node to rebirth.
      node.publish(
          String.format(DEVICE, "DDATA"),
          payload().seq(4).aliasMetric(10, MetricDataType.String, "IDLE", null).bytes(),
          1);
      await().atMost(Duration.ofSeconds(20)).until(() -> ncmd.received.size() == 1);
      SparkplugBPayload command =
          new SparkplugBPayloadDecoder().buildFromByteArray(ncmd.received.get(0).payload(), null);
      Metric rebirth = command.getMetrics().get(0);
      assertThat(rebirth.getName()).isEqualTo("Node Control/Rebirth");
      assertThat(rebirth.getValue()).isEqualTo(true);
      assertThat(c.stats().get(MqttStats.SPARKPLUG_SEQ_GAPS)).isEqualTo(1);

      node.publish(
          String.format(DEVICE, "DDEATH"), payload().seq(5).at(1_718_000_002_000L).bytes(), 1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sink.samples(s -> !s.quality().isGood()).size() == 2);
      assertThat(sink.samples(s -> !s.quality().isGood()))
          .allSatisfy(
              s -> {
                assertThat(s.hasValue()).isFalse();
                assertThat(s.quality().level()).isEqualTo(Quality.Level.BAD);
                assertThat(s.sourceTime()).isEqualTo(Instant.ofEpochMilli(1_718_000_002_000L));
              })
          .extracting(Sample::signal)
          .containsExactlyInAnyOrder("state", "nozzle_temperature_c");
    }
    await(c.stop());
  }
}
