package io.atelier.connector.api.config;

/**
 * One thing wrong in a configuration: where (the YAML path, e.g. {@code machines[2].id}), what, and
 * the offending value as written (empty when the value is missing).
 */
public record ConfigProblem(String path, String message, String value) {

  @Override
  public String toString() {
    return value.isEmpty()
        ? path + ": " + message
        : path + ": " + message + " (got: " + value + ")";
  }
}
