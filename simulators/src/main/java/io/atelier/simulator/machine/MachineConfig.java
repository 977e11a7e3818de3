package io.atelier.simulator.machine;

import io.atelier.connector.api.MachineRef;
import java.util.List;
import java.util.Objects;

/**
 * One simulated machine as configured.
 *
 * @param id machine id, also the last level of {@code ref}
 * @param type what kind of machine it is
 * @param ref ISA-95 path
 * @param protocol how it is served: one of {@link #PROTOCOLS}
 * @param params its behaviour
 */
public record MachineConfig(
    String id, MachineType type, MachineRef ref, String protocol, MachineParams params) {

  public static final String OPCUA = "opcua";
  public static final String MQTT_JSON = "mqtt-json";
  public static final String SPARKPLUG = "sparkplug";
  public static final List<String> PROTOCOLS = List.of(OPCUA, MQTT_JSON, SPARKPLUG);

  public MachineConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(params, "params");
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException("unknown protocol " + protocol);
    }
  }
}
