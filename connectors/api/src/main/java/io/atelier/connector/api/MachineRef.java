package io.atelier.connector.api;

/**
 * A machine's place in the ISA-95 hierarchy: {@code site/area/line/machine}. These four levels are
 * the InfluxDB tags and the MQTT republish topic levels, so they must stay stable.
 */
public record MachineRef(String site, String area, String line, String machine) {

  public MachineRef {
    requireLevel("site", site);
    requireLevel("area", area);
    requireLevel("line", line);
    requireLevel("machine", machine);
  }

  /** Parses {@code site/area/line/machine}; throws IllegalArgumentException with the reason. */
  public static MachineRef parse(String path) {
    String[] parts = path.split("/", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "expected site/area/line/machine (4 levels), got " + parts.length + " level(s)");
    }
    return new MachineRef(parts[0], parts[1], parts[2], parts[3]);
  }

  /** The path in the form {@link #parse} accepts. */
  public String path() {
    return site + "/" + area + "/" + line + "/" + machine;
  }

  /** The line this machine belongs to, as {@code site/area/line}. */
  public String linePath() {
    return site + "/" + area + "/" + line;
  }

  @Override
  public String toString() {
    return path();
  }

  private static void requireLevel(String level, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(level + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // '/' separates levels; '+', '#' are MQTT wildcards; control characters break line protocol.
      if (c == '/' || c == '+' || c == '#' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            level + " '" + value + "' contains a forbidden character '" + c + "'");
      }
    }
  }
}
