package io.atelier.gateway.http;

import io.atelier.connector.api.MachineRef;
import io.atelier.gateway.config.HttpSettings.Role;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.http.TrainingSessions.Session;
import io.atelier.gateway.http.machines.MachineCatalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KPIs, machine states, downtime, training sessions and certificate trust. The engines behind them
 * plug in through {@link KpiQueries}, {@link TrainingSessions} and {@link CertificateTrust}; until
 * they do, these routes answer 503. Scope is enforced here, whatever the engine answers.
 */
final class KpiRoutes {

  /** The window of a training session's KPIs: {@code session:<id>}. */
  static final String SESSION_WINDOW = "session:";

  private final MachineCatalog catalog;
  private final Connections connections;
  private final Audit audit;
  private volatile KpiQueries kpis = KpiQueries.NONE;
  private volatile TrainingSessions sessions = TrainingSessions.NONE;
  private volatile CertificateTrust certificates = CertificateTrust.NONE;

  KpiRoutes(MachineCatalog catalog, Connections connections, Audit audit) {
    this.catalog = catalog;
    this.connections = connections;
    this.audit = audit;
  }

  void use(KpiQueries k) {
    kpis = k;
  }

  void use(TrainingSessions s) {
    sessions = s;
  }

  void use(CertificateTrust c) {
    certificates = c;
  }

  void register(Router router) {
    router.get("/api/kpis").handler(this::allKpis);
    router.get("/api/kpis/windows").handler(this::windows);
    router.get("/api/machines/:id/kpis").handler(this::machineKpis);
    router.get("/api/machines/:id/state").handler(this::state);
    router.get("/api/machines/:id/downtime").handler(this::downtime);
    router.get("/api/lines/:site/:area/:line/kpis").handler(this::lineKpis);
    router.get("/api/sessions").handler(this::sessionList);
    router.post("/api/sessions").handler(this::startSession);
    router.get("/api/sessions/:session").handler(this::session);
    router.post("/api/sessions/:session/stop").handler(this::stopSession);
    router.get("/api/connections/:connection/certificates").handler(this::certificateList);
    router.post("/api/connections/:connection/certificates/:thumbprint/trust").handler(this::trust);
  }

  private KpiQueries kpis() {
    KpiQueries k = kpis;
    if (!k.available()) {
      throw ApiError.unavailable("the KPI engine is not running");
    }
    return k;
  }

  private String window(RoutingContext ctx, KpiQueries k) {
    List<String> windows = k.windows();
    String w = ctx.queryParams().get("window");
    if (w == null) {
      if (windows.isEmpty()) {
        throw ApiError.unavailable("the KPI engine has no windows yet");
      }
      return windows.get(0);
    }
    if (w.startsWith(SESSION_WINDOW)) {
      // A training session is a window too (the trainer panel shows its KPIs, also once stopped).
      TrainingSessions s = sessions;
      if (s.available() && s.get(w.substring(SESSION_WINDOW.length())).isPresent()) {
        return w;
      }
      throw ApiError.notFound("no session " + w.substring(SESSION_WINDOW.length()));
    }
    if (!windows.contains(w)) {
      throw ApiError.badRequest("unknown window " + w + "; known: " + String.join(", ", windows));
    }
    return w;
  }

  private void windows(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("windows", new JsonArray(kpis().windows())));
  }

  /** Every visible machine's KPIs, and those of the lines wholly in scope. */
  private void allKpis(RoutingContext ctx) {
    KpiQueries k = kpis();
    String window = window(ctx, k);
    Caller caller = Caller.of(ctx);
    JsonArray machines = new JsonArray();
    Map<String, MachineRef> lines = new LinkedHashMap<>();
    for (MachineConfig m : catalog.machines()) {
      if (!caller.sees(m)) {
        continue;
      }
      k.machine(m.id(), window)
          .ifPresent(
              v -> machines.add(new JsonObject().put("machine", m.id()).put("kpis", json(v))));
      if (caller.seesLine(m.ref())) {
        lines.putIfAbsent(m.ref().linePath(), m.ref());
      }
    }
    JsonArray lineList = new JsonArray();
    lines.forEach(
        (path, ref) ->
            k.line(path, window)
                .ifPresent(
                    v -> lineList.add(new JsonObject().put("line", path).put("kpis", json(v)))));
    Responses.json(
        ctx,
        200,
        new JsonObject().put("window", window).put("machines", machines).put("lines", lineList));
  }

  private void machineKpis(RoutingContext ctx) {
    MachineConfig m = Requests.machine(ctx, catalog);
    KpiQueries k = kpis();
    String window = window(ctx, k);
    Map<String, Object> values = k.machine(m.id(), window).orElse(Map.of());
    Responses.json(
        ctx,
        200,
        new JsonObject().put("machine", m.id()).put("window", window).put("kpis", json(values)));
  }

  private void state(RoutingContext ctx) {
    MachineConfig m = Requests.machine(ctx, catalog);
    JsonObject body = new JsonObject().put("machine", m.id());
    Optional<Map<String, Object>> state = kpis().state(m.id());
    if (state.isPresent()) {
      body.put("state", json(state.get()));
    } else {
      body.putNull("state");
    }
    Responses.json(ctx, 200, body);
  }

  private void downtime(RoutingContext ctx) {
    MachineConfig m = Requests.machine(ctx, catalog);
    KpiQueries k = kpis();
    String window = window(ctx, k);
    JsonArray reasons = new JsonArray();
    k.downtime(m.id(), window).forEach(r -> reasons.add(json(r)));
    Responses.json(
        ctx,
        200,
        new JsonObject().put("machine", m.id()).put("window", window).put("reasons", reasons));
  }

  private void lineKpis(RoutingContext ctx) {
    MachineRef ref = Requests.requireWholeLine(ctx, catalog);
    KpiQueries k = kpis();
    String window = window(ctx, k);
    Map<String, Object> values = k.line(ref.linePath(), window).orElse(Map.of());
    Responses.json(
        ctx,
        200,
        new JsonObject()
            .put("line", ref.linePath())
            .put("window", window)
            .put("kpis", json(values)));
  }

  private TrainingSessions sessions() {
    TrainingSessions s = sessions;
    if (!s.available()) {
      throw ApiError.unavailable("training sessions are not available");
    }
    return s;
  }

  private void sessionList(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    JsonArray list = new JsonArray();
    for (Session s : sessions().list()) {
      List<String> visible = visibleMachines(caller, s.machines());
      if (!visible.isEmpty()) {
        list.add(sessionJson(s, visible));
      }
    }
    Responses.json(ctx, 200, new JsonObject().put("sessions", list));
  }

  private void session(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Session s = sessionOf(ctx);
    Responses.json(ctx, 200, sessionJson(s, visibleMachines(caller, s.machines())));
  }

  private Session sessionOf(RoutingContext ctx) {
    String id = ctx.pathParam("session");
    Session s = sessions().get(id).orElseThrow(() -> ApiError.notFound("no session " + id));
    if (visibleMachines(Caller.of(ctx), s.machines()).isEmpty()) {
      throw ApiError.forbidden("session " + id + " covers no machine in the token's scope");
    }
    return s;
  }

  private void startSession(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.OPERATOR, "start training sessions");
    TrainingSessions s = sessions();
    JsonObject body = Requests.jsonBody(ctx);
    String name = body.getValue("name") instanceof String n ? n.trim() : "";
    if (name.isEmpty() || name.length() > 200) {
      throw ApiError.badRequest("name: 1 to 200 characters");
    }
    List<String> machines = new ArrayList<>();
    Object listed = body.getValue("machines");
    if (listed instanceof JsonArray a && !a.isEmpty()) {
      for (Object o : a) {
        String id = String.valueOf(o);
        MachineConfig m =
            catalog.machine(id).orElseThrow(() -> ApiError.badRequest("no machine " + id));
        if (!caller.sees(m)) {
          throw ApiError.forbidden("machine " + id + " is outside the token's scope");
        }
        machines.add(id);
      }
    } else if (listed != null && !(listed instanceof JsonArray)) {
      throw ApiError.badRequest("machines: expected a list of machine ids");
    } else {
      catalog.machines().stream().filter(caller::sees).forEach(m -> machines.add(m.id()));
    }
    s.start(name, machines, caller.name())
        .onSuccess(
            session -> {
              audit.action(caller, Requests.client(ctx), "session-start", session.id());
              Responses.json(ctx, 201, sessionJson(session, session.machines()));
            })
        .onFailure(ctx::fail);
  }

  private void stopSession(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.OPERATOR, "stop training sessions");
    Session s = sessionOf(ctx);
    if (visibleMachines(caller, s.machines()).size() != s.machines().size()) {
      throw ApiError.forbidden("session " + s.id() + " covers machines outside the token's scope");
    }
    sessions()
        .stop(s.id(), caller.name())
        .map(stopped -> stopped.orElseThrow(() -> ApiError.notFound("no session " + s.id())))
        .onSuccess(
            done -> {
              audit.action(caller, Requests.client(ctx), "session-stop", s.id());
              Responses.json(ctx, 200, sessionJson(done, done.machines()));
            })
        .onFailure(ctx::fail);
  }

  private List<String> visibleMachines(Caller caller, List<String> ids) {
    return ids.stream()
        .filter(id -> catalog.machine(id).map(caller::sees).orElse(caller.scope().all()))
        .toList();
  }

  private static JsonObject sessionJson(Session s, List<String> machines) {
    JsonObject o =
        new JsonObject()
            .put("id", s.id())
            .put("name", s.name())
            .put("machines", new JsonArray(machines))
            .put("startedBy", s.startedBy())
            .put("started", s.started().toString())
            .put("running", s.stopped().isEmpty());
    if (s.stopped().isPresent()) {
      o.put("stopped", s.stopped().get().toString());
    } else {
      o.putNull("stopped");
    }
    return o;
  }

  /** A connection's certificates: visible if it serves a visible machine. */
  private String connectionOf(RoutingContext ctx, boolean wholeConnection) {
    String id = ctx.pathParam("connection");
    if (!connections.ids().contains(id)) {
      throw ApiError.notFound("no connection with id " + id);
    }
    Caller caller = Caller.of(ctx);
    List<MachineConfig> served =
        catalog.machines().stream().filter(m -> m.connection().equals(id)).toList();
    boolean ok =
        caller.scope().all()
            || (wholeConnection
                ? !served.isEmpty() && served.stream().allMatch(caller::sees)
                : served.stream().anyMatch(caller::sees));
    if (!ok) {
      throw ApiError.forbidden("connection " + id + " is outside the token's scope");
    }
    return id;
  }

  private CertificateTrust certificates() {
    CertificateTrust c = certificates;
    if (!c.available()) {
      throw ApiError.unavailable("certificate trust is not available");
    }
    return c;
  }

  private void certificateList(RoutingContext ctx) {
    String id = connectionOf(ctx, false);
    certificates()
        .list(id)
        .onSuccess(
            list -> {
              JsonArray out = new JsonArray();
              list.forEach(c -> out.add(certificateJson(c)));
              Responses.json(
                  ctx, 200, new JsonObject().put("connection", id).put("certificates", out));
            })
        .onFailure(ctx::fail);
  }

  /** Trusting a server certificate affects every machine behind it: the whole connection. */
  private void trust(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.OPERATOR, "trust certificates");
    String id = connectionOf(ctx, true);
    String thumbprint = ctx.pathParam("thumbprint");
    if (!thumbprint.matches("[0-9A-Fa-f]{16,128}")) {
      throw ApiError.badRequest("a thumbprint is hex digits");
    }
    certificates()
        .trust(id, thumbprint)
        .map(c -> c.orElseThrow(() -> ApiError.notFound("no certificate " + thumbprint)))
        .onSuccess(
            cert -> {
              audit.action(
                  caller, Requests.client(ctx), "certificate-trust", id + "/" + thumbprint);
              Responses.json(ctx, 200, certificateJson(cert));
            })
        .onFailure(ctx::fail);
  }

  private static JsonObject certificateJson(CertificateTrust.Certificate c) {
    return new JsonObject()
        .put("thumbprint", c.thumbprint())
        .put("subject", c.subject())
        .put("notAfter", c.notAfter().toString())
        .put("status", c.status());
  }

  private static JsonObject json(Map<String, Object> map) {
    return new JsonObject(new LinkedHashMap<>(map));
  }
}
