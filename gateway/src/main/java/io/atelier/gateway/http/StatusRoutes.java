package io.atelier.gateway.http;

import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.http.machines.MachineCatalog;
import io.atelier.gateway.metrics.GatewayMetrics;
import io.atelier.gateway.pipeline.Pipeline;
import io.atelier.gateway.pipeline.PipelineStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Liveness, readiness, metrics, the caller's own token, connections and their status. */
final class StatusRoutes {

  private final MachineCatalog catalog;
  private final Connections connections;
  private final Pipeline pipeline;
  private final GatewayMetrics metrics;
  private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();

  StatusRoutes(
      MachineCatalog catalog, Connections connections, Pipeline pipeline, GatewayMetrics metrics) {
    this.catalog = catalog;
    this.connections = connections;
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  void addCheck(ReadinessCheck check) {
    checks.add(check);
  }

  /** The routes anybody may call. */
  void registerOpen(Router router) {
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
  }

  /** The routes that need a token (access control runs before them). */
  void register(Router router) {
    router.get("/metrics").handler(this::metrics);
    router.get("/api/me").handler(this::me);
    router.get("/api/connections").handler(this::connectionList);
    router.get("/api/connections/:connection").handler(this::connection);
  }

  private void health(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  /**
   * Ready means the gateway can take and keep data: the pipeline runs. A connection that is down,
   * or a writer that cannot write, makes it DEGRADED (still 200, since restarting the gateway would
   * not help); a stopped pipeline or a component that is DOWN makes it DOWN (503).
   */
  private void ready(RoutingContext ctx) {
    PipelineStats stats = pipeline.stats();
    boolean pipelineUp = pipeline.isRunning();
    JsonObject conns = new JsonObject();
    boolean allConnected = true;
    for (String id : connections.ids()) {
      ConnectorStatus st = connections.status(id);
      allConnected &= st.state() == State.CONNECTED;
      conns.put(id, statusJson(id, st));
    }
    boolean degraded = !allConnected;
    boolean down = !pipelineUp;
    JsonObject components = new JsonObject();
    for (ReadinessCheck check : checks) {
      ReadinessCheck.Result r = check.check();
      degraded |= r.status() == ReadinessCheck.Status.DEGRADED;
      down |= r.status() == ReadinessCheck.Status.DOWN;
      components.put(check.name(), r.details().copy().put("status", r.status().name()));
    }
    String status = down ? "DOWN" : degraded ? "DEGRADED" : "UP";
    JsonObject body =
        new JsonObject()
            .put("status", status)
            .put("instance", catalog.current().gateway().name())
            .put(
                "components",
                new JsonObject()
                    .put(
                        "pipeline",
                        new JsonObject()
                            .put("status", pipelineUp ? "UP" : "DOWN")
                            .put("queued", stats.queued())
                            .put("capacity", stats.capacity())
                            .put("accepted", stats.accepted())
                            .put("delivered", stats.delivered())
                            .put("rejected", stats.rejected())
                            .put("dropped", stats.dropped()))
                    .put("connections", conns)
                    .mergeIn(components));
    Responses.json(ctx, down ? 503 : 200, body);
  }

  /** Metrics name every connection and machine, so they are for tokens that see everything. */
  private void metrics(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (!caller.scope().all()) {
      throw ApiError.forbidden("metrics cover every machine; use a token with scope all");
    }
    ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(metrics.scrape());
  }

  private void me(RoutingContext ctx) {
    Caller c = Caller.of(ctx);
    JsonObject scope = new JsonObject().put("all", c.scope().all());
    if (!c.scope().all()) {
      scope
          .put("machines", new JsonArray(List.copyOf(c.scope().machines())))
          .put("lines", new JsonArray(List.copyOf(c.scope().lines())));
    }
    Responses.json(
        ctx,
        200,
        new JsonObject()
            .put("name", c.name())
            .put("role", c.role().name().toLowerCase(java.util.Locale.ROOT))
            .put("scope", scope));
  }

  private void connectionList(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    JsonArray list = new JsonArray();
    for (String id : connections.ids()) {
      if (visible(caller, id)) {
        list.add(connectionJson(caller, id));
      }
    }
    Responses.json(ctx, 200, new JsonObject().put("connections", list));
  }

  private void connection(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String id = ctx.pathParam("connection");
    if (!connections.ids().contains(id)) {
      throw ApiError.notFound("no connection with id " + id);
    }
    if (!visible(caller, id)) {
      throw ApiError.forbidden("connection " + id + " serves no machine in the token's scope");
    }
    Responses.json(ctx, 200, connectionJson(caller, id));
  }

  /** A connection is visible when it serves at least one machine the caller sees. */
  private boolean visible(Caller caller, String connectionId) {
    if (caller.scope().all()) {
      return true;
    }
    return catalog.machines().stream()
        .anyMatch(m -> m.connection().equals(connectionId) && caller.sees(m));
  }

  private JsonObject connectionJson(Caller caller, String id) {
    JsonArray machines = new JsonArray();
    for (MachineConfig m : catalog.machines()) {
      if (m.connection().equals(id) && caller.sees(m)) {
        machines.add(m.id());
      }
    }
    JsonObject counters = new JsonObject();
    connections.counters(id).forEach(counters::put);
    return statusJson(id, connections.status(id))
        .put("machines", machines)
        .put("counters", counters);
  }

  private JsonObject statusJson(String id, ConnectorStatus st) {
    JsonObject o =
        new JsonObject()
            .put("id", id)
            .put("type", connections.type(id))
            .put("status", st.state().name())
            .put("since", st.since().toString());
    st.lastError().ifPresent(e -> o.put("lastError", e));
    return o;
  }
}
