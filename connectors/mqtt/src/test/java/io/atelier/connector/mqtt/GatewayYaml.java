package io.atelier.connector.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.MachineRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a gateway configuration (YAML, as in the README) into the {@link ConnectionSpec}s the
 * gateway would hand to connector factories. A test stand-in for the gateway's config reader.
 */
final class GatewayYaml {

  private static final Set<String> GENERIC_SIGNAL_KEYS = Set.of("name", "unit", "description");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GatewayYaml() {}

  @SuppressWarnings("unchecked")
  static List<ConnectionSpec> connections(String yaml) {
    Map<String, Object> root;
    try {
      root = YAML.readValue(yaml, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Map<String, Object>> connections =
        (List<Map<String, Object>>) root.getOrDefault("connections", List.of());
    List<Map<String, Object>> machines =
        (List<Map<String, Object>>) root.getOrDefault("machines", List.of());
    List<ConnectionSpec> out = new ArrayList<>();
    for (int c = 0; c < connections.size(); c++) {
      Map<String, Object> conn = connections.get(c);
      String id = (String) conn.get("id");
      List<MachineSpec> specs = new ArrayList<>();
      for (int m = 0; m < machines.size(); m++) {
        Map<String, Object> machine = machines.get(m);
        if (!id.equals(machine.get("connection"))) {
          continue;
        }
        List<SignalSpec> signals = new ArrayList<>();
        List<Map<String, Object>> sigs =
            (List<Map<String, Object>>) machine.getOrDefault("signals", List.of());
        for (int s = 0; s < sigs.size(); s++) {
          Map<String, Object> options = new LinkedHashMap<>(sigs.get(s));
          options.keySet().removeAll(GENERIC_SIGNAL_KEYS);
          signals.add(
              new SignalSpec(
                  (String) sigs.get(s).get("name"),
                  "machines[" + m + "].signals[" + s + "]",
                  options));
        }
        specs.add(
            new MachineSpec(
                (String) machine.get("id"),
                MachineRef.parse((String) machine.get("path")),
                "machines[" + m + "]",
                (Map<String, Object>) machine.getOrDefault("source", Map.of()),
                signals));
      }
      out.add(
          new ConnectionSpec(
              id,
              (String) conn.get("type"),
              "connections[" + c + "]",
              (Map<String, Object>) conn.getOrDefault("settings", Map.of()),
              specs));
    }
    return out;
  }

  /** The one connection of a configuration. */
  static ConnectionSpec connection(String yaml) {
    List<ConnectionSpec> all = connections(yaml);
    if (all.size() != 1) {
      throw new IllegalArgumentException("expected one connection, got " + all.size());
    }
    return all.get(0);
  }
}
