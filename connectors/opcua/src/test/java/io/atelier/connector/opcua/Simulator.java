package io.atelier.connector.opcua;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import io.atelier.simulator.opcua.OpcUaServerSettings;
import io.atelier.simulator.opcua.SimulatorOpcUaServer;
import io.atelier.testsupport.FreePort;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The project's simulator OPC UA server, in-process on a free 127.0.0.1 port, with test machines on
 * its SignalBoard: four signals each (double, long, boolean, string).
 */
final class Simulator implements AutoCloseable {

  static final List<SignalDef> SIGNALS =
      List.of(
          new SignalDef("spindle_speed", SignalType.DOUBLE, "rpm", "Monitoring/Spindle/Speed"),
          new SignalDef("good_count", SignalType.LONG, "", "Production/GoodCount"),
          new SignalDef("running", SignalType.BOOLEAN, "", "Monitoring/Running"),
          new SignalDef("program", SignalType.STRING, "", "Production/Program"));

  final SignalBoard board = new SignalBoard();
  final int port;
  final Path pkiDir;
  private final OpcUaServerSettings settings;
  private SimulatorOpcUaServer server;

  Simulator(Path pkiDir, List<String> machines) {
    this(pkiDir, machines, s -> s);
  }

  Simulator(
      Path pkiDir, List<String> machines, Function<OpcUaServerSettings, OpcUaServerSettings> tune) {
    this.port = FreePort.pick();
    this.pkiDir = pkiDir;
    this.settings =
        tune.apply(OpcUaServerSettings.defaults(pkiDir, port).withBindAddress("127.0.0.1"));
    Instant now = Instant.now();
    for (String id : machines) {
      board.define(
          new MachineInfo(
              id, "test-machine", MachineRef.parse("site/area/line/" + id), "opcua", SIGNALS),
          Map.of("spindle_speed", 0.0, "good_count", 0L, "running", false, "program", "P0"),
          now);
    }
    this.server = new SimulatorOpcUaServer(board, settings);
  }

  Simulator start() throws Exception {
    server.start().get(60, TimeUnit.SECONDS);
    return this;
  }

  void stop() throws Exception {
    server.stop().get(30, TimeUnit.SECONDS);
  }

  /** Replaces the server by a new instance (same port, PKI and node ids), not yet started. */
  void replaceInstance() throws Exception {
    stop();
    server = new SimulatorOpcUaServer(board, settings);
  }

  SimulatorOpcUaServer server() {
    return server;
  }

  String endpoint() {
    return "opc.tcp://127.0.0.1:" + port + OpcUaServerSettings.DEFAULT_PATH;
  }

  static String node(String machine, SignalDef signal) {
    return "nsu="
        + SimulatorOpcUaServer.namespaceUri()
        + ";s="
        + SimulatorOpcUaServer.nodeIdentifier(machine, signal);
  }

  void set(String machine, String signal, Object value) {
    board.set(machine, signal, value, Instant.now());
  }

  /** A connection spec serving every machine of the board with all four signals. */
  ConnectionSpec spec(Map<String, Object> settings) {
    return spec(settings, (machine, signal) -> Map.of("node", node(machine, signal)));
  }

  ConnectionSpec spec(
      Map<String, Object> settings,
      java.util.function.BiFunction<String, SignalDef, Map<String, Object>> options) {
    List<MachineSpec> machines = new ArrayList<>();
    List<MachineInfo> infos = board.machines();
    for (int m = 0; m < infos.size(); m++) {
      MachineInfo info = infos.get(m);
      List<SignalSpec> signals = new ArrayList<>();
      for (int s = 0; s < SIGNALS.size(); s++) {
        signals.add(
            new SignalSpec(
                SIGNALS.get(s).name(),
                "machines[" + m + "].signals[" + s + "]",
                options.apply(info.id(), SIGNALS.get(s))));
      }
      machines.add(
          new MachineSpec(info.id(), info.ref(), "machines[" + m + "]", Map.of(), signals));
    }
    return new ConnectionSpec("sim", "opcua", "connections[0]", settings, machines);
  }

  /** Settings for the None endpoint (explicitly allowed). */
  Map<String, Object> noneSettings() {
    Map<String, Object> s = new LinkedHashMap<>(Specs.noneSettings(endpoint()));
    s.put("publishingInterval", "100ms");
    s.put("samplingInterval", "50ms");
    return s;
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
