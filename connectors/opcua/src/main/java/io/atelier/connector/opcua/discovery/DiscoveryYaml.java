package io.atelier.connector.opcua.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a discovered address space as a gateway configuration that {@code run --config} accepts as
 * it is: one {@code opcua} connection with the settings discovery used, one machine per object
 * holding variables, under {@code discovered/opcua/<connection>/<machine>} for the engineer to move
 * into the plant's ISA-95 tree. Every scalar is double-quoted with JSON escapes (valid YAML), so no
 * browse name can break the file; the data type goes into each signal's {@code description}.
 */
public final class DiscoveryYaml {

  private DiscoveryYaml() {}

  public static String render(
      String connectionId, Map<String, Object> settings, AddressSpace space, String header) {
    StringBuilder y = new StringBuilder();
    for (String line : header.split("\n")) {
      y.append("# ").append(line).append('\n');
    }
    y.append("connections:\n");
    y.append("  - id: ").append(quote(connectionId)).append('\n');
    y.append("    type: opcua\n");
    y.append("    settings:\n");
    mapping(y, settings, "      ");
    if (space.machines().isEmpty()) {
      y.append("machines: []   # no object with variables found\n");
      return y.toString();
    }
    y.append("machines:\n");
    List<String> ids =
        Names.uniqueIds(
            space.machines().stream().map(m -> Names.id(m.browseName(), "machine")).toList());
    for (int m = 0; m < space.machines().size(); m++) {
      AddressSpace.Machine machine = space.machines().get(m);
      String id = ids.get(m);
      y.append("  - id: ").append(quote(id)).append('\n');
      y.append("    path: ")
          .append(quote("discovered/opcua/" + connectionId + "/" + id))
          .append("   # site/area/line/machine: edit\n");
      y.append("    connection: ").append(quote(connectionId)).append('\n');
      y.append("    description: ")
          .append(quote("OPC UA object " + machine.browsePath()))
          .append('\n');
      y.append("    signals:\n");
      List<List<String>> paths = new ArrayList<>();
      machine.variables().forEach(v -> paths.add(v.relativePath()));
      List<String> names = Names.uniqueSignalNames(paths);
      for (int s = 0; s < names.size(); s++) {
        AddressSpace.Variable v = machine.variables().get(s);
        y.append("      - name: ").append(names.get(s)).append('\n');
        y.append("        node: ").append(quote(v.nodeId())).append('\n');
        String description =
            (v.dataType().isEmpty() ? "unknown type" : v.dataType())
                + (v.description().isBlank() ? "" : ": " + v.description());
        y.append("        description: ").append(quote(description)).append('\n');
      }
    }
    return y.toString();
  }

  private static void mapping(StringBuilder y, Map<String, Object> map, String indent) {
    for (Map.Entry<String, Object> e : map.entrySet()) {
      y.append(indent).append(e.getKey()).append(':');
      if (e.getValue() instanceof Map<?, ?> child) {
        y.append('\n');
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) child;
        mapping(y, typed, indent + "  ");
      } else {
        y.append(' ').append(scalar(e.getValue())).append('\n');
      }
    }
  }

  private static String scalar(Object value) {
    return value instanceof Boolean || value instanceof Number
        ? value.toString()
        : quote(String.valueOf(value));
  }

  /** A double-quoted YAML scalar: JSON escapes are valid YAML escapes. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
