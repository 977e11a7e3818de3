package io.atelier.simulator.control;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.simulator.ProtocolEndpoint;
import io.atelier.simulator.scenario.Command;
import io.atelier.simulator.scenario.CommandException;
import io.atelier.simulator.scenario.CommandParser;
import io.atelier.simulator.scenario.Scenario;
import io.atelier.simulator.scenario.ScenarioReader;
import io.atelier.simulator.scenario.SimEvent;
import io.atelier.simulator.scenario.Simulation;
import io.atelier.simulator.scenario.SimulationRunner;
import io.atelier.simulator.scenario.TruthReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's HTTP control API (Vert.x web): machines, trainer actions, scenarios, events and
 * ground truth. Handlers never touch the simulation directly; they hand work to the simulation
 * thread through {@link SimulationRunner#call} and answer when it is done.
 *
 * <p>Errors are {@code {"error": "...", "detail": "..."}}: 400 for malformed requests and unknown
 * actions, 404 for unknown machines, endpoints and paths.
 */
public final class ControlApi {

  private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);
  private static final long BODY_LIMIT = 1 << 20;

  private final Vertx vertx;
  private final SimulationRunner runner;
  private HttpServer server;

  public ControlApi(Vertx vertx, SimulationRunner runner) {
    this.vertx = vertx;
    this.runner = runner;
  }

  /** Starts listening; the future gives the actual port (useful with port 0). */
  public Future<Integer> listen(String host, int port) {
    Router router = router();
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .map(
            s -> {
              server = s;
              LOG.info("control API listening on http://{}:{}", host, s.actualPort());
              return s.actualPort();
            });
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private Router router() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    r.get("/health").handler(ctx -> answer(ctx, sim -> health(sim)));
    r.get("/machines").handler(ctx -> answer(ctx, ControlApi::machines));
    r.get("/machines/:id").handler(this::machine);
    r.post("/actions").handler(ctx -> action(ctx, Map.of()));
    r.post("/machines/:id/:action")
        .handler(
            ctx ->
                action(
                    ctx,
                    Map.of("machine", ctx.pathParam("id"), "action", ctx.pathParam("action"))));
    r.post("/endpoints/:name/:operation")
        .handler(
            ctx ->
                action(
                    ctx,
                    Map.of(
                        "endpoint",
                        ctx.pathParam("name"),
                        "action",
                        "endpoint-" + ctx.pathParam("operation"))));
    r.get("/endpoints").handler(ctx -> answer(ctx, ControlApi::endpoints));
    r.post("/scenarios").handler(this::scenario);
    r.get("/events").handler(ctx -> answer(ctx, ControlApi::events));
    r.get("/truth").handler(this::truth);
    r.errorHandler(404, ctx -> send(ctx, new ApiError(404, "not found", describe(ctx))));
    r.errorHandler(405, ctx -> send(ctx, new ApiError(405, "method not allowed", describe(ctx))));
    r.errorHandler(
        413, ctx -> send(ctx, new ApiError(413, "body too large", "limit " + BODY_LIMIT)));
    r.errorHandler(500, ctx -> send(ctx, failure(ctx.failure())));
    return r;
  }

  private static String describe(RoutingContext ctx) {
    return ctx.request().method() + " " + ctx.request().path();
  }

  private static JsonObject health(Simulation sim) {
    return new JsonObject()
        .put("status", "ok")
        .put("sim_time", Instant.ofEpochMilli(sim.now()).toString())
        .put("seed", sim.seed());
  }

  private static JsonObject machines(Simulation sim) {
    JsonArray list = new JsonArray();
    sim.machines().values().forEach(m -> list.add(new JsonObject(MachineView.summary(m))));
    return new JsonObject()
        .put("sim_time", Instant.ofEpochMilli(sim.now()).toString())
        .put("machines", list)
        .put("load_machines", sim.loadMachines().size())
        // Every load machine advances on the same tick: the first one speaks for all.
        .put(
            "load_periods", sim.loadMachines().stream().mapToLong(l -> l.periods()).max().orElse(0))
        .put(
            "load_late_periods",
            sim.loadMachines().stream().mapToLong(l -> l.late()).max().orElse(0))
        .put(
            "load_skipped_periods",
            sim.loadMachines().stream().mapToLong(l -> l.skipped()).max().orElse(0));
  }

  private void machine(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    answer(
        ctx,
        sim ->
            sim.machine(id)
                .map(m -> new JsonObject(MachineView.detail(m, sim.board())))
                .orElseThrow(() -> unknownMachine(sim, id)));
  }

  private static ApiError unknownMachine(Simulation sim, String id) {
    return new ApiError(
        404,
        "unknown machine",
        "no machine '" + id + "'; known machines: " + String.join(", ", sim.machineIds()));
  }

  private void action(RoutingContext ctx, Map<String, Object> fromPath) {
    Map<String, Object> fields = new HashMap<>();
    try {
      fields.putAll(bodyObject(ctx).getMap());
    } catch (ApiError e) {
      send(ctx, e);
      return;
    }
    fields.putAll(fromPath);
    ConfigProblems problems = new ConfigProblems();
    Optional<Command> command = CommandParser.parse(new ConfigNode("body", fields, problems));
    if (command.isEmpty()) {
      boolean unknownAction =
          problems.all().stream().anyMatch(p -> p.message().startsWith("unknown action"));
      send(
          ctx,
          new ApiError(
              400, unknownAction ? "unknown action" : "invalid action", join(problems.all())));
      return;
    }
    answer(ctx, sim -> new JsonObject(sim.apply(command.get(), "api").toMap()));
  }

  private static JsonObject bodyObject(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    try {
      Object v = ctx.body().asJsonObject();
      return v == null ? new JsonObject() : (JsonObject) v;
    } catch (DecodeException | ClassCastException e) {
      throw new ApiError(400, "invalid JSON", "the body must be a JSON object: " + e.getMessage());
    }
  }

  private static JsonObject endpoints(Simulation sim) {
    JsonArray list = new JsonArray();
    for (ProtocolEndpoint e : sim.endpoints().values()) {
      JsonObject o = new JsonObject().put("name", e.name()).put("running", e.isRunning());
      e.counters().forEach(o::put);
      list.add(o);
    }
    return new JsonObject().put("endpoints", list);
  }

  private void scenario(RoutingContext ctx) {
    String text = ctx.body() == null ? "" : ctx.body().asString();
    answer(
        ctx,
        sim -> {
          Scenario s;
          try {
            s = ScenarioReader.parse(text, sim.machineIds(), sim.endpoints().keySet());
          } catch (InvalidConfigException e) {
            throw new ApiError(400, "invalid scenario", join(e.problems()));
          }
          sim.schedule(s, sim.now());
          return new JsonObject()
              .put("name", s.name())
              .put("scheduled", s.events().size())
              .put("starts_at", Instant.ofEpochMilli(sim.now()).toString());
        });
  }

  private static JsonObject events(Simulation sim) {
    JsonArray list = new JsonArray();
    for (SimEvent e : sim.events().all()) {
      list.add(new JsonObject(e.toMap()));
    }
    return new JsonObject().put("events", list);
  }

  private void truth(RoutingContext ctx) {
    Optional<Long> from;
    Optional<Long> to;
    try {
      from = time(ctx, "from");
      to = time(ctx, "to");
    } catch (ApiError e) {
      send(ctx, e);
      return;
    }
    String machine = ctx.queryParams().get("machine");
    answer(
        ctx,
        sim -> {
          long f = from.orElse(sim.startMs());
          long t = to.orElse(sim.now());
          if (t < f) {
            throw new ApiError(400, "invalid interval", "to is before from");
          }
          List<TruthReport> reports = new ArrayList<>();
          if (machine != null) {
            reports.add(sim.truth(machine, f, t).orElseThrow(() -> unknownMachine(sim, machine)));
          } else {
            reports.addAll(sim.truth(f, t));
          }
          JsonArray list = new JsonArray();
          reports.forEach(rep -> list.add(new JsonObject(rep.toMap())));
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("from", Instant.ofEpochMilli(f).toString());
          out.put("to", Instant.ofEpochMilli(Math.min(t, sim.now())).toString());
          out.put("sim_time", Instant.ofEpochMilli(sim.now()).toString());
          return new JsonObject(out).put("machines", list);
        });
  }

  /** An ISO-8601 instant or epoch milliseconds. */
  private static Optional<Long> time(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Long.parseLong(v));
      } catch (NumberFormatException e) {
        throw new ApiError(400, "invalid " + name, "epoch milliseconds out of range: " + v);
      }
    }
    try {
      return Optional.of(Instant.parse(v).toEpochMilli());
    } catch (DateTimeParseException e) {
      throw new ApiError(
          400,
          "invalid " + name,
          "expected an ISO-8601 instant (2025-03-03T06:00:00Z) or epoch milliseconds, got: " + v);
    }
  }

  /** Runs {@code work} on the simulation thread and answers with its JSON, or its error. */
  private void answer(RoutingContext ctx, Function<Simulation, JsonObject> work) {
    Future.fromCompletionStage(runner.call(work), ctx.vertx().getOrCreateContext())
        .onSuccess(json -> ctx.json(json))
        .onFailure(err -> send(ctx, failure(err)));
  }

  private static ApiError failure(Throwable err) {
    Throwable e =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (e instanceof ApiError a) {
      return a;
    }
    if (e instanceof CommandException c) {
      return new ApiError(404, c.error(), c.detail());
    }
    LOG.error("control API request failed", e);
    return new ApiError(500, "internal error", String.valueOf(e));
  }

  private static void send(RoutingContext ctx, ApiError e) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(e.status())
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", e.error()).put("detail", e.detail()).encode());
  }

  private static String join(List<ConfigProblem> problems) {
    return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
  }
}
