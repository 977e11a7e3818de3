package io.atelier.gateway.kpi;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The KPIs of one machine or line over one window, at one moment. A KPI that cannot be computed
 * (availability with no planned busy time, quality with no parts) is absent from {@code values},
 * never NaN.
 *
 * @param scope machine or line
 * @param subject the machine id, or the line's path {@code site/area/line}
 * @param window a rolling window's name ({@code 15m}, {@code 1h}, {@code 8h}), {@code shift}, or
 *     {@code session:<id>}
 * @param label what the window is: the shift with its date ({@code early 2025-03-03}), the
 *     session's name, or empty for rolling windows
 * @param from the start of the time covered
 * @param to the end of the time covered (the time of the report)
 * @param values KPI name to value, in a fixed order; names as in docs/kpis.md
 */
public record KpiReport(
    Scope scope,
    String subject,
    String window,
    String label,
    Instant from,
    Instant to,
    Map<String, Double> values) {

  /** Whose KPIs these are. */
  public enum Scope {
    MACHINE,
    LINE
  }

  public KpiReport {
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
  }

  public Optional<Double> value(String name) {
    return Optional.ofNullable(values.get(name));
  }
}
