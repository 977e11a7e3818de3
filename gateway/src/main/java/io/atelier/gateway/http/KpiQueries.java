package io.atelier.gateway.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API asks the KPI engine. Answers are JSON-ready maps (numbers, strings, booleans, nested
 * maps and lists) so the API does not depend on the engine's types; an adapter in the engine's
 * package fills them. Until the engine is connected, {@link #NONE} makes the KPI routes answer 503.
 * Scope is the API's business: the engine answers for any machine or line it is asked about.
 */
public interface KpiQueries {

  /** Whether an engine answers; the KPI routes answer 503 while not. */
  boolean available();

  /** The windows the engine computes, e.g. {@code 15m}, {@code 1h}, {@code 8h}, {@code shift}. */
  List<String> windows();

  /** A machine's KPIs over a window (availability, oee, ...); empty for an unknown window. */
  Optional<Map<String, Object>> machine(String machineId, String window);

  /** A line's KPIs over a window; {@code linePath} is {@code site/area/line}. */
  Optional<Map<String, Object>> line(String linePath, String window);

  /** A machine's current state: {@code state}, {@code since}, {@code reason}, ... */
  Optional<Map<String, Object>> state(String machineId);

  /** A machine's downtime by reason over a window, longest first: reason, seconds, count. */
  List<Map<String, Object>> downtime(String machineId, String window);

  /** No engine connected. */
  KpiQueries NONE =
      new KpiQueries() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public List<String> windows() {
          return List.of();
        }

        @Override
        public Optional<Map<String, Object>> machine(String machineId, String window) {
          return Optional.empty();
        }

        @Override
        public Optional<Map<String, Object>> line(String linePath, String window) {
          return Optional.empty();
        }

        @Override
        public Optional<Map<String, Object>> state(String machineId) {
          return Optional.empty();
        }

        @Override
        public List<Map<String, Object>> downtime(String machineId, String window) {
          return List.of();
        }
      };
}
