package io.atelier.simulator.mqtt;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import io.atelier.testsupport.MosquittoExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's MQTT publisher against a real Mosquitto, read back by a plain Paho subscriber
 * that decodes JSON with Jackson and Sparkplug B with Eclipse Tahu.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SimulatorMqttPublisherIT {

  @RegisterExtension static final MosquittoExtension broker = new MosquittoExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final MachineInfo CONVEYOR =
      new MachineInfo(
          "conveyor-01",
          "conveyor",
          new MachineRef("platform", "hall-a", "assembly", "conveyor-01"),
          "mqtt-json",
          List.of(
              new SignalDef("speed", SignalType.DOUBLE, "m/s", "Speed"),
              new SignalDef("good_count", SignalType.LONG, "", "GoodCount"),
              new SignalDef("running", SignalType.BOOLEAN, "", "Running"),
              new SignalDef("state", SignalType.STRING, "", "State")));

  private static final MachineInfo PRINTER =
      new MachineInfo(
          "printer-01",
          "3d-printer",
          new MachineRef("platform", "hall-a", "moulding", "printer-01"),
          "sparkplug",
          List.of(
              new SignalDef("temperature_c", SignalType.DOUBLE, "degC", "Temperature"),
              new SignalDef("good_count", SignalType.LONG, "", "GoodCount"),
              new SignalDef("door_open", SignalType.BOOLEAN, "", "DoorOpen"),
              new SignalDef("state", SignalType.STRING, "", "State")));

  /** Served over OPC UA: the publisher must leave it alone. */
  private static final MachineInfo CNC =
      new MachineInfo(
          "cnc-01",
          "cnc-mill",
          new MachineRef("platform", "hall-a", "machining", "cnc-01"),
          "opcua",
          List.of(new SignalDef("spindle_speed", SignalType.DOUBLE, "rpm", "Spindle/Speed")));

  private static final String SPEED_TOPIC = "atelier/platform/hall-a/assembly/conveyor-01/speed";
  private static final String NBIRTH = "spBv1.0/atelier/NBIRTH/simulator";
  private static final String NDEATH = "spBv1.0/atelier/NDEATH/simulator";
  private static final String DBIRTH = "spBv1.0/atelier/DBIRTH/simulator/printer-01";
  private static final String DDATA = "spBv1.0/atelier/DDATA/simulator/printer-01";

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<SimulatorMqttPublisher> publishers = new ArrayList<>();
  private Instant t0;

  @AfterEach
  void tearDown() throws Exception {
    for (SimulatorMqttPublisher p : publishers) {
      p.stop().get(10, SECONDS);
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  @Test
  void jsonPublishesASnapshotThenEveryChangeOnItsSignalTopic(TestInfo test) throws Exception {
    MqttProbe probe = probe(test, false, "atelier/#");
    SignalBoard board = board();
    SimulatorMqttPublisher publisher = start(board, settings(test));

    // The snapshot after connecting carries every signal with its own change time.
    JsonNode first = json(probe.await(SPEED_TOPIC, 1, WAIT).get(0));
    assertThat(first.get("ts").asLong()).isEqualTo(t0.toEpochMilli());
    assertThat(first.get("value").asDouble()).isEqualTo(0.5);
    String base = "atelier/platform/hall-a/assembly/conveyor-01/";
    assertThat(
            json(probe.await(base + "good_count", 1, WAIT).get(0)).get("value").isIntegralNumber())
        .isTrue();
    assertThat(json(probe.await(base + "running", 1, WAIT).get(0)).get("value").asBoolean())
        .isTrue();
    assertThat(json(probe.await(base + "state", 1, WAIT).get(0)).get("value").asText())
        .isEqualTo("PRODUCING");

    Instant t1 = t0.plusMillis(1500);
    board.set("conveyor-01", "speed", 0.75, t1);
    board.set("conveyor-01", "good_count", 12L, t1);
    JsonNode change = json(probe.await(SPEED_TOPIC, 2, WAIT).get(1));
    assertThat(change.get("ts").asLong()).isEqualTo(t1.toEpochMilli());
    assertThat(change.get("value").asDouble()).isEqualTo(0.75);
    assertThat(json(probe.await(base + "good_count", 2, WAIT).get(1)).get("value").asLong())
        .isEqualTo(12L);

    // NaN has no JSON form: counted and logged, not sent.
    board.set("conveyor-01", "speed", Double.NaN, t1.plusMillis(1));
    await().atMost(WAIT).until(() -> publisher.rejectedCount() == 1);
    board.set("conveyor-01", "speed", 0.8, t1.plusMillis(2));
    assertThat(json(probe.await(SPEED_TOPIC, 3, WAIT).get(2)).get("value").asDouble())
        .isEqualTo(0.8);
    assertThat(probe.received()).noneMatch(r -> r.topic().contains("cnc-01"));
    assertThat(publisher.droppedCount()).isZero();
  }

  @Test
  void batchedJsonPublishesOneMessagePerMachineAndTick(TestInfo test) throws Exception {
    MqttProbe probe = probe(test, false, "atelier/#");
    SignalBoard board = board();
    start(board, settings(test).withBatched(true, Duration.ofMillis(200)));
    String topic = "atelier/platform/hall-a/assembly/conveyor-01";

    JsonNode snapshot = json(probe.await(topic, 1, WAIT).get(0));
    assertThat(snapshot.get("values").size()).isEqualTo(4);

    Instant t1 = t0.plusSeconds(2);
    board.set("conveyor-01", "speed", 1.25, t1.minusMillis(5));
    board.set("conveyor-01", "state", "BLOCKED", t1);
    await().atMost(WAIT).until(() -> probe.on(topic).stream().anyMatch(r -> isBlocked(json(r))));
    JsonNode batch =
        probe.on(topic).stream()
            .map(r -> json(r))
            .filter(SimulatorMqttPublisherIT::isBlocked)
            .findFirst()
            .orElseThrow();
    assertThat(batch.get("ts").asLong()).isEqualTo(t1.toEpochMilli());
    assertThat(batch.get("values").get("speed").asDouble()).isEqualTo(1.25);
    assertThat(batch.get("values").get("state").asText()).isEqualTo("BLOCKED");
    assertThat(batch.get("values").has("good_count")).as("only what changed").isFalse();
    assertThat(probe.received()).allMatch(r -> r.topic().equals(topic));
  }

  @Test
  void aSubscriberJoiningLaterGetsEveryJsonSignalsLastValueRetained(TestInfo test)
      throws Exception {
    MqttProbe early = probe(test, false, "atelier/#");
    SignalBoard board = board();
    start(board, settings(test));
    early.await(SPEED_TOPIC, 1, WAIT);
    Instant t1 = t0.plusMillis(700);
    board.set("conveyor-01", "speed", 0.9, t1);
    early.await(SPEED_TOPIC, 2, WAIT);

    // A gateway started after the simulator still learns signals that rarely change.
    MqttProbe late =
        new MqttProbe(broker.url(), "late-" + test.getDisplayName().hashCode(), false, "atelier/#");
    closeables.add(late);
    String base = "atelier/platform/hall-a/assembly/conveyor-01/";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(late.retained())
                    .extracting(MqttProbe.Received::topic)
                    .contains(SPEED_TOPIC, base + "good_count", base + "running", base + "state"));
    JsonNode speed =
        json(
            late.retained().stream()
                .filter(r -> r.topic().equals(SPEED_TOPIC))
                .reduce((a, b) -> b)
                .orElseThrow());
    assertThat(speed.get("value").asDouble()).isEqualTo(0.9);
    assertThat(speed.get("ts").asLong()).isEqualTo(t1.toEpochMilli());
  }

  @Test
  void burstsLargerThanTheBrokersInFlightWindowArriveCompleteAndInOrder(TestInfo test)
      throws Exception {
    // Mosquitto allows 20 QoS 1 messages in flight; a naive publisher loses the rest with
    // "too many publishes in progress" (32202).
    MqttProbe probe = probe(test, false, "atelier/#");
    SignalBoard board = board();
    SimulatorMqttPublisher publisher = start(board, settings(test));
    probe.await(SPEED_TOPIC, 1, WAIT);

    int n = 2000;
    for (int i = 1; i <= n; i++) {
      board.set("conveyor-01", "speed", (double) i, t0.plusMillis(i));
    }
    List<MqttProbe.Received> got = probe.await(SPEED_TOPIC, n + 1, Duration.ofSeconds(60));
    List<Double> values = got.stream().skip(1).map(r -> json(r).get("value").asDouble()).toList();
    assertThat(values).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(values.get(i)).isEqualTo((double) (i + 1));
    }
    assertThat(publisher.droppedCount()).isZero();
  }

  @Test
  void sparkplugBirthsWithAliasesThenDataByAliasWithWrappingSeqAndRebirthOnCommand(TestInfo test)
      throws Exception {
    MqttProbe probe = probe(test, false, "spBv1.0/#");
    SignalBoard board = board();
    start(board, settings(test));

    SparkplugBPayload nbirth = decode(probe.await(NBIRTH, 1, WAIT).get(0));
    assertThat(nbirth.getSeq()).isZero();
    Metric bdSeq = metric(nbirth, "bdSeq");
    assertThat(bdSeq.getDataType()).isEqualTo(MetricDataType.Int64);
    Metric rebirth = metric(nbirth, "Node Control/Rebirth");
    assertThat(rebirth.getValue()).isEqualTo(false);

    SparkplugBPayload dbirth = decode(probe.await(DBIRTH, 1, WAIT).get(0));
    assertThat(dbirth.getSeq()).isEqualTo(1);
    assertThat(dbirth.getMetrics())
        .extracting(Metric::getName)
        .containsExactly("temperature_c", "good_count", "door_open", "state");
    Map<Long, Metric> byAlias = new HashMap<>();
    for (Metric m : dbirth.getMetrics()) {
      assertThat(m.hasAlias()).as(m.getName()).isTrue();
      assertThat(m.getTimestamp()).isEqualTo(Date.from(t0));
      byAlias.put(m.getAlias(), m);
    }
    assertThat(byAlias).hasSize(4);
    assertThat(metric(dbirth, "temperature_c").getValue()).isEqualTo(210.0);
    assertThat(metric(dbirth, "temperature_c").getDataType()).isEqualTo(MetricDataType.Double);
    assertThat(metric(dbirth, "good_count").getValue()).isEqualTo(3L);
    assertThat(metric(dbirth, "good_count").getDataType()).isEqualTo(MetricDataType.Int64);
    assertThat(metric(dbirth, "door_open").getValue()).isEqualTo(false);
    assertThat(metric(dbirth, "state").getValue()).isEqualTo("IDLE");

    // 300 changes: seq runs 2..255, wraps to 0 and goes on.
    int n = 300;
    for (int i = 1; i <= n; i++) {
      board.set("printer-01", "temperature_c", 200.0 + i, t0.plusMillis(i));
    }
    List<MqttProbe.Received> data = probe.await(DDATA, n, Duration.ofSeconds(60));
    long tempAlias = metric(dbirth, "temperature_c").getAlias();
    for (int i = 0; i < n; i++) {
      SparkplugBPayload p = decode(data.get(i));
      assertThat(p.getSeq()).isEqualTo((i + 2) % 256L);
      Metric m = p.getMetrics().get(0);
      assertThat(m.hasName()).isFalse();
      assertThat(m.getAlias()).isEqualTo(tempAlias);
      assertThat(m.getValue()).isEqualTo(200.0 + i + 1);
      assertThat(m.getTimestamp()).isEqualTo(Date.from(t0.plusMillis(i + 1)));
    }

    // A host application asks for a rebirth: births again, seq from 0, same bdSeq.
    SparkplugBPayload cmd =
        new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(new Date())
            .addMetric(
                new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true)
                    .createMetric())
            .createPayload();
    probe.publish(
        "spBv1.0/atelier/NCMD/simulator", new SparkplugBPayloadEncoder().getBytes(cmd, false));
    SparkplugBPayload reborn = decode(probe.await(NBIRTH, 2, WAIT).get(1));
    assertThat(reborn.getSeq()).isZero();
    assertThat(metric(reborn, "bdSeq").getValue()).isEqualTo(bdSeq.getValue());
    SparkplugBPayload redbirth = decode(probe.await(DBIRTH, 2, WAIT).get(1));
    assertThat(redbirth.getSeq()).isEqualTo(1);
    assertThat(metric(redbirth, "temperature_c").getValue()).isEqualTo(200.0 + n);
  }

  @Test
  void stopSendsTheDeathCertificateAndTheNextStartBirthsWithTheNextBdSeq(TestInfo test)
      throws Exception {
    MqttProbe probe = probe(test, false, "spBv1.0/#");
    SimulatorMqttPublisher publisher = start(board(), settings(test));
    long bdSeq = (Long) metric(decode(probe.await(NBIRTH, 1, WAIT).get(0)), "bdSeq").getValue();

    publisher.stop().get(10, SECONDS);
    assertThat(publisher.isConnected()).isFalse();
    SparkplugBPayload death = decode(probe.await(NDEATH, 1, WAIT).get(0));
    assertThat(metric(death, "bdSeq").getValue()).isEqualTo(bdSeq);

    publisher.start().get(30, SECONDS);
    SparkplugBPayload birth = decode(probe.await(NBIRTH, 2, WAIT).get(1));
    assertThat(metric(birth, "bdSeq").getValue()).isEqualTo((bdSeq + 1) % 256);
  }

  @Test
  void reconnectsAfterABrokerRestartDeliversQueuedJsonAndRebirths(TestInfo test) throws Exception {
    MqttProbe probe = probe(test, true, "atelier/#", "spBv1.0/#");
    SignalBoard board = board();
    SimulatorMqttPublisher publisher = start(board, settings(test));
    probe.await(SPEED_TOPIC, 1, WAIT);
    long bdSeq = (Long) metric(decode(probe.await(NBIRTH, 1, WAIT).get(0)), "bdSeq").getValue();

    broker.server().stop();
    await().atMost(WAIT).until(() -> !publisher.isConnected());
    for (int i = 1; i <= 5; i++) {
      board.set("conveyor-01", "speed", 10.0 + i, t0.plusSeconds(i));
    }
    board.set("printer-01", "temperature_c", 99.5, t0.plusSeconds(6));
    broker.server().start();

    await().atMost(Duration.ofSeconds(60)).until(publisher::isConnected);
    List<MqttProbe.Received> speeds = probe.await(SPEED_TOPIC, 7, Duration.ofSeconds(60));
    assertThat(speeds.stream().map(r -> json(r).get("value").asDouble()))
        .contains(11.0, 12.0, 13.0, 14.0, 15.0);
    SparkplugBPayload birth = decode(probe.await(NBIRTH, 2, WAIT).get(1));
    assertThat(metric(birth, "bdSeq").getValue()).isEqualTo((bdSeq + 1) % 256);
    SparkplugBPayload dbirth = decode(probe.await(DBIRTH, 2, WAIT).get(1));
    assertThat(metric(dbirth, "temperature_c").getValue()).isEqualTo(99.5);
  }

  @Test
  void killingTheSimulatorProcessMakesTheBrokerPublishItsDeathCertificate(
      TestInfo test, @TempDir Path dir) throws Exception {
    String node = "child-node";
    MqttProbe probe =
        probe(test, false, "spBv1.0/atelier/+/" + node, "spBv1.0/atelier/+/" + node + "/#");
    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SparkplugChildMain.class.getName(),
                broker.url(),
                "sim-child-" + ProcessHandle.current().pid(),
                node)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      String nbirthTopic = "spBv1.0/atelier/NBIRTH/" + node;
      await()
          .atMost(Duration.ofSeconds(60))
          .failFast("child exited: " + tail(log), () -> !child.isAlive())
          .until(() -> !probe.on(nbirthTopic).isEmpty());
      long bdSeq = (Long) metric(decode(probe.on(nbirthTopic).get(0)), "bdSeq").getValue();
      probe.await("spBv1.0/atelier/DDATA/" + node + "/printer-01", 2, WAIT);

      child.destroyForcibly();
      assertThat(child.waitFor(10, SECONDS)).isTrue();

      SparkplugBPayload death =
          decode(probe.await("spBv1.0/atelier/NDEATH/" + node, 1, WAIT).get(0));
      assertThat(metric(death, "bdSeq").getValue()).isEqualTo(bdSeq);
    } finally {
      child.destroyForcibly();
    }
  }

  // --- helpers

  private SimulatorMqttPublisher start(SignalBoard board, MqttPublisherSettings settings)
      throws Exception {
    SimulatorMqttPublisher publisher = new SimulatorMqttPublisher(board, settings);
    publishers.add(publisher);
    publisher.start().get(30, SECONDS);
    assertThat(publisher.isConnected()).isTrue();
    return publisher;
  }

  private MqttProbe probe(TestInfo test, boolean durable, String... filters) throws Exception {
    MqttProbe probe =
        new MqttProbe(
            broker.url(),
            "probe-" + test.getTestMethod().orElseThrow().getName(),
            durable,
            filters);
    closeables.add(probe);
    return probe;
  }

  private static MqttPublisherSettings settings(TestInfo test) {
    return MqttPublisherSettings.defaults(broker.url())
        .withClientId("sim-" + test.getTestMethod().orElseThrow().getName());
  }

  private SignalBoard board() {
    t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    SignalBoard board = new SignalBoard();
    board.define(
        CONVEYOR,
        Map.of("speed", 0.5, "good_count", 0L, "running", true, "state", "PRODUCING"),
        t0);
    board.define(
        PRINTER,
        Map.of("temperature_c", 210.0, "good_count", 3L, "door_open", false, "state", "IDLE"),
        t0);
    board.define(CNC, Map.of("spindle_speed", 0.0), t0);
    return board;
  }

  private static boolean isBlocked(JsonNode batch) {
    return batch.get("values").path("state").asText().equals("BLOCKED");
  }

  private static JsonNode json(MqttProbe.Received r) {
    try {
      return JSON.readTree(r.payload());
    } catch (IOException e) {
      throw new AssertionError("not JSON on " + r.topic(), e);
    }
  }

  private static SparkplugBPayload decode(MqttProbe.Received r) throws Exception {
    return new SparkplugBPayloadDecoder().buildFromByteArray(r.payload(), null);
  }

  private static Metric metric(SparkplugBPayload payload, String name) {
    return payload.getMetrics().stream()
        .filter(m -> name.equals(m.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + payload));
  }

  private static String tail(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
