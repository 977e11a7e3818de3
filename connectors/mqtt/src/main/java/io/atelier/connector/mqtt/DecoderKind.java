package io.atelier.connector.mqtt;

/** The payload formats the connector understands; written in YAML in kebab case. */
public enum DecoderKind {
  /** {@code {"ts": <epoch ms>, "value": ...}} (or a JSON pointer per signal). */
  JSON_VALUE,
  /** The payload is the value itself as text: a number, true/false, or a string. */
  PLAIN,
  /** {@code {"ts": <epoch ms>, "values": {"signal": value, ...}}}, many signals at once. */
  JSON_BATCH,
  /** Sparkplug B protobuf on {@code spBv1.0/<group>/<type>/<node>[/<device>]}. */
  SPARKPLUG;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
