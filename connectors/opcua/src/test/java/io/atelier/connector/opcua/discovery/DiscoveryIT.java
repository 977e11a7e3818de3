package io.atelier.connector.opcua.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import io.atelier.simulator.opcua.OpcUaServerSettings;
import io.atelier.simulator.opcua.SimulatorOpcUaServer;
import io.atelier.testsupport.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against the project's simulator OPC UA server (in-process, 127.0.0.1, free port): two
 * machines whose variables sit in nested objects ({@code Monitoring/Spindle/Speed}), with two
 * variables that share their browse name.
 */
@Timeout(120)
class DiscoveryIT {

  private static final List<SignalDef> SIGNALS =
      List.of(
          new SignalDef("spindle_speed", SignalType.DOUBLE, "rpm", "Monitoring/Spindle/Speed"),
          new SignalDef("feed_speed", SignalType.DOUBLE, "", "Monitoring/Feed/Speed"),
          new SignalDef("good_count", SignalType.LONG, "", "Production/GoodCount"),
          new SignalDef("running", SignalType.BOOLEAN, "", "Running"),
          new SignalDef("program", SignalType.STRING, "", "Production/Program"));

  @TempDir static Path dir;
  private static SimulatorOpcUaServer server;
  private static String endpoint;

  @BeforeAll
  static void startServer() throws Exception {
    SignalBoard board = new SignalBoard();
    for (String id : List.of("cnc-01", "Robot Cell")) {
      board.define(
          new MachineInfo(id, "test", MachineRef.parse("s/a/l/m"), "opcua", SIGNALS),
          Map.of(
              "spindle_speed",
              1.5,
              "feed_speed",
              2.0,
              "good_count",
              3L,
              "running",
              true,
              "program",
              "P1"),
          Instant.now());
    }
    int port = FreePort.pick();
    server =
        new SimulatorOpcUaServer(
            board,
            OpcUaServerSettings.defaults(dir.resolve("server-pki"), port)
                .withBindAddress("127.0.0.1"));
    server.start().get(60, TimeUnit.SECONDS);
    endpoint = "opc.tcp://127.0.0.1:" + port + OpcUaServerSettings.DEFAULT_PATH;
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop().get(30, TimeUnit.SECONDS);
  }

  private static OpcUaDiscovery.Result discover(int maxDepth) throws IOException {
    Map<String, Object> settings =
        OpcUaDiscovery.settings(
            endpoint,
            Optional.of("None"),
            Optional.empty(),
            true,
            false,
            Optional.empty(),
            "OPCUA_PASSWORD");
    return OpcUaDiscovery.discover(
        new OpcUaDiscovery.Request("sim", settings, v -> null, dir.resolve("pki"), maxDepth));
  }

  @Test
  void findsOneMachinePerObjectWithUniqueSnakeCaseSignalsAndNsuIds() throws Exception {
    OpcUaDiscovery.Result result = discover(10);

    assertThat(result.space().truncated()).isFalse();
    assertThat(result.space().machines())
        .extracting(AddressSpace.Machine::browseName)
        .containsExactly("cnc-01", "Robot Cell");
    AddressSpace.Machine cnc = result.space().machines().get(0);
    assertThat(cnc.browsePath()).isEqualTo("Objects/Machines/cnc-01");
    assertThat(cnc.variables())
        .extracting(AddressSpace.Variable::nodeId)
        .containsExactlyInAnyOrder(
            "nsu=urn:atelier:simulator;s=cnc-01/Monitoring/Spindle/Speed",
            "nsu=urn:atelier:simulator;s=cnc-01/Monitoring/Feed/Speed",
            "nsu=urn:atelier:simulator;s=cnc-01/Production/GoodCount",
            "nsu=urn:atelier:simulator;s=cnc-01/Running",
            "nsu=urn:atelier:simulator;s=cnc-01/Production/Program");
    assertThat(cnc.variables())
        .filteredOn(v -> v.nodeId().endsWith("GoodCount"))
        .singleElement()
        .satisfies(v -> assertThat(v.dataType()).isEqualTo("Int64"));

    // The YAML is valid, and names are derived and unique.
    @SuppressWarnings("unchecked")
    Map<String, Object> yaml =
        new ObjectMapper(new YAMLFactory()).readValue(result.yaml(), Map.class);
    List<Map<String, Object>> machines = (List<Map<String, Object>>) yaml.get("machines");
    assertThat(machines).extracting(m -> m.get("id")).containsExactly("cnc-01", "robot-cell");
    assertThat(machines.get(1).get("path")).isEqualTo("discovered/opcua/sim/robot-cell");
    List<Map<String, Object>> signals = (List<Map<String, Object>>) machines.get(0).get("signals");
    assertThat(signals)
        .extracting(s -> s.get("name"))
        .containsExactlyInAnyOrder(
            "spindle_speed", "feed_speed", "good_count", "running", "program");
    assertThat(signals)
        .filteredOn(s -> "spindle_speed".equals(s.get("name")))
        .singleElement()
        .satisfies(s -> assertThat((String) s.get("description")).startsWith("Double"));
    List<Map<String, Object>> connections = (List<Map<String, Object>>) yaml.get("connections");
    assertThat(connections.get(0).get("settings"))
        .isEqualTo(Map.of("endpoint", endpoint, "securityPolicy", "None", "allowNone", true));
  }

  @Test
  void theDepthBoundStopsTheWalkAndSaysSo() throws Exception {
    // Objects/Machines/cnc-01/Monitoring/Spindle/Speed is 5 levels deep; Running is 3.
    OpcUaDiscovery.Result shallow = discover(3);
    assertThat(shallow.space().truncated()).isTrue();
    assertThat(shallow.yaml()).contains("NOT COMPLETE");
    assertThat(shallow.space().machines().get(0).variables())
        .extracting(AddressSpace.Variable::nodeId)
        .containsExactly("nsu=urn:atelier:simulator;s=cnc-01/Running");

    OpcUaDiscovery.Result tooShallow = discover(2);
    assertThat(tooShallow.space().machines()).isEmpty();
    assertThat(tooShallow.yaml()).contains("machines: []");
  }

  @Test
  void browsesInBatchesOfTheGivenSize() throws Exception {
    OpcUaDiscovery.Result result = discover(10);
    Files.writeString(dir.resolve("out.yaml"), result.yaml());
    // Levels: Objects, Machines, 2 machines, their 2x3 folders, 2x2 sub-folders = 6 levels at
    // most 500 nodes each: far fewer calls than nodes.
    assertThat(result.space().browseCalls()).isBetween(5, 8);
    assertThat(result.space().signalCount()).isEqualTo(10);
  }

  @Test
  void settingsAreCheckedLikeARunningConnectionsSettings() {
    Map<String, Object> noneNotAllowed =
        OpcUaDiscovery.settings(
            endpoint, Optional.of("None"), Optional.empty(), false, false, Optional.empty(), "X");
    assertThatThrownBy(
            () ->
                OpcUaDiscovery.discover(
                    new OpcUaDiscovery.Request("sim", noneNotAllowed, v -> null, dir, 5)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("allowNone");
  }

  @Test
  void anAbsentServerIsAClearError() {
    Map<String, Object> settings =
        OpcUaDiscovery.settings(
            "opc.tcp://127.0.0.1:" + FreePort.pick() + "/x",
            Optional.of("None"),
            Optional.empty(),
            true,
            false,
            Optional.empty(),
            "X");
    assertThatThrownBy(
            () ->
                OpcUaDiscovery.discover(
                    new OpcUaDiscovery.Request("sim", settings, v -> null, dir.resolve("p2"), 5)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("server not reachable");
  }
}
