package io.atelier.connector.opcua.discovery;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names for what discovery found, in the forms the gateway's configuration accepts: signal names in
 * lower snake case, unique per machine; machine and connection ids in lower kebab case, unique in
 * the file. Browse names are free text (any script, spaces, units in brackets), so every name is
 * reduced to ASCII letters, digits and separators; what is left empty gets a generic name.
 */
public final class Names {

  private Names() {}

  /**
   * {@code "GoodCount"} → {@code good_count}, {@code "Temperature (°C)"} → {@code temperature_c}.
   */
  public static String snakeCase(String text) {
    String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("[^\\p{ASCII}]", "");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        if (Character.isUpperCase(c) && i > 0 && startsWord(ascii, i)) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append('_');
      }
    }
    return out.toString().replaceAll("_+", "_").replaceAll("^_|_$", "").toLowerCase(Locale.ROOT);
  }

  /** An upper-case letter starts a word after a lower case letter or digit, or ends an acronym. */
  private static boolean startsWord(String s, int i) {
    char prev = s.charAt(i - 1);
    if (Character.isLowerCase(prev) || Character.isDigit(prev)) {
      return true;
    }
    return Character.isUpperCase(prev)
        && i + 1 < s.length()
        && Character.isLowerCase(s.charAt(i + 1));
  }

  /**
   * A signal name the gateway accepts: starts with a letter; {@code signal} when nothing is left.
   */
  public static String signalName(String text) {
    String s = snakeCase(text);
    if (s.isEmpty()) {
      return "signal";
    }
    return Character.isLetter(s.charAt(0)) ? s : "s_" + s;
  }

  /** A machine or connection id: {@code "Robot Cell 1"} → {@code robot-cell-1}. */
  public static String id(String text, String fallback) {
    String s = snakeCase(text).replace('_', '-');
    return s.isEmpty() ? fallback : s;
  }

  /**
   * Unique signal names for the variables of one machine, given each one's browse path relative to
   * the machine (in order). Each gets the snake case of the shortest tail of its path that no other
   * variable shares ({@code Speed}, then {@code Spindle/Speed} → {@code spindle_speed}); names
   * still equal after the whole path is used get {@code _2}, {@code _3}.
   */
  public static List<String> uniqueSignalNames(List<List<String>> relativePaths) {
    int n = relativePaths.size();
    int[] tail = new int[n];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tail[i] = 1;
      names.add(tailName(relativePaths.get(i), 1));
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<String, List<Integer>> byName = new HashMap<>();
      for (int i = 0; i < n; i++) {
        byName.computeIfAbsent(names.get(i), k -> new ArrayList<>()).add(i);
      }
      for (List<Integer> same : byName.values()) {
        if (same.size() < 2) {
          continue;
        }
        for (int i : same) {
          if (tail[i] < relativePaths.get(i).size()) {
            tail[i]++;
            names.set(i, tailName(relativePaths.get(i), tail[i]));
            changed = true;
          }
        }
      }
    }
    return numberDuplicates(names);
  }

  /** Makes ids unique in order: the second {@code cnc} becomes {@code cnc-2}. */
  public static List<String> uniqueIds(List<String> ids) {
    return numberDuplicates(ids, "-");
  }

  private static List<String> numberDuplicates(List<String> names) {
    return numberDuplicates(names, "_");
  }

  private static List<String> numberDuplicates(List<String> names, String separator) {
    Set<String> taken = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String candidate = name;
      for (int k = 2; !taken.add(candidate); k++) {
        candidate = name + separator + k;
      }
      out.add(candidate);
    }
    return out;
  }

  private static String tailName(List<String> path, int segments) {
    List<String> tail = path.subList(Math.max(0, path.size() - segments), path.size());
    return signalName(String.join("_", tail.stream().map(Names::snakeCase).toList()));
  }
}
