package io.atelier.gateway.kpi;

import io.atelier.gateway.http.KpiQueries;
import io.atelier.gateway.http.TrainingSessions;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The KPI engine as the HTTP API sees it: KPI queries and training sessions. The engine is
 * thread-safe and answers in microseconds, so calls run directly on the HTTP event loop.
 */
public final class KpiApi implements KpiQueries, TrainingSessions {

  private static final String SESSION = "session:";

  private final KpiEngine engine;
  // Who started a session is the API's concern, not the engine's; kept for the answers.
  private final Map<String, String> startedBy = new ConcurrentHashMap<>();

  public KpiApi(KpiEngine engine) {
    this.engine = engine;
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public List<String> windows() {
    return engine.windows();
  }

  @Override
  public Optional<Map<String, Object>> machine(String machineId, String window) {
    return find(window, KpiReport.Scope.MACHINE, machineId);
  }

  @Override
  public Optional<Map<String, Object>> line(String linePath, String window) {
    return find(window, KpiReport.Scope.LINE, linePath);
  }

  private Optional<Map<String, Object>> find(String window, KpiReport.Scope scope, String subject) {
    Optional<List<KpiReport>> reports;
    if (window.startsWith(SESSION)) {
      reports =
          engine
              .session(window.substring(SESSION.length()))
              .map(s -> scope == KpiReport.Scope.MACHINE ? s.machines() : s.lines());
    } else {
      reports = engine.kpis(window);
    }
    return reports.flatMap(
        list ->
            list.stream()
                .filter(r -> r.scope() == scope && r.subject().equals(subject))
                .findFirst()
                .map(KpiApi::json));
  }

  /** A report as JSON-ready values: the KPIs plus the interval they cover. */
  public static Map<String, Object> json(KpiReport r) {
    Map<String, Object> out = new LinkedHashMap<>(r.values());
    out.put("from", r.from().toString());
    out.put("to", r.to().toString());
    out.put("window", r.window());
    return out;
  }

  @Override
  public Optional<Map<String, Object>> state(String machineId) {
    return engine.currentState(machineId).map(KpiApi::json);
  }

  /** A state change as JSON-ready values. */
  public static Map<String, Object> json(MachineStateChange c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", c.state().name());
    out.put("isoBucket", c.isoBucket());
    out.put("nativeState", c.nativeState());
    out.put("reason", c.reason());
    out.put("since", c.at().toString());
    return out;
  }

  @Override
  public List<Map<String, Object>> downtime(String machineId, String window) {
    List<Map<String, Object>> out = new ArrayList<>();
    engine
        .downtime(machineId, window)
        .ifPresent(
            p ->
                p.entries()
                    .forEach(
                        e -> {
                          Map<String, Object> row = new LinkedHashMap<>();
                          row.put("state", e.state().name());
                          row.put("reason", e.reason());
                          row.put("seconds", e.seconds());
                          row.put("count", e.stops());
                          row.put("microStops", e.microStops());
                          out.add(row);
                        }));
    return out;
  }

  @Override
  public List<Session> list() {
    return engine.sessions().stream().map(this::session).toList();
  }

  @Override
  public Optional<Session> get(String id) {
    return engine.sessions().stream().filter(s -> s.id().equals(id)).findFirst().map(this::session);
  }

  @Override
  public Future<Session> start(String name, List<String> machines, String by) {
    try {
      TrainingSession s = engine.startSession(name, machines);
      startedBy.put(s.id(), by);
      return Future.succeededFuture(session(s));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(io.atelier.gateway.http.ApiError.badRequest(e.getMessage()));
    }
  }

  @Override
  public Future<Optional<Session>> stop(String id, String stoppedBy) {
    return Future.succeededFuture(engine.stopSession(id).map(this::session));
  }

  private Session session(TrainingSession s) {
    return new Session(
        s.id(), s.name(), s.machines(), startedBy.getOrDefault(s.id(), ""), s.start(), s.end());
  }
}
