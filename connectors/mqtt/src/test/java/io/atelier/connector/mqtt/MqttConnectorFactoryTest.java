package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atelier.connector.api.ConnectorContext;
import io.atelier.connector.api.ConnectorFactory;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.api.config.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MqttConnectorFactoryTest {

  private static final String MACHINES =
      """
      machines:
        - id: conveyor-01
          path: platform/hall-a/assembly/conveyor-01
          connection: broker
          signals:
            - name: state
      """;

  private static List<ConfigProblem> problems(String connectionYaml) {
    ConfigProblems problems = new ConfigProblems();
    new MqttConnectorFactory()
        .validate(GatewayYaml.connection(connectionYaml + MACHINES), problems);
    return problems.all();
  }

  private static String settings(String settingsYaml) {
    return """
        connections:
          - id: broker
            type: mqtt
            settings:
        """
        + settingsYaml.indent(6);
  }

  private static final String SUBSCRIPTION =
      """
      subscriptions:
        - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
      """;

  @Test
  void isFoundByServiceLoaderAsTypeMqtt() {
    assertThat(ServiceLoader.load(ConnectorFactory.class).stream().map(p -> p.get().type()))
        .contains("mqtt");
  }

  @Test
  void minimalConfigurationIsValidWithSafeDefaults() {
    String yaml = settings("url: tcp://127.0.0.1:1883\n" + SUBSCRIPTION);
    assertThat(problems(yaml)).isEmpty();

    ConfigProblems p = new ConfigProblems();
    var spec = GatewayYaml.connection(yaml + MACHINES);
    MqttSettings s = MqttSettings.read(spec.settingsNode(p), spec.id());
    assertThat(s.cleanStart()).isFalse();
    assertThat(s.sessionExpiry()).isEqualTo(Duration.ofHours(1));
    assertThat(s.maxPayloadBytes()).isEqualTo(256 * 1024);
    assertThat(s.clientId()).startsWith("atelier-broker-");
    assertThat(s.deadLetterFile(Path.of("/data/x")))
        .isEqualTo(Path.of("/data/x/dead-letter.jsonl"));
    assertThat(s.subscriptions().get(0).decoder()).isEqualTo(DecoderKind.JSON_VALUE);
    assertThat(s.subscriptions().get(0).subscriptionFilter()).isEqualTo("atelier/+/+/+/+/+");
  }

  @Test
  void missingUrlIsReportedWithItsPath() {
    assertThat(problems(settings(SUBSCRIPTION)))
        .extracting(ConfigProblem::path, ConfigProblem::message)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "connections[0].settings.url", "missing required field"));
  }

  @Test
  void badUrlSchemeIsReported() {
    List<ConfigProblem> p = problems(settings("url: http://127.0.0.1:1883\n" + SUBSCRIPTION));
    assertThat(p).extracting(ConfigProblem::path).containsExactly("connections[0].settings.url");
    assertThat(p.get(0).message()).contains("tcp://").contains("ssl://");
  }

  @Test
  void unknownKeysAreReportedEverywhere() {
    String yaml =
        """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: tcp://127.0.0.1:1883
              urll: oops
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
                  qso: 1
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
            source: { topik: a/b }
            signals:
              - name: state
                pointr: /value
        """;
    ConfigProblems problems = new ConfigProblems();
    new MqttConnectorFactory().validate(GatewayYaml.connection(yaml), problems);
    assertThat(problems.all())
        .extracting(ConfigProblem::path)
        .contains(
            "connections[0].settings.urll",
            "connections[0].settings.subscriptions[0].qso",
            "machines[0].source.topik",
            "machines[0].signals[0].pointr");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml =
        settings(
            """
            url: ftp://x
            qos: 3
            sessionExpiry: 0s
            maxPayloadBytes: lots
            subscriptions:
              - topic: "atelier/{machine}x/{signal}"
                qos: 5
                decoder: xml
              - topic: "a/#/b"
              - topic: "atelier/{machine}/{signal}"
                shared: "a/b"
            """);
    assertThat(problems(yaml))
        .extracting(ConfigProblem::path)
        .contains(
            "connections[0].settings.url",
            "connections[0].settings.qos",
            "connections[0].settings.sessionExpiry",
            "connections[0].settings.maxPayloadBytes",
            "connections[0].settings.subscriptions[0].topic",
            "connections[0].settings.subscriptions[0].qos",
            "connections[0].settings.subscriptions[0].decoder",
            "connections[0].settings.subscriptions[1].topic",
            "connections[0].settings.subscriptions[2].shared");
  }

  @Test
  void passwordIsNeverEchoed() {
    String yaml = settings("url: tcp://127.0.0.1:1883\npassword: [s3cret]\n" + SUBSCRIPTION);
    List<ConfigProblem> p = problems(yaml);
    assertThat(p).extracting(ConfigProblem::path).contains("connections[0].settings.password");
    assertThat(p.toString()).doesNotContain("s3cret");

    var spec =
        GatewayYaml.connection(
            settings("url: tcp://127.0.0.1:1883\npassword: s3cret\n" + SUBSCRIPTION) + MACHINES);
    MqttSettings s = MqttSettings.read(spec.settingsNode(new ConfigProblems()), spec.id());
    assertThat(s.password()).contains("s3cret");
    assertThat(s.toString()).doesNotContain("s3cret");
  }

  @Test
  void tlsNeedsSslUrlAndExistingFiles() {
    List<ConfigProblem> p =
        problems(
            settings(
                "url: tcp://127.0.0.1:1883\ntls: {caFile: /nonexistent/ca.pem, certFile: /nonexistent/c.pem}\n"
                    + SUBSCRIPTION));
    assertThat(p)
        .extracting(ConfigProblem::path)
        .contains(
            "connections[0].settings.tls",
            "connections[0].settings.tls.caFile",
            "connections[0].settings.tls.certFile");
  }

  @Test
  void templatesMustFitTheirDecoder() {
    List<ConfigProblem> p =
        problems(
            settings(
                """
                url: tcp://127.0.0.1:1883
                subscriptions:
                  - topic: "atelier/{machine}"
                    decoder: json-value
                  - topic: "atelier/{machine}/{signal}"
                    decoder: json-batch
                  - topic: "spBv1.0/{machine}/#"
                    decoder: sparkplug
                  - topic: "{signal}"
                """));
    assertThat(p)
        .extracting(ConfigProblem::path)
        .containsExactly(
            "connections[0].settings.subscriptions[0].topic",
            "connections[0].settings.subscriptions[1].topic",
            "connections[0].settings.subscriptions[2].topic",
            "connections[0].settings.subscriptions[3].topic");
  }

  @Test
  void explicitMappingProblemsCarryMachinePaths() {
    String yaml =
        settings("url: tcp://127.0.0.1:1883\n")
            + """
            machines:
              - id: m1
                path: s/a/l/m1
                connection: broker
                source: { topic: "x/{machine}", decoder: sparkplug }
                signals:
                  - name: a
                    topic: t/a
                    pointer: "no-slash"
                  - name: b
                    topic: t/a
                    decoder: plain
                    pointer: /v
              - id: m2
                path: s/a/l/m2
                connection: broker
                source: { sparkplugDevice: dev }
                signals: []
            """;
    ConfigProblems problems = new ConfigProblems();
    new MqttConnectorFactory().validate(GatewayYaml.connection(yaml), problems);
    assertThat(problems.all())
        .extracting(ConfigProblem::path)
        .contains(
            "machines[0].source.topic",
            "machines[0].source.decoder",
            "machines[0].signals[0].pointer",
            "machines[0].signals[1].topic",
            "machines[0].signals[1].pointer",
            "machines[1].source.sparkplugDevice");
  }

  @Test
  void nothingToSubscribeToIsAProblem() {
    assertThat(problems(settings("url: tcp://127.0.0.1:1883\n")))
        .extracting(ConfigProblem::path)
        .contains("connections[0].settings.subscriptions");
  }

  @Test
  void createRefusesAnInvalidSpec() {
    var spec = GatewayYaml.connection(settings("url: nope\n") + MACHINES);
    assertThatThrownBy(
            () ->
                new MqttConnectorFactory()
                    .create(new ConnectorContext(null, spec, null, Path.of("x"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("connections[0].settings.url");
  }
}
