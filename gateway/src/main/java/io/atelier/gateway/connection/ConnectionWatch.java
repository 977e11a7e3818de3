package io.atelier.gateway.connection;

import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.config.MachineConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Tells whoever cares (the KPI engine) when a connection comes up or goes down, with the machines
 * behind it. Connectors expose a status, not events, so this compares the status on every {@link
 * #check()}; a one-second period is enough for KPIs, whose OFFLINE time starts at the detection.
 */
public final class ConnectionWatch {

  private final Connections connections;
  private final Map<String, List<String>> machinesByConnection = new HashMap<>();
  private final Map<String, Boolean> up = new HashMap<>();
  private final BiConsumer<List<String>, Boolean> onChange;

  /**
   * @param onChange receives the machine ids of a connection and whether it is now connected
   */
  public ConnectionWatch(
      GatewayConfig config, Connections connections, BiConsumer<List<String>, Boolean> onChange) {
    this.connections = connections;
    this.onChange = onChange;
    for (MachineConfig m : config.machines()) {
      machinesByConnection
          .computeIfAbsent(m.connection(), k -> new java.util.ArrayList<>())
          .add(m.id());
    }
  }

  /** Compares each connection's status with the last check; reports changes. */
  public void check() {
    for (String id : connections.ids()) {
      boolean connected = connections.status(id).state() == State.CONNECTED;
      Boolean previous = up.put(id, connected);
      if (previous == null ? !connected : previous != connected) {
        List<String> machines = machinesByConnection.getOrDefault(id, List.of());
        if (!machines.isEmpty()) {
          onChange.accept(machines, connected);
        }
      }
    }
  }
}
