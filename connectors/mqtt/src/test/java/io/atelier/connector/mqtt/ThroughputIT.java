package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.testsupport.MosquittoExtension;
import io.atelier.testsupport.MosquittoServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures single-value JSON ingest, QoS 1, acknowledged after the (instant) test sink: the
 * messages are queued in the broker for the connector's session first, so that the publisher does
 * not share the CPU during the measurement. Prints figures for docs/benchmarks.md; asserts only
 * that every message arrived (never speed).
 *
 * <p>{@code mvn -B -pl connectors/mqtt -am verify -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ThroughputIT -Datelier.bench.messages=50000}
 */
@Timeout(600)
class ThroughputIT {

  private static final Logger LOG = LoggerFactory.getLogger(ThroughputIT.class);

  @RegisterExtension
  final MosquittoExtension broker =
      new MosquittoExtension(MosquittoServer.builder().configLine("max_queued_messages 1000000"));

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void measuresSingleValueJsonIngest() throws Exception {
    int n = Integer.getInteger("atelier.bench.messages", 20_000);
    int receiveMaximum = Integer.getInteger("atelier.bench.receiveMaximum", 100);
    String yaml =
        """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: bench
              receiveMaximum: %d
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
        """
            .formatted(broker.url(), receiveMaximum);
    Path data = dir.resolve("c");
    MqttConnector subscribeOnly = harness.connector(yaml, new CollectingSink(), data);
    await(subscribeOnly.start());
    await(subscribeOnly.stop());

    try (TestPublisher pub = new TestPublisher(broker.url(), "bench-pub", dir.resolve("p"))) {
      for (int i = 0; i < n; i++) {
        pub.publish(
            "atelier/platform/hall-a/assembly/conveyor-01/signal_" + (i % 50),
            "{\"ts\": " + (1_700_000_000_000L + i) + ", \"value\": " + (i * 0.5) + "}",
            1);
      }
      pub.drain();
    }

    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(yaml, sink, data);
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    await(c.start());
    await()
        .atMost(Duration.ofMinutes(8))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> c.stats().get(MqttStats.MESSAGES_ACKED) >= n);
    long nanos = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    LOG.info(
        "throughput: {} QoS 1 single-value JSON messages in {} s = {} msg/s; process CPU {} us/msg"
            + " ({} cores, receiveMaximum {})",
        n,
        String.format("%.2f", nanos / 1e9),
        String.format("%.0f", n / (nanos / 1e9)),
        String.format("%.1f", cpu / 1e3 / n),
        Runtime.getRuntime().availableProcessors(),
        receiveMaximum);
    assertThat(sink.samples()).hasSize(n);
    await(c.stop());
  }
}
