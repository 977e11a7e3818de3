package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.SparkplugPayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import java.time.Instant;
import java.util.Random;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SparkplugDecoderTest {

  static final String NODE = "spBv1.0/atelier/%s/simulator";
  static final String DEVICE = "spBv1.0/atelier/%s/simulator/printer-01";
  static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  Fixtures.Rebirths rebirths;
  MqttStats stats;
  SparkplugDecoder decoder;

  @BeforeEach
  void setUp() {
    rebirths = new Fixtures.Rebirths();
    stats = new MqttStats();
    decoder = new SparkplugDecoder(Fixtures.parts(Fixtures.DEMO).mapping(), rebirths, stats);
  }

  Decoded node(String type, byte[] p) {
    return decoder.decode(String.format(NODE, type), p, NOW);
  }

  Decoded device(String type, byte[] p) {
    return decoder.decode(String.format(DEVICE, type), p, NOW);
  }

  void birth() throws Exception {
    assertThat(
            node(
                    "NBIRTH",
                    payload()
                        .seq(0)
                        .metric("bdSeq", MetricDataType.Int64, 3L)
                        .birthMetric("Node Control/Rebirth", 1, MetricDataType.Boolean, false)
                        .bytes())
                .issues())
        .isEmpty();
    Decoded dbirth =
        device(
            "DBIRTH",
            payload()
                .seq(1)
                .at(1_000)
                .birthMetric("state", 10, MetricDataType.String, "IDLE")
                .birthMetric("good_count", 11, MetricDataType.Int32, 5)
                .birthMetric("Extruder/Nozzle", 12, MetricDataType.Float, 210.5f)
                .bytes());
    assertThat(dbirth.issues()).isEmpty();
    assertThat(dbirth.samples())
        .extracting(Sample::signal, Sample::value)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("state", "IDLE"),
            org.assertj.core.groups.Tuple.tuple("good_count", 5L),
            org.assertj.core.groups.Tuple.tuple("nozzle_temperature_c", 210.5));
  }

  @Test
  void birthThenDataByAliasBecomeSamplesWithMetricTimestamps() throws Exception {
    birth();
    Decoded d =
        device(
            "DDATA",
            payload()
                .seq(2)
                .at(2_000)
                .aliasMetric(11, MetricDataType.Int32, 6, 2_500L)
                .aliasMetric(10, MetricDataType.String, "PRODUCING", null)
                .bytes());
    assertThat(d.issues()).isEmpty();
    assertThat(d.samples())
        .extracting(Sample::machine, Sample::signal, Sample::value, Sample::sourceTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "printer-01", "good_count", 6L, Instant.ofEpochMilli(2_500)),
            org.assertj.core.groups.Tuple.tuple(
                "printer-01", "state", "PRODUCING", Instant.ofEpochMilli(2_000)));
    assertThat(rebirths.requested).isEmpty();
  }

  @Test
  void dataBeforeBirthAsksForRebirthOnce() throws Exception {
    Decoded d =
        device("DDATA", payload().seq(5).metric("state", MetricDataType.String, "X").bytes());
    assertThat(d.samples()).isEmpty();
    assertThat(d.issues())
        .extracting(Decoded.Issue::reason)
        .containsExactly(RejectReason.SPARKPLUG_NOT_BORN);
    device("DDATA", payload().seq(6).metric("state", MetricDataType.String, "X").bytes());
    assertThat(rebirths.requested).hasSize(1);
    assertThat(rebirths.requested.get(0).nodeCommandTopic())
        .isEqualTo("spBv1.0/atelier/NCMD/simulator");
  }

  @Test
  void sequenceGapAsksForRebirthButKeepsTheData() throws Exception {
    birth();
    Decoded d =
        device("DDATA", payload().seq(7).aliasMetric(11, MetricDataType.Int32, 9, null).bytes());
    assertThat(d.samples()).extracting(Sample::value).containsExactly(9L);
    assertThat(rebirths.requested).hasSize(1);
    assertThat(stats.get(MqttStats.SPARKPLUG_SEQ_GAPS)).isEqualTo(1);
  }

  @Test
  void sequenceWrapsAt256() throws Exception {
    birth();
    long seq = 2;
    for (int i = 0; i < 300; i++) {
      device("DDATA", payload().seq(seq).aliasMetric(11, MetricDataType.Int32, i, null).bytes());
      seq = (seq + 1) % 256;
    }
    assertThat(rebirths.requested).isEmpty();
  }

  @Test
  void deviceDeathMarksItsSignalsBadWithoutValue() throws Exception {
    birth();
    Decoded d = device("DDEATH", payload().seq(2).at(3_000).bytes());
    assertThat(d.samples()).hasSize(3);
    assertThat(d.samples())
        .allSatisfy(
            s -> {
              assertThat(s.hasValue()).isFalse();
              assertThat(s.quality().level()).isEqualTo(Quality.Level.BAD);
              assertThat(s.sourceTime()).isEqualTo(Instant.ofEpochMilli(3_000));
            });
    // Data after death is refused until the device is born again.
    Decoded after =
        device("DDATA", payload().seq(3).aliasMetric(11, MetricDataType.Int32, 1, null).bytes());
    assertThat(after.issues())
        .extracting(Decoded.Issue::reason)
        .containsExactly(RejectReason.SPARKPLUG_NOT_BORN);
  }

  @Test
  void nodeDeathMarksEveryDeviceBadUnlessItIsAnOldWill() throws Exception {
    birth();
    assertThat(
            node("NDEATH", payload().metric("bdSeq", MetricDataType.Int64, 2L).bytes()).samples())
        .isEmpty();
    Decoded d = node("NDEATH", payload().metric("bdSeq", MetricDataType.Int64, 3L).bytes());
    assertThat(d.samples()).hasSize(3).allSatisfy(s -> assertThat(s.quality().isGood()).isFalse());
  }

  @Test
  void unknownAliasIsCountedAndAsksForRebirth() throws Exception {
    birth();
    Decoded d =
        device("DDATA", payload().seq(2).aliasMetric(99, MetricDataType.Int32, 1, null).bytes());
    assertThat(d.issues())
        .extracting(Decoded.Issue::reason)
        .containsExactly(RejectReason.SPARKPLUG_UNKNOWN_METRIC);
    assertThat(rebirths.requested).hasSize(1);
  }

  @Test
  void unknownDeviceIsAnUnknownMachine() throws Exception {
    birth();
    Decoded d =
        decoder.decode(
            "spBv1.0/atelier/DBIRTH/simulator/ghost-09",
            payload().seq(2).metric("x", MetricDataType.Int32, 1).bytes(),
            NOW);
    assertThat(d.issues())
        .extracting(Decoded.Issue::reason)
        .containsExactly(RejectReason.UNKNOWN_MACHINE);
  }

  @Test
  void commandsAndStateAreIgnoredQuietly() throws Exception {
    assertThat(decoder.decode("spBv1.0/atelier/NCMD/simulator", new byte[] {1, 2}, NOW).issues())
        .isEmpty();
    assertThat(decoder.decode("spBv1.0/STATE/host", "ONLINE".getBytes(), NOW).issues()).isEmpty();
    assertThat(decoder.decode("spBv1.0/atelier/DDATA/simulator", new byte[0], NOW).issues())
        .extracting(Decoded.Issue::reason)
        .containsExactly(RejectReason.SPARKPLUG_MALFORMED);
  }

  @Test
  void garbageNeverThrows() throws Exception {
    birth();
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      String type =
          new String[] {"NBIRTH", "DBIRTH", "DDATA", "DDEATH", "NDATA"}[random.nextInt(5)];
      String topic = type.startsWith("D") ? String.format(DEVICE, type) : String.format(NODE, type);
      Decoded d = decoder.decode(topic, junk, NOW);
      assertThat(d).isNotNull();
    }
    assertThat(decoder.knownNodes()).hasSizeLessThanOrEqualTo(SparkplugDecoder.MAX_NODES);
  }

  @Test
  void rebirthPayloadIsAValidSparkplugCommand() throws Exception {
    var p =
        new org.eclipse.tahu.message.SparkplugBPayloadDecoder()
            .buildFromByteArray(SparkplugRebirth.payload(), null);
    assertThat(p.getMetrics()).hasSize(1);
    assertThat(p.getMetrics().get(0).getName()).isEqualTo("Node Control/Rebirth");
    assertThat(p.getMetrics().get(0).getValue()).isEqualTo(true);
  }
}
