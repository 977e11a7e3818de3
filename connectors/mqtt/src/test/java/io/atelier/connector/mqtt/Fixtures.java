package io.atelier.connector.mqtt;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.SampleSink;
import io.atelier.connector.api.config.ConfigProblems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the connector's parts from YAML for unit tests, without a broker. */
final class Fixtures {

  static final String DEMO =
      """
      connections:
        - id: broker
          type: mqtt
          settings:
            url: tcp://127.0.0.1:1883
            maxPayloadBytes: 4096
            maxJsonDepth: 8
            subscriptions:
              - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
              - topic: "atelier/{site}/{area}/{line}/{machine}"
              - topic: "plain/{machine}/{signal}"
                decoder: plain
              - topic: "spBv1.0/atelier/#"
      machines:
        - id: conveyor-01
          path: platform/hall-a/assembly/conveyor-01
          connection: broker
          signals:
            - name: state
            - name: motor_temperature_c
              pointer: /data/motor/temp
        - id: printer-01
          path: platform/hall-a/moulding/printer-01
          connection: broker
          signals:
            - name: nozzle_temperature_c
              metric: Extruder/Nozzle
        - id: strict-01
          path: platform/hall-a/assembly/strict-01
          connection: broker
          source:
            acceptUnconfiguredSignals: false
          signals:
            - name: speed
        - id: press-07
          path: platform/hall-b/forming/press-07
          connection: broker
          source:
            topic: factory/press7/telemetry
            timestampPointer: /time
          signals:
            - name: stroke_count
            - name: oil_temperature_c
              topic: sensors/press7/oil
              decoder: plain
            - name: tonnage_kn
              topic: sensors/press7/load
              pointer: /reading/kn
              timestampPointer: /reading/at
      """;

  private Fixtures() {}

  record Parts(MqttSettings settings, MqttMapping mapping) {}

  static Parts parts(String yaml) {
    ConnectionSpec spec = GatewayYaml.connection(yaml);
    ConfigProblems problems = new ConfigProblems();
    MqttSettings settings = MqttSettings.read(spec.settingsNode(problems), spec.id());
    MqttMapping mapping = MqttMapping.read(spec, settings, problems);
    problems.throwIfAny();
    return new Parts(settings, mapping);
  }

  /** Published rebirth requests, for assertions. */
  static final class Rebirths implements SparkplugDecoder.RebirthRequester {
    final List<SparkplugTopic> requested = new ArrayList<>();

    @Override
    public void requestRebirth(SparkplugTopic node) {
      requested.add(node);
    }
  }

  static MessageIntake intake(
      String yaml,
      SampleSink sink,
      MessageIntake.Acknowledger acks,
      MessageIntake.Scheduler scheduler,
      SparkplugDecoder.RebirthRequester rebirths,
      Path deadLetter,
      MqttStats stats) {
    Parts p = parts(yaml);
    MqttRejections rejections =
        new MqttRejections("broker", new DeadLetterFile(deadLetter, 1 << 20));
    return new MessageIntake(
        "broker",
        p.mapping(),
        p.settings(),
        new SparkplugDecoder(p.mapping(), rebirths, stats),
        rejections,
        stats,
        sink,
        acks,
        scheduler);
  }

  /** An intake for decoding only: samples and acks go nowhere. */
  static MessageIntake decoderOnly(String yaml, Path deadLetter) {
    return intake(
        yaml,
        (samples, completion) -> completion.succeeded(),
        (id, qos, epoch) -> {},
        (delay, task) -> {},
        new Rebirths(),
        deadLetter,
        new MqttStats());
  }
}
