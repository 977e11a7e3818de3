package io.atelier.gateway.kpi;

import io.atelier.gateway.live.LiveFeed;
import java.util.List;

/** Sends KPI reports and state changes to the live hub (and so to browsers). */
public final class KpiLiveBridge implements KpiListener {

  private final LiveFeed live;

  public KpiLiveBridge(LiveFeed live) {
    this.live = live;
  }

  @Override
  public void onKpis(List<KpiReport> reports) {
    for (KpiReport r : reports) {
      if (r.scope() == KpiReport.Scope.MACHINE) {
        live.machineKpis(r.subject(), r.window(), KpiApi.json(r));
      } else {
        live.lineKpis(r.subject(), r.window(), KpiApi.json(r));
      }
    }
  }

  @Override
  public void onStateChanges(List<MachineStateChange> changes) {
    for (MachineStateChange c : changes) {
      live.state(c.machine(), KpiApi.json(c));
    }
  }
}
