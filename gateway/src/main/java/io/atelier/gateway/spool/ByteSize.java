package io.atelier.gateway.spool;

import io.atelier.connector.api.config.ConfigNode;
import java.util.Locale;
import java.util.Optional;

/**
 * Byte sizes as people write them in YAML: {@code 1GiB}, {@code 64MiB}, {@code 512KiB}, {@code
 * 4096}.
 */
public final class ByteSize {

  private ByteSize() {}

  /**
   * Parses {@code <number>[B|KiB|MiB|GiB|TiB|KB|MB|GB|TB]}; a bare number is bytes. KB/MB/GB are
   * read as powers of 1024 too: nobody sizing a spool means the decimal ones.
   */
  public static Optional<Long> parse(String text) {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      return Optional.empty();
    }
    double amount;
    try {
      amount = Double.parseDouble(t.substring(0, i));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String unit = t.substring(i).trim().toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "", "b" -> 1L;
          case "k", "kb", "kib" -> 1L << 10;
          case "m", "mb", "mib" -> 1L << 20;
          case "g", "gb", "gib" -> 1L << 30;
          case "t", "tb", "tib" -> 1L << 40;
          default -> -1L;
        };
    if (factor < 0) {
      return Optional.empty();
    }
    double bytes = amount * factor;
    if (bytes > Long.MAX_VALUE / 2) {
      return Optional.empty();
    }
    return Optional.of((long) bytes);
  }

  /**
   * Reads a byte size from a config node, recording a problem when it is malformed or out of range.
   */
  public static long read(ConfigNode node, String key, long defaultValue, long min, long max) {
    Optional<Object> raw = node.raw(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Optional<Long> v = parse(raw.get().toString());
    if (v.isEmpty()) {
      node.problems()
          .add(node.path(key), "expected a size such as 1GiB, 64MiB, 512KiB or 4096", raw.get());
      return defaultValue;
    }
    if (v.get() < min || v.get() > max) {
      node.problems()
          .add(node.path(key), "must be between " + format(min) + " and " + format(max), raw.get());
      return defaultValue;
    }
    return v.get();
  }

  /** A short human form, for messages. */
  public static String format(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return bytes + "B";
  }
}
