package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.config.ConfigProblems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's sample configurations must stay valid: docs that drift are worse than none. */
class ReadmeConfigTest {

  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  static List<String> configBlocks() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(readme);
    while (m.find()) {
      if (m.group(1).contains("connections:")) {
        blocks.add(m.group(1));
      }
    }
    return blocks;
  }

  @Test
  void sampleConfigurationIsValid() throws Exception {
    List<String> blocks = configBlocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
    ConnectionSpec spec = GatewayYaml.connection(blocks.get(0));
    assertThat(spec.type()).isEqualTo(new MqttConnectorFactory().type());
    assertThat(spec.machines()).extracting(m -> m.id()).contains("conveyor-01", "printer-01");

    ConfigProblems problems = new ConfigProblems();
    new MqttConnectorFactory().validate(spec, problems);

    assertThat(problems.all()).isEmpty();
  }

  @Test
  void sampleConfigurationMeansWhatItSays() throws Exception {
    ConnectionSpec spec = GatewayYaml.connection(configBlocks().get(0));
    ConfigProblems problems = new ConfigProblems();
    MqttSettings settings = MqttSettings.read(spec.settingsNode(problems), spec.id());
    MqttMapping mapping = MqttMapping.read(spec, settings, problems);

    assertThat(settings.cleanStart()).isFalse();
    assertThat(settings.sessionExpiry()).hasHours(1);
    assertThat(settings.maxPayloadBytes()).isEqualTo(256 * 1024);
    assertThat(settings.subscriptions())
        .extracting(s -> s.decoder())
        .containsExactly(DecoderKind.JSON_VALUE, DecoderKind.JSON_BATCH, DecoderKind.SPARKPLUG);
    assertThat(mapping.sparkplugMachine("simulator", "printer-01")).isPresent();
    assertThat(mapping.route("atelier/platform/hall-a/assembly/conveyor-01/belt_speed"))
        .isInstanceOf(RouteResult.Found.class);
  }

  @Test
  void sharedSubscriptionSampleIsValidAndMeansWhatItSays() throws Exception {
    List<String> blocks = configBlocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
    ConnectionSpec spec = GatewayYaml.connection(blocks.get(2));
    ConfigProblems problems = new ConfigProblems();
    new MqttConnectorFactory().validate(spec, problems);
    assertThat(problems.all()).isEmpty();

    MqttSettings settings = MqttSettings.read(spec.settingsNode(problems), spec.id());
    assertThat(settings.takeover())
        .isEqualTo(new TakeoverSettings(true, Duration.ofSeconds(5), "atelier/_gateways"));
    assertThat(settings.shareGroups()).containsExactly("gateways");
    assertThat(settings.subscriptions().get(0).subscriptionFilter())
        .isEqualTo("$share/gateways/atelier/+/+/+/+/+");
  }

  @Test
  void explicitTopicSampleIsValid(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    String yaml =
        configBlocks()
            .get(1)
            .replace("/etc/atelier/mqtt/ca.pem", certs.certFile().toString())
            .replace("/etc/atelier/mqtt/client.pem", certs.certFile().toString())
            .replace("/etc/atelier/mqtt/client.key", certs.keyFile().toString());
    ConnectionSpec spec = GatewayYaml.connection(yaml);

    ConfigProblems problems = new ConfigProblems();
    new MqttConnectorFactory().validate(spec, problems);

    assertThat(problems.all()).isEmpty();
  }
}
