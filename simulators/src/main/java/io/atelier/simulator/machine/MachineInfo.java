package io.atelier.simulator.machine;

import io.atelier.connector.api.MachineRef;
import java.util.List;

/**
 * What the protocol endpoints need to know of one simulated machine.
 *
 * @param id machine id, e.g. {@code cnc-01}
 * @param type machine type code, e.g. {@code cnc-mill}
 * @param ref ISA-95 path
 * @param protocol how it is published: {@code opcua}, {@code mqtt-json} or {@code sparkplug}
 * @param signals its signals, in a stable order
 */
public record MachineInfo(
    String id, String type, MachineRef ref, String protocol, List<SignalDef> signals) {

  public MachineInfo {
    signals = List.copyOf(signals);
  }
}
