package io.atelier.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

  private final ConfigProblems problems = new ConfigProblems();

  private SimulatorSettings read(Map<String, Object> section) {
    return SimulatorSettings.read(new ConfigNode("simulator", section, problems));
  }

  @Test
  void readsTheControlUrlAndTimeout() {
    SimulatorSettings s = read(Map.of("controlUrl", "http://localhost:8081", "timeout", "2s"));
    assertThat(problems.all()).isEmpty();
    assertThat(s.controlUrl()).contains(URI.create("http://localhost:8081"));
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anAbsentOrEmptySectionMeansNoSimulator() {
    assertThat(read(Map.of()).controlUrl()).isEmpty();
    assertThat(read(Map.of("controlUrl", "")).controlUrl()).isEmpty();
    assertThat(problems.all()).isEmpty();
  }

  @Test
  void reportsEveryProblemWithItsPath() {
    read(Map.of("controlUrl", "tcp://localhost:8081", "timeout", "5m", "port", 8081));
    assertThat(problems.all())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("simulator.controlUrl", "simulator.timeout", "simulator.port");
  }
}
