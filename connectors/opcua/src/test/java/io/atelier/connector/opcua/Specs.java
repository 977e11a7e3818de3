package io.atelier.connector.opcua;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.ConnectionSpec;
import io.atelier.connector.api.ConnectionSpec.MachineSpec;
import io.atelier.connector.api.ConnectionSpec.SignalSpec;
import io.atelier.connector.api.MachineRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds ConnectionSpecs for tests, the way the gateway's config reader hands them over. */
final class Specs {

  private static final Set<String> GATEWAY_SIGNAL_KEYS = Set.of("name", "unit", "description");

  private Specs() {}

  /** One connection {@code test} with one machine {@code m1} whose signals are given. */
  static ConnectionSpec spec(Map<String, Object> settings, List<Map<String, Object>> signals) {
    List<SignalSpec> specs = new ArrayList<>();
    for (int i = 0; i < signals.size(); i++) {
      specs.add(signal(signals.get(i), "machines[0].signals[" + i + "]"));
    }
    MachineSpec machine =
        new MachineSpec(
            "m1", MachineRef.parse("site/area/line/m1"), "machines[0]", Map.of(), specs);
    return new ConnectionSpec("test", "opcua", "connections[0]", settings, List.of(machine));
  }

  /** Settings that validate: a None endpoint explicitly allowed. */
  static Map<String, Object> noneSettings(String endpoint) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("endpoint", endpoint);
    s.put("securityPolicy", "None");
    s.put("allowNone", true);
    return s;
  }

  /** Reads a gateway config file and returns the connection {@code id} as the gateway would. */
  @SuppressWarnings("unchecked")
  static ConnectionSpec fromGatewayYaml(String yaml, String id) throws IOException {
    Map<String, Object> root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    List<Map<String, Object>> connections = (List<Map<String, Object>>) root.get("connections");
    for (int c = 0; c < connections.size(); c++) {
      Map<String, Object> conn = connections.get(c);
      if (!id.equals(conn.get("id"))) {
        continue;
      }
      List<MachineSpec> machines = new ArrayList<>();
      List<Map<String, Object>> ms = (List<Map<String, Object>>) root.get("machines");
      for (int m = 0; m < ms.size(); m++) {
        Map<String, Object> machine = ms.get(m);
        if (!id.equals(machine.get("connection"))) {
          continue;
        }
        List<Map<String, Object>> sigs = (List<Map<String, Object>>) machine.get("signals");
        List<SignalSpec> signals = new ArrayList<>();
        for (int s = 0; s < sigs.size(); s++) {
          signals.add(signal(sigs.get(s), "machines[" + m + "].signals[" + s + "]"));
        }
        machines.add(
            new MachineSpec(
                (String) machine.get("id"),
                MachineRef.parse((String) machine.get("path")),
                "machines[" + m + "]",
                (Map<String, Object>) machine.getOrDefault("source", Map.of()),
                signals));
      }
      return new ConnectionSpec(
          id,
          (String) conn.get("type"),
          "connections[" + c + "]",
          (Map<String, Object>) conn.getOrDefault("settings", Map.of()),
          machines);
    }
    throw new IllegalArgumentException("no connection " + id);
  }

  private static SignalSpec signal(Map<String, Object> raw, String path) {
    Map<String, Object> options = new LinkedHashMap<>(raw);
    GATEWAY_SIGNAL_KEYS.forEach(options::remove);
    return new SignalSpec((String) raw.get("name"), path, options);
  }
}
