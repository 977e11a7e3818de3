package io.atelier.gateway.live;

import java.util.Map;

/**
 * Where the KPI engine reports what the live hub pushes besides signals. Values are JSON-ready
 * maps. Calls may come from any thread and must be cheap: the hub only records the newest value per
 * key and sends it at the client's next tick.
 */
public interface LiveFeed {

  /** A machine's state changed: {@code state}, {@code since}, {@code reason}, ... */
  void state(String machineId, Map<String, Object> state);

  /** A machine's KPIs over a window were recomputed. */
  void machineKpis(String machineId, String window, Map<String, Object> kpis);

  /** A line's KPIs over a window were recomputed; {@code linePath} is {@code site/area/line}. */
  void lineKpis(String linePath, String window, Map<String, Object> kpis);
}
