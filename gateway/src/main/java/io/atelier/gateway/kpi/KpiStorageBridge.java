package io.atelier.gateway.kpi;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends KPI reports and state changes to storage as derived samples, named so that the line
 * protocol encoder puts them in the {@code kpi} and {@code machine_state} measurements: signal
 * {@code kpi:<window>:<name>} or {@code machine_state:<field>}, machine {@code _line:<path>} for a
 * line. Derived samples reach storage only, never the KPI engine or the last values.
 */
public final class KpiStorageBridge implements KpiListener {

  private final Pipeline pipeline;

  public KpiStorageBridge(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void onKpis(List<KpiReport> reports) {
    List<Sample> out = new ArrayList<>();
    for (KpiReport r : reports) {
      String machine = r.scope() == KpiReport.Scope.LINE ? "_line:" + r.subject() : r.subject();
      String prefix = "kpi:" + r.window() + ":";
      for (Map.Entry<String, Double> v : r.values().entrySet()) {
        out.add(Sample.good(machine, prefix + v.getKey(), v.getValue(), r.to()));
      }
    }
    if (!out.isEmpty()) {
      pipeline.acceptDerived(out, Completion.NONE);
    }
  }

  @Override
  public void onStateChanges(List<MachineStateChange> changes) {
    List<Sample> out = new ArrayList<>();
    for (MachineStateChange c : changes) {
      out.add(Sample.good(c.machine(), "machine_state:state", c.state().name(), c.at()));
      out.add(
          Sample.good(
              c.machine(),
              "machine_state:iso_bucket",
              java.util.Objects.toString(c.isoBucket(), ""),
              c.at()));
      out.add(
          Sample.good(
              c.machine(),
              "machine_state:native_state",
              java.util.Objects.toString(c.nativeState(), ""),
              c.at()));
      out.add(
          Sample.good(
              c.machine(),
              "machine_state:reason",
              java.util.Objects.toString(c.reason(), ""),
              c.at()));
    }
    if (!out.isEmpty()) {
      pipeline.acceptDerived(out, Completion.NONE);
    }
  }
}
