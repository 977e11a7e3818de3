package io.atelier.gateway.http;

import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.config.GatewayConfig;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.pipeline.LastValues;
import io.atelier.gateway.pipeline.Pipeline;
import io.atelier.gateway.pipeline.PipelineStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's HTTP server: health, readiness and the REST API under {@code /api}. */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Connections connections;
  private final Pipeline pipeline;
  private final LastValues lastValues;
  private HttpServer server;

  public HttpApi(
      Vertx vertx,
      GatewayConfig config,
      Connections connections,
      Pipeline pipeline,
      LastValues lastValues) {
    this.vertx = vertx;
    this.config = config;
    this.connections = connections;
    this.pipeline = pipeline;
    this.lastValues = lastValues;
  }

  /** Listens; the future holds the actual port (useful when the configured port is 0). */
  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.get("/api/machines").handler(this::machines);
    router.get("/api/machines/:id").handler(this::machine);
    router.get("/api/machines/:id/signals").handler(this::signals);
    router.get("/api/connections").handler(this::connectionList);
    router.route("/api/*").handler(ctx -> fail(ctx, ApiError.notFound("no such endpoint")));
    router.route().failureHandler(this::onFailure);
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(config.http().port(), config.http().host())
        .map(
            s -> {
              server = s;
              return s.actualPort();
            });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  /**
   * Ready means the gateway can take and keep data: the pipeline runs. A connection that is down
   * makes it DEGRADED (still 200, since restarting the gateway would not help); a stopped pipeline
   * makes it DOWN (503).
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
    String status = !pipelineUp ? "DOWN" : allConnected ? "UP" : "DEGRADED";
    JsonObject body =
        new JsonObject()
            .put("status", status)
            .put("instance", config.gateway().name())
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
                    .put("connections", conns));
    json(ctx, pipelineUp ? 200 : 503, body);
  }

  private void machines(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (MachineConfig m : config.machines()) {
      list.add(machineJson(m));
    }
    json(ctx, 200, new JsonObject().put("machines", list));
  }

  private void machine(RoutingContext ctx) {
    json(ctx, 200, machineJson(machineOf(ctx)));
  }

  private void signals(RoutingContext ctx) {
    MachineConfig m = machineOf(ctx);
    Map<String, Sample> values = lastValues.signals(m.id());
    // Configured signals first, in file order, then any others the source sent.
    Set<String> names = new LinkedHashSet<>(m.signals());
    values.keySet().stream().sorted().forEach(names::add);
    JsonArray list = new JsonArray();
    for (String name : names) {
      JsonObject o =
          new JsonObject().put("name", name).put("configured", m.signals().contains(name));
      Sample s = values.get(name);
      if (s != null) {
        o.put("value", s.value())
            .put("quality", s.quality().level().name())
            .put("qualityDetail", s.quality().detail())
            .put("sourceTime", s.sourceTime().toString())
            .put("receiveTime", s.receiveTime().toString());
      } else {
        o.putNull("value").put("quality", "NO_DATA");
      }
      list.add(o);
    }
    json(ctx, 200, new JsonObject().put("machine", m.id()).put("signals", list));
  }

  private void connectionList(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (String id : connections.ids()) {
      list.add(statusJson(id, connections.status(id)));
    }
    json(ctx, 200, new JsonObject().put("connections", list));
  }

  private JsonObject machineJson(MachineConfig m) {
    ConnectorStatus st = connections.status(m.connection());
    JsonObject o =
        new JsonObject()
            .put("id", m.id())
            .put("path", m.ref().path())
            .put("site", m.ref().site())
            .put("area", m.ref().area())
            .put("line", m.ref().line())
            .put("machine", m.ref().machine())
            .put("description", m.description())
            .put("metadata", new JsonObject(Map.copyOf(m.metadata())))
            .put("connection", m.connection())
            .put("connectionType", connections.type(m.connection()))
            .put("status", st.state().name())
            .put("statusSince", st.since().toString())
            .put("samples", lastValues.count(m.id()));
    st.lastError().ifPresent(e -> o.put("lastError", e));
    Instant last = lastValues.lastReceived(m.id()).orElse(null);
    if (last == null) {
      o.putNull("lastSampleTime");
    } else {
      o.put("lastSampleTime", last.toString());
    }
    return o;
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

  private MachineConfig machineOf(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return config.machine(id).orElseThrow(() -> ApiError.notFound("no machine with id " + id));
  }

  private void onFailure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof ApiError e) {
      error(ctx, e);
    } else if (t != null) {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), t);
      error(ctx, new ApiError(ApiError.Kind.INTERNAL, "internal error; see the gateway log"));
    } else {
      int code = ctx.statusCode();
      ApiError.Kind kind =
          switch (code) {
            case 404 -> ApiError.Kind.NOT_FOUND;
            case 405 -> ApiError.Kind.BAD_REQUEST;
            case 413 -> ApiError.Kind.PAYLOAD_TOO_LARGE;
            default -> ApiError.Kind.INTERNAL;
          };
      error(ctx, new ApiError(kind, "HTTP " + code));
    }
  }

  private static void fail(RoutingContext ctx, ApiError e) {
    ctx.fail(e);
  }

  private static void error(RoutingContext ctx, ApiError e) {
    json(
        ctx,
        e.kind().status(),
        new JsonObject().put("error", e.kind().code()).put("detail", e.getMessage()));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }
}
