package io.atelier.simulator.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atelier.simulator.machine.SignalType;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

class OpcUaServerSettingsTest {

  private static final Path PKI = Path.of("pki");

  @Test
  void defaultsServeTrainingOnTheStandardPathWithExplicitLimits() {
    OpcUaServerSettings s = OpcUaServerSettings.defaults(PKI, 4840);
    assertThat(s.path()).isEqualTo("/atelier");
    assertThat(s.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(s.allowAnonymous()).isTrue();
    assertThat(s.trustAllClientCertificates()).isTrue();
    assertThat(s.limits().minSamplingIntervalMs()).isEqualTo(50.0);
    assertThat(s.limits().maxSessions()).isLessThan(Integer.MAX_VALUE);
  }

  @Test
  void rejectsSettingsThatCannotWork() {
    assertThatThrownBy(() -> OpcUaServerSettings.defaults(PKI, 0)).hasMessageContaining("port");
    OpcUaServerSettings s = OpcUaServerSettings.defaults(PKI, 4840);
    assertThatThrownBy(
            () ->
                new OpcUaServerSettings(
                    "127.0.0.1", 4840, "atelier", PKI, Map.of(), true, true, s.limits()))
        .hasMessageContaining("path");
    assertThatThrownBy(
            () ->
                new OpcUaServerSettings(
                    "127.0.0.1", 4840, "/atelier", PKI, Map.of(), false, true, s.limits()))
        .hasMessageContaining("no users");
    assertThatThrownBy(() -> new OpcUaServerSettings.Limits(0, 1, 1, 1, 1, 50, 50))
        .hasMessageContaining("maxSessions");
  }

  @Test
  void boardValuesMapToTheDeclaredOpcUaTypeOrAreRefused() {
    assertThat(MachinesNamespace.toVariant(SignalType.DOUBLE, 3)).isEqualTo(Variant.ofDouble(3.0));
    assertThat(MachinesNamespace.toVariant(SignalType.LONG, 7)).isEqualTo(Variant.ofInt64(7L));
    assertThat(MachinesNamespace.toVariant(SignalType.LONG, 7.5)).isNull();
    assertThat(MachinesNamespace.toVariant(SignalType.BOOLEAN, true))
        .isEqualTo(Variant.ofBoolean(true));
    assertThat(MachinesNamespace.toVariant(SignalType.STRING, "IDLE"))
        .isEqualTo(Variant.ofString("IDLE"));
    assertThat(MachinesNamespace.toVariant(SignalType.STRING, 1)).isNull();
  }

  @Test
  void toStringKeepsPasswordsOut() {
    OpcUaServerSettings s = OpcUaServerSettings.defaults(PKI, 4840).withUsers(Map.of("u", "pw42"));
    assertThat(s.toString()).contains("u").doesNotContain("pw42");
    assertThat(
            io.atelier.simulator.mqtt.MqttPublisherSettings.defaults("tcp://localhost:1883")
                .withCredentials("u", "pw42")
                .toString())
        .doesNotContain("pw42");
  }
}
