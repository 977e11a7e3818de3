package io.atelier.connector.mqtt;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A topic with named wildcards such as {@code atelier/{site}/{area}/{line}/{machine}/{signal}}.
 * Each {@code {name}} stands for exactly one topic level; plain MQTT {@code +} and a trailing
 * {@code #} are allowed too. The MQTT subscription filter is the template with {@code +} for every
 * name. A template without names is an ordinary MQTT topic filter.
 */
public final class TopicTemplate {

  /** The names a template may bind. */
  public enum Placeholder {
    SITE,
    AREA,
    LINE,
    MACHINE,
    SIGNAL;

    String token() {
      return "{" + name().toLowerCase(Locale.ROOT) + "}";
    }
  }

  private final String text;
  private final String[] levels; // literal level, "+" or "#"; names are stored as null
  private final Placeholder[] names; // the placeholder of each level, or null
  private final boolean multiLevel;
  private final String filter;
  private final EnumMap<Placeholder, Integer> index = new EnumMap<>(Placeholder.class);

  private TopicTemplate(String text, String[] levels, Placeholder[] names) {
    this.text = text;
    this.levels = levels;
    this.names = names;
    this.multiLevel = levels.length > 0 && "#".equals(levels[levels.length - 1]);
    StringBuilder f = new StringBuilder();
    for (int i = 0; i < levels.length; i++) {
      if (i > 0) {
        f.append('/');
      }
      f.append(names[i] != null ? "+" : levels[i]);
      if (names[i] != null) {
        index.put(names[i], i);
      }
    }
    this.filter = f.toString();
  }

  /**
   * Parses a template, reporting every problem to {@code problems}; empty if there was any.
   *
   * @param text the template as written in the configuration
   * @param problems receives one message per problem
   */
  public static Optional<TopicTemplate> parse(String text, Consumer<String> problems) {
    List<String> errors = new ArrayList<>();
    if (text.isEmpty()) {
      errors.add("topic must not be empty");
    } else if (text.startsWith("$share/")) {
      errors.add("write the shared group under 'shared:', not as a $share/ prefix");
    }
    String[] levels = text.split("/", -1);
    Placeholder[] names = new Placeholder[levels.length];
    EnumMap<Placeholder, Boolean> seen = new EnumMap<>(Placeholder.class);
    for (int i = 0; i < levels.length && !text.isEmpty(); i++) {
      String level = levels[i];
      if (level.startsWith("{") && level.endsWith("}")) {
        Optional<Placeholder> p = placeholder(level);
        if (p.isEmpty()) {
          errors.add(
              "unknown placeholder "
                  + level
                  + " (known: {site}, {area}, {line}, {machine}, {signal})");
        } else if (seen.put(p.get(), Boolean.TRUE) != null) {
          errors.add("placeholder " + level + " appears twice");
        } else {
          names[i] = p.get();
          levels[i] = null;
        }
      } else if (level.contains("{") || level.contains("}")) {
        errors.add("a placeholder must fill a whole topic level: '" + level + "'");
      } else if (level.equals("#")) {
        if (i != levels.length - 1) {
          errors.add("'#' is only allowed as the last level");
        }
      } else if (level.contains("#") || (level.contains("+") && !level.equals("+"))) {
        errors.add("'+' and '#' must fill a whole topic level: '" + level + "'");
      }
    }
    if (text.indexOf('\0') >= 0) {
      errors.add("topic must not contain a NUL character");
    }
    errors.forEach(problems);
    return errors.isEmpty()
        ? Optional.of(new TopicTemplate(text, levels, names))
        : Optional.empty();
  }

  /** Parses a template that is known to be valid (tests, constants); throws otherwise. */
  public static TopicTemplate of(String text) {
    List<String> errors = new ArrayList<>();
    return parse(text, errors::add)
        .orElseThrow(() -> new IllegalArgumentException(text + ": " + String.join("; ", errors)));
  }

  private static Optional<Placeholder> placeholder(String level) {
    for (Placeholder p : Placeholder.values()) {
      if (p.token().equals(level)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  /** The MQTT subscription filter: the template with {@code +} for every name. */
  public String filter() {
    return filter;
  }

  public boolean binds(Placeholder p) {
    return index.containsKey(p);
  }

  /** True when the template is a plain topic (no names, no wildcards). */
  public boolean isExact() {
    return index.isEmpty() && !multiLevel && !filter.contains("+");
  }

  /**
   * Matches a concrete topic (as received, never containing wildcards) and returns what the names
   * bound. A name never binds an empty level. Topics starting with {@code $} only match templates
   * that start with the same literal level, as MQTT requires.
   */
  public Optional<Map<Placeholder, String>> match(String topic) {
    int pos = 0;
    int n = topic.length();
    EnumMap<Placeholder, String> bound = null;
    for (int i = 0; i < levels.length; i++) {
      if (i == levels.length - 1 && multiLevel) {
        // '#' also matches the parent level itself ("a/#" matches "a"), but a leading
        // wildcard never matches the broker's own $-topics.
        if (i == 0 && n > 0 && topic.charAt(0) == '$') {
          return Optional.empty();
        }
        return Optional.of(result(bound));
      }
      if (pos > n) {
        return Optional.empty();
      }
      int end = topic.indexOf('/', pos);
      if (end < 0) {
        end = n;
      }
      String literal = levels[i];
      boolean wildcard = names[i] != null || "+".equals(literal);
      if (wildcard && i == 0 && n > 0 && topic.charAt(0) == '$') {
        return Optional.empty();
      }
      if (names[i] != null) {
        if (end == pos) {
          return Optional.empty();
        }
        if (bound == null) {
          bound = new EnumMap<>(Placeholder.class);
        }
        bound.put(names[i], topic.substring(pos, end));
      } else if (literal.equals("+")) {
        // any non-$ level matches
      } else if (!topic.regionMatches(pos, literal, 0, literal.length())
          || end - pos != literal.length()) {
        return Optional.empty();
      }
      pos = end + 1;
    }
    return pos == n + 1 ? Optional.of(result(bound)) : Optional.empty();
  }

  private static Map<Placeholder, String> result(EnumMap<Placeholder, String> bound) {
    return bound == null ? Map.of() : bound;
  }

  @Override
  public String toString() {
    return text;
  }
}
