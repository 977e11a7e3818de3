package io.atelier.gateway.kpi;

import java.util.List;

/**
 * A training session with its KPIs per machine and per line.
 *
 * @param session the session
 * @param machines one report per machine of the session
 * @param lines one report per line with a machine in the session
 */
public record SessionKpis(
    TrainingSession session, List<KpiReport> machines, List<KpiReport> lines) {

  public SessionKpis {
    machines = List.copyOf(machines);
    lines = List.copyOf(lines);
  }
}
