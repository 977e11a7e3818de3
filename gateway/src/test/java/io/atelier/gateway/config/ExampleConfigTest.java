package io.atelier.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.gateway.connection.ConnectorRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The documented example must stay valid: it is what users copy, and what the demo runs. */
class ExampleConfigTest {

  private static final Path EXAMPLE = Path.of("../config/atelier.example.yaml");

  @Test
  void theExampleConfigurationIsValidWithTheRealConnectors() {
    ConnectorRegistry registry = ConnectorRegistry.load();
    assertThat(registry.types()).contains("opcua", "mqtt");
    GatewayConfig c = new ConfigLoader(registry, name -> null).load(EXAMPLE);
    assertThat(c.machines())
        .extracting(MachineConfig::id)
        .containsExactly(
            "cnc-01", "robot-01", "imm-01", "assembly-01", "conveyor-01", "printer-01");
    assertThat(c.connections()).extracting(cs -> cs.type()).containsExactly("opcua", "mqtt");
    assertThat(c.connections().get(0).settings().get("endpoint"))
        .isEqualTo("opc.tcp://localhost:4840/atelier");
    assertThat(c.connections().get(1).settings().get("url")).isEqualTo("tcp://localhost:1883");
  }
}
