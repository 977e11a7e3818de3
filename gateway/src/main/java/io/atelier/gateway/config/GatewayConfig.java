package io.atelier.gateway.config;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.gateway.influx.StorageSettings;
import io.atelier.gateway.kpi.KpiSettings;
import java.util.List;
import java.util.Optional;

/**
 * The whole gateway configuration, immutable, built once from YAML by {@link ConfigLoader}.
 *
 * @param gateway instance-wide settings
 * @param http the HTTP server
 * @param pipeline the sample pipeline
 * @param connections every connection, each with the machines it serves
 * @param machines every machine, in file order
 * @param kpi KPI engine settings: windows, shift calendars, emit interval
 * @param storage the spool and the InfluxDB writer
 * @param simulator the simulator control API the trainer panel uses, if any
 */
public record GatewayConfig(
    GatewaySettings gateway,
    HttpSettings http,
    PipelineSettings pipeline,
    List<ConnectionSpec> connections,
    List<MachineConfig> machines,
    KpiSettings kpi,
    StorageSettings storage,
    SimulatorSettings simulator) {

  public GatewayConfig {
    connections = List.copyOf(connections);
    machines = List.copyOf(machines);
  }

  public Optional<MachineConfig> machine(String id) {
    return machines.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /** A copy with other storage settings (the demo's {@code --influx-url}). */
  public GatewayConfig withStorage(StorageSettings newStorage) {
    return new GatewayConfig(
        gateway, http, pipeline, connections, machines, kpi, newStorage, simulator);
  }

  /** A copy with another HTTP port (the {@code --http-port} flag). */
  public GatewayConfig withHttpPort(int port) {
    return new GatewayConfig(
        gateway, http.withPort(port), pipeline, connections, machines, kpi, storage, simulator);
  }

  /** A copy with other connections and machines (machines changed through the API). */
  public GatewayConfig withMachines(
      List<ConnectionSpec> connections, List<MachineConfig> machines) {
    return new GatewayConfig(
        gateway, http, pipeline, connections, machines, kpi, storage, simulator);
  }
}
