package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code settings.takeover}: defaults, validation with YAML paths, unknown keys. */
class TakeoverSettingsTest {

  private static final String MACHINES =
      """
      machines:
        - id: conveyor-01
          path: platform/hall-a/assembly/conveyor-01
          connection: broker
      """;

  private static String config(String extraSettings, boolean shared) {
    return """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: tcp://127.0.0.1:1883
              clientId: gw-a
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
        """
        + (shared ? "          shared: gateways\n" : "")
        + extraSettings.indent(6)
        + MACHINES;
  }

  private record Read(MqttSettings settings, List<ConfigProblem> problems) {}

  private static Read read(String yaml) {
    ConfigProblems problems = new ConfigProblems();
    var spec = GatewayYaml.connection(yaml);
    MqttSettings s = MqttSettings.read(spec.settingsNode(problems), spec.id());
    return new Read(s, problems.all());
  }

  @Test
  void onByDefaultWithASharedSubscription() {
    Read r = read(config("", true));
    assertThat(r.problems()).isEmpty();
    TakeoverSettings t = r.settings().takeover();
    assertThat(t.enabled()).isTrue();
    assertThat(t.delay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(t.topic()).isEqualTo("atelier/_gateways");
    assertThat(t.presenceTopic("gw-a")).isEqualTo("atelier/_gateways/gw-a");
    assertThat(t.presenceFilter()).isEqualTo("atelier/_gateways/+");
    assertThat(r.settings().shareGroups()).containsExactly("gateways");
  }

  @Test
  void offByDefaultWithoutSharedSubscriptions() {
    Read r = read(config("", false));
    assertThat(r.problems()).isEmpty();
    assertThat(r.settings().takeover().enabled()).isFalse();
  }

  @Test
  void explicitSettingsAreRead() {
    Read r =
        read(config("takeover:\n  enabled: true\n  delay: 30s\n  topic: plant/gateways", true));
    assertThat(r.problems()).isEmpty();
    assertThat(r.settings().takeover())
        .isEqualTo(new TakeoverSettings(true, Duration.ofSeconds(30), "plant/gateways"));
  }

  @Test
  void canBeSwitchedOff() {
    Read r = read(config("takeover:\n  enabled: false", true));
    assertThat(r.problems()).isEmpty();
    assertThat(r.settings().takeover().enabled()).isFalse();
  }

  @Test
  void delayMustBePositiveWholeSecondsAndWithinTheSessionExpiry() {
    assertThat(read(config("takeover:\n  delay: 0s", true)).problems())
        .extracting(ConfigProblem::path)
        .containsExactly("connections[0].settings.takeover.delay");
    assertThat(read(config("takeover:\n  delay: 1500ms", true)).problems())
        .extracting(ConfigProblem::path)
        .containsExactly("connections[0].settings.takeover.delay");
    List<ConfigProblem> tooLong =
        read(config("sessionExpiry: 10s\ntakeover:\n  delay: 11s", true)).problems();
    assertThat(tooLong)
        .extracting(ConfigProblem::path)
        .containsExactly("connections[0].settings.takeover.delay");
    assertThat(tooLong.get(0).message()).contains("sessionExpiry");
    assertThat(read(config("sessionExpiry: 10s\ntakeover:\n  delay: 10s", true)).problems())
        .isEmpty();
  }

  @Test
  void topicMustBeAPlainTopic() {
    for (String bad : List.of("atelier/+", "atelier/#", "$SYS/x", "atelier/", "\"\"")) {
      assertThat(read(config("takeover:\n  topic: " + bad, true)).problems())
          .as(bad)
          .extracting(ConfigProblem::path)
          .containsExactly("connections[0].settings.takeover.topic");
    }
  }

  @Test
  void unknownKeysAndTakeoverWithoutSharingAreRejected() {
    assertThat(read(config("takeover:\n  dealy: 5s", true)).problems())
        .extracting(ConfigProblem::path)
        .containsExactly("connections[0].settings.takeover.dealy");
    assertThat(read(config("takeover:\n  enabled: true", false)).problems())
        .extracting(ConfigProblem::path)
        .containsExactly("connections[0].settings.takeover.enabled");
  }

  @Test
  void presenceTopicsAreRecognised() {
    TakeoverSettings t = TakeoverSettings.defaults(true);
    assertThat(t.clientIdOf("atelier/_gateways/gw-b")).contains("gw-b");
    assertThat(t.clientIdOf("atelier/_gateways/")).isEmpty();
    assertThat(t.clientIdOf("atelier/_gateways/a/b")).isEmpty();
    assertThat(t.clientIdOf("atelier/_gatewaysX/gw-b")).isEmpty();
    assertThat(t.clientIdOf("atelier/platform/hall-a")).isEmpty();
  }
}
