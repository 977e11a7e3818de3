package io.atelier.gateway.kpi;

import java.util.List;

/**
 * Receives what the KPI engine emits. Called after the engine has released its lock, from the
 * thread that drove the engine (the pipeline's context for state changes, the timer's for periodic
 * reports); calls are serialised. Must not block.
 */
public interface KpiListener {

  /** KPI reports: every few seconds for all, and right after a state change for that machine. */
  void onKpis(List<KpiReport> reports);

  /** State changes, in the order they happened per machine. */
  void onStateChanges(List<MachineStateChange> changes);

  /** A listener that ignores everything. */
  KpiListener NONE =
      new KpiListener() {
        @Override
        public void onKpis(List<KpiReport> reports) {}

        @Override
        public void onStateChanges(List<MachineStateChange> changes) {}
      };
}
