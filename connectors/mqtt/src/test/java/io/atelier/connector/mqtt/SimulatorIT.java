package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Sample;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import io.atelier.simulator.mqtt.MqttPublisherSettings;
import io.atelier.simulator.mqtt.SimulatorMqttPublisher;
import io.atelier.testsupport.MosquittoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The project's simulator publishes a JSON machine (conveyor-01) and a Sparkplug B machine
 * (printer-01) through a real Mosquitto; the connector, configured as in the example configuration,
 * must turn every change into a sample with the right machine, signal, value and source timestamp.
 */
@Timeout(120)
class SimulatorIT {

  static final List<SignalDef> SIGNALS =
      List.of(
          new SignalDef("power_kw", SignalType.DOUBLE, "kW", "Monitoring/Power"),
          new SignalDef("good_count", SignalType.LONG, "", "Production/GoodCount"),
          new SignalDef("running", SignalType.BOOLEAN, "", "Monitoring/Running"),
          new SignalDef("state", SignalType.STRING, "", "Production/State"));

  @RegisterExtension final MosquittoExtension broker = new MosquittoExtension();

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();
  SimulatorMqttPublisher simulator;

  @AfterEach
  void tearDown() throws Exception {
    if (simulator != null) {
      simulator.stop().get(30, TimeUnit.SECONDS);
    }
    harness.close();
  }

  static String config(String url) {
    return """
        connections:
          - id: sim-mqtt
            type: mqtt
            settings:
              url: %s
              clientId: it-simulator
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
                  qos: 1
                  decoder: json-value
                - topic: "atelier/{site}/{area}/{line}/{machine}"
                  qos: 1
                  decoder: json-batch
                - topic: "spBv1.0/atelier/#"
                  qos: 0
                  decoder: sparkplug
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: sim-mqtt
          - id: printer-01
            path: platform/hall-a/moulding/printer-01
            connection: sim-mqtt
        """
        .formatted(url);
  }

  @ParameterizedTest(name = "batched JSON: {0}")
  @ValueSource(booleans = {false, true})
  void everySimulatedChangeBecomesASample(boolean batched) throws Exception {
    SignalBoard board = new SignalBoard();
    Instant t0 = Instant.parse("2025-03-01T08:00:00Z");
    Map<String, Object> initial =
        Map.of("power_kw", 1.5, "good_count", 0L, "running", false, "state", "IDLE");
    board.define(
        new MachineInfo(
            "conveyor-01",
            "conveyor",
            MachineRef.parse("platform/hall-a/assembly/conveyor-01"),
            "mqtt-json",
            SIGNALS),
        initial,
        t0);
    board.define(
        new MachineInfo(
            "printer-01",
            "3d-printer",
            MachineRef.parse("platform/hall-a/moulding/printer-01"),
            "sparkplug",
            SIGNALS),
        initial,
        t0);

    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(config(broker.url()), sink, dir.resolve("c"));
    await(c.start());
    simulator =
        new SimulatorMqttPublisher(
            board,
            MqttPublisherSettings.defaults(broker.url())
                .withBatched(batched, Duration.ofMillis(50)));
    simulator.start().get(30, TimeUnit.SECONDS);

    // The Sparkplug births carry the initial values.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> sink.samples(of("printer-01", "state", "IDLE")).size() >= 1);

    Instant t1 = t0.plusSeconds(60);
    for (String machine : List.of("conveyor-01", "printer-01")) {
      board.set(machine, "power_kw", 3.25, t1);
      board.set(machine, "good_count", 17L, t1.plusMillis(1));
      board.set(machine, "running", true, t1.plusMillis(2));
      board.set(machine, "state", "PRODUCING", t1.plusMillis(3));
    }

    for (String machine : List.of("conveyor-01", "printer-01")) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sink.samples(of(machine, "state", "PRODUCING")).size() >= 1);
      // In a batch every value carries the batch's time (the latest change); else its own.
      boolean ownTimes = !(batched && machine.equals("conveyor-01"));
      assertArrived(sink, machine, "power_kw", 3.25, ownTimes ? t1 : null);
      assertArrived(sink, machine, "good_count", 17L, ownTimes ? t1.plusMillis(1) : null);
      assertArrived(sink, machine, "running", true, ownTimes ? t1.plusMillis(2) : null);
      assertArrived(sink, machine, "state", "PRODUCING", t1.plusMillis(3));
    }
    assertThat(c.rejections().counts()).isEmpty();
    assertThat(sink.samples()).allSatisfy(s -> assertThat(s.quality().isGood()).isTrue());
    await(c.stop());
  }

  @Test
  void simulatorShutdownMarksTheSparkplugMachineBad() throws Exception {
    SignalBoard board = new SignalBoard();
    board.define(
        new MachineInfo(
            "printer-01",
            "3d-printer",
            MachineRef.parse("platform/hall-a/moulding/printer-01"),
            "sparkplug",
            SIGNALS),
        Map.of("power_kw", 1.5, "good_count", 0L, "running", false, "state", "IDLE"),
        Instant.now());
    CollectingSink sink = new CollectingSink();
    MqttConnector c = harness.connector(config(broker.url()), sink, dir.resolve("c"));
    await(c.start());
    SimulatorMqttPublisher sim =
        new SimulatorMqttPublisher(board, MqttPublisherSettings.defaults(broker.url()));
    sim.start().get(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() >= 4);

    sim.stop().get(30, TimeUnit.SECONDS); // sends its NDEATH (or DDEATH) before leaving

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sink.samples(s -> !s.quality().isGood()).size() >= 4);
    assertThat(sink.samples(s -> !s.quality().isGood()))
        .allSatisfy(s -> assertThat(s.hasValue()).isFalse())
        .extracting(Sample::signal)
        .contains("power_kw", "good_count", "running", "state");
    await(c.stop());
  }

  private static Predicate<Sample> of(String machine, String signal, Object value) {
    return s -> s.machine().equals(machine) && s.signal().equals(signal) && value.equals(s.value());
  }

  private static void assertArrived(
      CollectingSink sink, String machine, String signal, Object value, Instant time) {
    List<Sample> found = sink.samples(of(machine, signal, value));
    assertThat(found).as("%s/%s = %s", machine, signal, value).isNotEmpty();
    if (time != null) {
      assertThat(found).extracting(Sample::sourceTime).contains(time);
    }
  }
}
