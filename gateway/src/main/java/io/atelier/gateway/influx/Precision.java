package io.atelier.gateway.influx;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Timestamp precision of the line protocol we write. Milliseconds unless configured. */
public enum Precision {
  NS("ns", "n"),
  US("us", "u"),
  MS("ms", "ms"),
  S("s", "s");

  private final String label;
  private final String v1;

  Precision(String label, String v1) {
    this.label = label;
    this.v1 = v1;
  }

  /** As written in the config, the segment headers and the v2 {@code precision} parameter. */
  public String label() {
    return label;
  }

  /** The v1 {@code /write?precision=} value. */
  public String v1() {
    return v1;
  }

  public long timestamp(Instant t) {
    return switch (this) {
      case NS -> Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
      case US ->
          Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
      case MS -> t.toEpochMilli();
      case S -> t.getEpochSecond();
    };
  }

  public static Optional<Precision> ofLabel(String label) {
    String l = label.trim().toLowerCase(Locale.ROOT);
    for (Precision p : values()) {
      if (p.label.equals(l)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
