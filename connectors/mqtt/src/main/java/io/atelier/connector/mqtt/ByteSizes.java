package io.atelier.connector.mqtt;

import io.atelier.connector.api.config.ConfigNode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sizes written as a number of bytes or with a unit: {@code 256KiB}, {@code 64 MiB}. */
final class ByteSizes {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  static Optional<Long> parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches() || m.group(1).length() > 12) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "kb" -> 1_000L;
          case "kib" -> 1L << 10;
          case "mb" -> 1_000_000L;
          case "mib" -> 1L << 20;
          case "gb" -> 1_000_000_000L;
          case "gib" -> 1L << 30;
          default -> 1L;
        };
    return Optional.of(n * factor);
  }

  /** A size setting within [min, max]; records a problem and returns the default otherwise. */
  static long read(ConfigNode node, String key, long defaultValue, long min, long max) {
    Optional<Object> raw = node.raw(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Object v = raw.get();
    Optional<Long> size =
        v instanceof Integer || v instanceof Long
            ? Optional.of(((Number) v).longValue())
            : v instanceof String s ? parse(s) : Optional.empty();
    if (size.isEmpty()) {
      node.problems().add(node.path(key), "expected a size such as 65536, 256KiB or 16MiB", v);
      return defaultValue;
    }
    if (size.get() < min || size.get() > max) {
      node.problems().add(node.path(key), "must be between " + min + " and " + max + " bytes", v);
      return defaultValue;
    }
    return size.get();
  }
}
