package io.atelier.gateway.http.machines;

import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.gateway.config.ConfigLoader;
import io.atelier.gateway.config.ConfigLoader.MachinePair;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.connection.ConnectorRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts or removes one machine in a configuration with exactly the checks the file gets: the
 * machine's own fields ({@link ConfigLoader#readMachine}), unique id and ISA-95 path, an existing
 * connection, and the connector factory's checks of the connection with its new machine list. Pure:
 * no I/O, nothing changes until the caller swaps the result in.
 */
public final class MachineEditor {

  /** The YAML path problems of an API entry are reported under. */
  static final String ENTRY_PATH = "machine";

  /**
   * The outcome of an edit.
   *
   * @param config the configuration after the edit
   * @param restart the connections whose machine list changed, as they are now: their connectors
   *     must be replaced
   */
  public record Edit(GatewayConfig config, List<ConnectionSpec> restart) {}

  private final ConfigLoader loader;
  private final ConnectorRegistry registry;

  public MachineEditor(ConnectorRegistry registry) {
    this.registry = registry;
    this.loader = new ConfigLoader(registry, name -> null);
  }

  /**
   * Replaces machine {@code id} (or adds it when absent) with {@code entry}, or removes it when the
   * entry is empty.
   *
   * @throws io.atelier.connector.api.config.InvalidConfigException with every problem
   */
  public Edit apply(GatewayConfig current, String id, Optional<Map<String, Object>> entry) {
    ConfigProblems problems = new ConfigProblems();
    List<MachineConfig> machines = new ArrayList<>(current.machines());
    Map<String, MachineSpec> specs = new HashMap<>();
    current.connections().forEach(c -> c.machines().forEach(m -> specs.put(m.id(), m)));

    int index = -1;
    for (int i = 0; i < machines.size(); i++) {
      if (machines.get(i).id().equals(id)) {
        index = i;
      }
    }
    Set<String> touched = new HashSet<>();
    if (index >= 0) {
      touched.add(machines.remove(index).connection());
      specs.remove(id);
    }

    if (entry.isPresent()) {
      Map<String, Object> map = new java.util.LinkedHashMap<>(entry.get());
      map.putIfAbsent("id", id);
      ConfigNode node = new ConfigNode(ENTRY_PATH, map, problems);
      Set<String> ids = new HashSet<>();
      Set<String> paths = new HashSet<>();
      machines.forEach(
          m -> {
            ids.add(m.id());
            paths.add(m.ref().path());
          });
      Set<String> connectionIds = new LinkedHashSet<>();
      current.connections().forEach(c -> connectionIds.add(c.id()));
      Optional<MachinePair> pair =
          loader.readMachine(node, current.kpi(), connectionIds, ids, paths);
      if (!id.equals(String.valueOf(map.get("id")))) {
        problems.add(node.path("id"), "must be the id in the URL, " + id, map.get("id"));
      } else if (pair.isPresent()) {
        MachineConfig m = pair.get().config();
        machines.add(index >= 0 ? index : machines.size(), m);
        specs.put(id, pair.get().spec());
        touched.add(m.connection());
      }
    }

    List<ConnectionSpec> connections = new ArrayList<>();
    List<ConnectionSpec> restart = new ArrayList<>();
    for (ConnectionSpec c : current.connections()) {
      if (!touched.contains(c.id())) {
        connections.add(c);
        continue;
      }
      List<MachineSpec> served =
          machines.stream()
              .filter(m -> m.connection().equals(c.id()))
              .map(m -> specs.get(m.id()))
              .toList();
      ConnectionSpec spec = new ConnectionSpec(c.id(), c.type(), c.path(), c.settings(), served);
      registry.factory(c.type()).ifPresent(f -> ConfigLoader.validateSafely(f, spec, problems));
      connections.add(spec);
      restart.add(spec);
    }
    problems.throwIfAny();
    return new Edit(current.withMachines(connections, machines), restart);
  }
}
