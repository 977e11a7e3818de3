package io.atelier.connector.mqtt;

import java.util.Optional;

/**
 * A Sparkplug B topic: {@code spBv1.0/<group>/<type>/<edge node>[/<device>]}. STATE topics ({@code
 * spBv1.0/STATE/<host>}) parse with type {@code STATE} and no node.
 *
 * @param group the group id
 * @param type NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD, STATE (as written)
 * @param node the edge node id ("" for STATE)
 * @param device the device id, for device messages
 */
public record SparkplugTopic(String group, String type, String node, Optional<String> device) {

  public static final String NAMESPACE = "spBv1.0";

  /** Parses a topic; empty when it is not a well-formed Sparkplug B topic. */
  public static Optional<SparkplugTopic> parse(String topic) {
    String[] p = topic.split("/", -1);
    if (p.length < 3 || !p[0].equals(NAMESPACE)) {
      return Optional.empty();
    }
    if (p[1].equals("STATE")) {
      return Optional.of(new SparkplugTopic("", "STATE", "", Optional.empty()));
    }
    if (p.length < 4 || p.length > 5) {
      return Optional.empty();
    }
    for (String level : p) {
      if (level.isEmpty()) {
        return Optional.empty();
      }
    }
    boolean deviceType = p[2].startsWith("D");
    if (deviceType != (p.length == 5)) {
      return Optional.empty();
    }
    return Optional.of(
        new SparkplugTopic(p[1], p[2], p[3], p.length == 5 ? Optional.of(p[4]) : Optional.empty()));
  }

  /** The topic on which a host asks this topic's edge node for a rebirth. */
  public String nodeCommandTopic() {
    return NAMESPACE + "/" + group + "/NCMD/" + node;
  }
}
