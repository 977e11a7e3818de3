package io.atelier.gateway.kpi;

import java.util.Locale;

/**
 * The text form under which a state code is looked up: numbers without a fraction as whole numbers
 * ({@code 6.0} and {@code 6} both become "6"), text trimmed and upper case, so that YAML keys and
 * signal values meet whatever type each side used.
 */
final class CodeKey {

  private CodeKey() {}

  static String of(Object value) {
    if (value instanceof String s) {
      return s.trim().toUpperCase(Locale.ROOT);
    }
    if (value instanceof Long l) {
      return Long.toString(l);
    }
    if (value instanceof Double d) {
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
        return Long.toString(d.longValue());
      }
      return d.toString();
    }
    if (value instanceof Integer i) {
      return Integer.toString(i);
    }
    return String.valueOf(value).trim().toUpperCase(Locale.ROOT);
  }
}
