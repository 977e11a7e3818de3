package io.atelier.connector.opcua;

import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineInfo;
import io.atelier.simulator.machine.SignalBoard;
import io.atelier.simulator.machine.SignalDef;
import io.atelier.simulator.machine.SignalType;
import io.atelier.simulator.opcua.SimulatorOpcUaServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Synthetic machines for the large ITs: defined on a simulator board, and the specs for them. */
final class LoadMachines {

  private LoadMachines() {}

  /**
   * Defines machines {@code m000}… with signals {@code v00}… of one type on {@code board}.
   *
   * @return one spec per machine subscribing to every signal by its {@code nsu=} node id
   */
  static List<MachineSpec> define(
      SignalBoard board, int machines, int signalsPerMachine, SignalType type, Object initial) {
    List<SignalDef> defs = new ArrayList<>();
    Map<String, Object> values = new HashMap<>();
    for (int s = 0; s < signalsPerMachine; s++) {
      defs.add(new SignalDef(String.format("v%02d", s), type, "", "Values/V" + s));
      values.put(String.format("v%02d", s), initial);
    }
    List<MachineSpec> out = new ArrayList<>();
    for (int m = 0; m < machines; m++) {
      String id = String.format("m%03d", m);
      MachineInfo info =
          new MachineInfo(id, "load", MachineRef.parse("site/area/load/" + id), "opcua", defs);
      board.define(info, values, Instant.now());
      List<SignalSpec> signals = new ArrayList<>();
      for (int s = 0; s < defs.size(); s++) {
        signals.add(
            new SignalSpec(
                defs.get(s).name(),
                "machines[" + m + "].signals[" + s + "]",
                Map.of(
                    "node",
                    "nsu="
                        + SimulatorOpcUaServer.namespaceUri()
                        + ";s="
                        + SimulatorOpcUaServer.nodeIdentifier(id, defs.get(s)))));
      }
      out.add(new MachineSpec(id, info.ref(), "machines[" + m + "]", Map.of(), signals));
    }
    return out;
  }
}
