package io.atelier.connector.api;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import java.util.List;
import java.util.Map;

/**
 * One configured connection and the machines it serves, as the gateway read it from YAML. The
 * connector-specific parts stay raw maps ({@link #settings()}, each machine's {@code source}, each
 * signal's options) for the connector's factory to read with {@link ConfigNode}.
 *
 * @param id the connection id
 * @param type the connector type code
 * @param path the YAML path of this connection, e.g. {@code connections[0]}
 * @param settings the connection's {@code settings:} mapping
 * @param machines the machines whose {@code connection:} names this one
 */
public record ConnectionSpec(
    String id, String type, String path, Map<String, Object> settings, List<MachineSpec> machines) {

  public ConnectionSpec {
    settings = Map.copyOf(settings);
    machines = List.copyOf(machines);
  }

  /** The settings as a node that records problems under {@code <path>.settings}. */
  public ConfigNode settingsNode(ConfigProblems problems) {
    return new ConfigNode(path + ".settings", settings, problems);
  }

  /**
   * One machine served by the connection.
   *
   * @param id the machine id (unique in the gateway)
   * @param ref its ISA-95 path
   * @param path the YAML path of this machine, e.g. {@code machines[3]}
   * @param source the machine's connector-specific {@code source:} mapping (may be empty)
   * @param signals the machine's signals
   */
  public record MachineSpec(
      String id,
      MachineRef ref,
      String path,
      Map<String, Object> source,
      List<SignalSpec> signals) {

    public MachineSpec {
      source = Map.copyOf(source);
      signals = List.copyOf(signals);
    }

    public ConfigNode sourceNode(ConfigProblems problems) {
      return new ConfigNode(path + ".source", source, problems);
    }
  }

  /**
   * One signal of a machine.
   *
   * @param name lower snake case signal name
   * @param path the YAML path of this signal, e.g. {@code machines[3].signals[1]}
   * @param options the connector-specific keys of the signal (all but {@code name}, {@code unit},
   *     {@code description})
   */
  public record SignalSpec(String name, String path, Map<String, Object> options) {

    public SignalSpec {
      options = Map.copyOf(options);
    }

    public ConfigNode optionsNode(ConfigProblems problems) {
      return new ConfigNode(path, options, problems);
    }
  }
}
