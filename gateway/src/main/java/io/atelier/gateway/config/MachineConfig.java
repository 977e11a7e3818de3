package io.atelier.gateway.config;

import io.atelier.connector.api.MachineRef;
import io.atelier.gateway.kpi.MachineKpiConfig;
import java.util.List;
import java.util.Map;

/**
 * One machine as configured.
 *
 * @param id unique machine id
 * @param ref ISA-95 path
 * @param connection the id of the connection that serves it
 * @param description free text for people
 * @param metadata type, vendor, firm and the like: shown, never used as tags
 * @param signals the configured signal names, in file order
 * @param kpi how its KPIs are computed: state mapping, counters, calendar
 */
public record MachineConfig(
    String id,
    MachineRef ref,
    String connection,
    String description,
    Map<String, String> metadata,
    List<String> signals,
    MachineKpiConfig kpi) {

  public MachineConfig {
    metadata = Map.copyOf(metadata);
    signals = List.copyOf(signals);
  }
}
