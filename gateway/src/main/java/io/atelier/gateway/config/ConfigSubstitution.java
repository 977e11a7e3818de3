package io.atelier.gateway.config;

import io.atelier.connector.api.config.ConfigProblems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${file:PATH}} in every string value
 * of a parsed YAML tree, so that secrets live in the environment or in files, never in the config.
 * {@code $${...}} stands for a literal {@code ${...}}. Substitution happens on parsed values, not
 * on the raw text, so a secret can never change the structure of the document.
 */
public final class ConfigSubstitution {

  private static final Pattern REF = Pattern.compile("\\$(\\$?)\\{([^}]*)}");

  private final Function<String, String> env;
  private final Path baseDir;

  /**
   * @param env looks up environment variables (null when unset)
   * @param baseDir the directory relative {@code file:} paths are resolved against
   */
  public ConfigSubstitution(Function<String, String> env, Path baseDir) {
    this.env = env;
    this.baseDir = baseDir;
  }

  /** A copy of the tree with every reference replaced; problems are recorded with their path. */
  public Object apply(Object node, String path, ConfigProblems problems) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        out.put(key, apply(e.getValue(), path.isEmpty() ? key : path + "." + key, problems));
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(apply(list.get(i), path + "[" + i + "]", problems));
      }
      return out;
    }
    if (node instanceof String s && s.contains("${")) {
      return substitute(s, path, problems);
    }
    return node;
  }

  private String substitute(String text, String path, ConfigProblems problems) {
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (!m.group(1).isEmpty()) {
        replacement = "${" + m.group(2) + "}";
      } else {
        replacement = resolve(m.group(2), path, problems);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String resolve(String ref, String path, ConfigProblems problems) {
    if (ref.startsWith("file:")) {
      Path file = baseDir.resolve(ref.substring("file:".length()).trim());
      try {
        return stripTrailingNewline(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The path is not a secret; the content would be, so it never appears in a message.
        problems.add(path, "cannot read secret file " + file + ": " + e.getClass().getSimpleName());
        return "";
      }
    }
    String name = ref;
    String fallback = null;
    int sep = ref.indexOf(":-");
    if (sep >= 0) {
      name = ref.substring(0, sep);
      fallback = ref.substring(sep + 2);
    }
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      problems.add(
          path, "bad reference ${" + ref + "}: expected ${NAME}, ${NAME:-default} or ${file:PATH}");
      return "";
    }
    String value = env.apply(name);
    if (value == null || value.isEmpty()) {
      if (fallback != null) {
        return fallback;
      }
      problems.add(path, "environment variable " + name + " is not set");
      return "";
    }
    return value;
  }

  private static String stripTrailingNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }
}
