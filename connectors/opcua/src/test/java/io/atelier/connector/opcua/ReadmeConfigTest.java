package io.atelier.connector.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.config.ConfigProblems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's sample configuration is real: it validates, and it covers every signal form. */
class ReadmeConfigTest {

  @Test
  void readmeSampleConfigurationValidatesWithoutProblems() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README has a ```yaml block").isTrue();

    ConnectionSpec spec = Specs.fromGatewayYaml(m.group(1), "sim-opcua");
    ConfigProblems problems = new ConfigProblems();
    new OpcUaConnectorFactory().validate(spec, problems);

    assertThat(problems.all()).isEmpty();
    assertThat(spec.type()).isEqualTo(new OpcUaConnectorFactory().type());
    OpcUaConfigReader.OpcUaConfig config = OpcUaConfigReader.read(spec, new ConfigProblems());
    assertThat(config.signals()).hasSize(4);
    assertThat(config.signals())
        .extracting(s -> s.node().getClass().getSimpleName())
        .containsExactly("Expanded", "Indexed", "BrowsePath", "Expanded");
    assertThat(config.settings().identity().type()).isEqualTo(OpcUaSettings.IdentityType.USERNAME);
  }
}
