package io.atelier.connector.api.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only view of one YAML mapping that records every problem it meets, with its path, instead
 * of stopping at the first. Typed getters accept the YAML type or a string that converts (values
 * substituted from {@code ${ENV}} arrive as strings). After reading, {@link #rejectUnknownKeys()}
 * reports every key nobody asked for, which catches typos such as {@code endpiont:}.
 *
 * <p>A getter facing a problem records it and returns the default (or an empty Optional), so the
 * caller keeps going and finds the next problem too.
 */
public final class ConfigNode {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

  private final String path;
  private final Map<String, Object> map;
  private final ConfigProblems problems;
  private final Set<String> read = new LinkedHashSet<>();

  public ConfigNode(String path, Map<String, Object> map, ConfigProblems problems) {
    this.path = path;
    this.map = map;
    this.problems = problems;
  }

  public String path() {
    return path;
  }

  /** The path of a key below this node. */
  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public ConfigProblems problems() {
    return problems;
  }

  public boolean has(String key) {
    read.add(key);
    return map.containsKey(key) && map.get(key) != null;
  }

  public Set<String> keys() {
    return map.keySet();
  }

  /** The raw value, marking the key read; empty if missing or null. */
  public Optional<Object> raw(String key) {
    read.add(key);
    return Optional.ofNullable(map.get(key));
  }

  public Optional<String> string(String key) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Map || v instanceof List) {
      problems.add(path(key), "expected a text value", v);
      return Optional.empty();
    }
    return Optional.of(v.toString());
  }

  public String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  /** A required, non-blank string; records "missing required field" and returns "" otherwise. */
  public String requiredString(String key) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      if (!map.containsKey(key) || map.get(key) == null) {
        problems.add(path(key), "missing required field");
      }
      return "";
    }
    if (v.get().isBlank()) {
      problems.add(path(key), "must not be empty", v.get());
      return "";
    }
    return v.get();
  }

  public long integer(String key, long defaultValue, long min, long max) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return defaultValue;
    }
    long n;
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s) {
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        problems.add(path(key), "expected a whole number", v);
        return defaultValue;
      }
    } else {
      problems.add(path(key), "expected a whole number", v);
      return defaultValue;
    }
    if (n < min || n > max) {
      problems.add(path(key), "must be between " + min + " and " + max, v);
      return defaultValue;
    }
    return n;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    return (int) integer(key, (long) defaultValue, (long) min, (long) max);
  }

  public double number(String key, double defaultValue, double min, double max) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return defaultValue;
    }
    double n;
    if (v instanceof Number num) {
      n = num.doubleValue();
    } else if (v instanceof String s) {
      try {
        n = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        problems.add(path(key), "expected a number", v);
        return defaultValue;
      }
    } else {
      problems.add(path(key), "expected a number", v);
      return defaultValue;
    }
    if (Double.isNaN(n) || n < min || n > max) {
      problems.add(path(key), "must be between " + min + " and " + max, v);
      return defaultValue;
    }
    return n;
  }

  public boolean bool(String key, boolean defaultValue) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true") || t.equals("yes") || t.equals("on")) {
        return true;
      }
      if (t.equals("false") || t.equals("no") || t.equals("off")) {
        return false;
      }
    }
    problems.add(path(key), "expected true or false", v);
    return defaultValue;
  }

  /**
   * A duration: a number with a unit ({@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code
   * 1d}); a bare number is milliseconds.
   */
  public Duration duration(String key, Duration defaultValue) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return defaultValue;
    }
    Optional<Duration> d = parseDuration(v.toString());
    if (d.isEmpty() || v instanceof Map || v instanceof List) {
      problems.add(path(key), "expected a duration such as 500ms, 5s, 2m or 1h", v);
      return defaultValue;
    }
    return d.get();
  }

  /** Parses the duration syntax of {@link #duration}. */
  public static Optional<Duration> parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> amount * 86_400_000;
        };
    return Optional.of(Duration.ofNanos(Math.round(millis * 1_000_000)));
  }

  /**
   * An enum constant, written in YAML in lower kebab case ({@code drop-oldest} for DROP_OLDEST).
   */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    String wanted = v.get().trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(wanted)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    problems.add(path(key), "expected one of " + String.join(", ", allowed), v.get());
    return defaultValue;
  }

  /** An absolute URI with one of the given schemes and a host. */
  public Optional<URI> uri(String key, boolean required, String... schemes) {
    Optional<String> v = required ? Optional.of(requiredString(key)) : string(key);
    if (v.isEmpty() || v.get().isEmpty()) {
      return Optional.empty();
    }
    String text = v.get().trim();
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!List.of(schemes).contains(scheme)) {
        problems.add(
            path(key),
            "expected a URL starting with " + String.join("://, ", schemes) + "://",
            text);
        return Optional.empty();
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        problems.add(path(key), "URL has no host", text);
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problems.add(path(key), "not a valid URL: " + e.getReason(), text);
      return Optional.empty();
    }
  }

  /** A nested mapping; empty (and a problem if it is not a mapping) otherwise. */
  @SuppressWarnings("unchecked")
  public Optional<ConfigNode> child(String key) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map)) {
      problems.add(path(key), "expected a mapping (key: value pairs)", v);
      return Optional.empty();
    }
    return Optional.of(new ConfigNode(path(key), (Map<String, Object>) v, problems));
  }

  /** A nested mapping, or an empty one when the key is absent. */
  public ConfigNode childOrEmpty(String key) {
    return child(key).orElseGet(() -> new ConfigNode(path(key), Map.of(), problems));
  }

  /** A list of mappings; items that are not mappings are reported and skipped. */
  @SuppressWarnings("unchecked")
  public List<ConfigNode> children(String key) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      problems.add(path(key), "expected a list", v);
      return List.of();
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      String itemPath = path(key) + "[" + i + "]";
      if (item instanceof Map) {
        out.add(new ConfigNode(itemPath, (Map<String, Object>) item, problems));
      } else {
        problems.add(itemPath, "expected a mapping (key: value pairs)", item);
      }
    }
    return out;
  }

  /** A list of strings. */
  public List<String> strings(String key) {
    Object v = raw(key).orElse(null);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      problems.add(path(key), "expected a list", v);
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item == null || item instanceof Map || item instanceof List) {
        problems.add(path(key) + "[" + i + "]", "expected a text value", item);
      } else {
        out.add(item.toString());
      }
    }
    return out;
  }

  /** Marks keys as read without reading them (they are someone else's to check). */
  public void skip(String... keys) {
    read.addAll(List.of(keys));
  }

  /** Reports every key of this mapping that no getter asked for. */
  public void rejectUnknownKeys() {
    for (String key : map.keySet()) {
      if (!read.contains(key)) {
        problems.add(path(key), "unknown key");
      }
    }
  }

  /** The mapping itself (unmodified), for handing to someone else. */
  public Map<String, Object> asMap() {
    return map;
  }

  static String show(Object value) {
    if (value == null) {
      return "null";
    }
    String s = value.toString();
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
