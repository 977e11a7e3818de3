package io.atelier.connector.api.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a configuration, so that all of them are reported at once. */
public final class ConfigProblems {

  private final List<ConfigProblem> problems = new ArrayList<>();

  public void add(String path, String message) {
    problems.add(new ConfigProblem(path, message, ""));
  }

  public void add(String path, String message, Object value) {
    problems.add(new ConfigProblem(path, message, ConfigNode.show(value)));
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public List<ConfigProblem> all() {
    return List.copyOf(problems);
  }

  /** Throws {@link InvalidConfigException} listing every problem, if there is any. */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(all());
    }
  }
}
