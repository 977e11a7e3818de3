package io.atelier.gateway.http;

import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.config.HttpSettings.Role;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.http.machines.MachineCatalog;
import io.atelier.gateway.http.machines.MachineEditor.Edit;
import io.atelier.gateway.http.machines.PlainJson;
import io.atelier.gateway.pipeline.LastValues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Machines, their signals' last values, lines, and machine changes at run time. */
final class MachineRoutes {

  private final Vertx vertx;
  private final MachineCatalog catalog;
  private final Connections connections;
  private final LastValues lastValues;
  private final Audit audit;

  MachineRoutes(
      Vertx vertx,
      MachineCatalog catalog,
      Connections connections,
      LastValues lastValues,
      Audit audit) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.connections = connections;
    this.lastValues = lastValues;
    this.audit = audit;
  }

  void register(Router router) {
    router.get("/api/machines").handler(this::list);
    router.post("/api/machines").handler(this::create);
    router.get("/api/machines/:id").handler(this::one);
    router.put("/api/machines/:id").handler(this::replace);
    router.delete("/api/machines/:id").handler(this::delete);
    router.get("/api/machines/:id/signals").handler(this::signals);
    router.get("/api/lines").handler(this::lines);
    router.get("/api/lines/:site/:area/:line").handler(this::line);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    JsonArray list = new JsonArray();
    catalog.machines().stream().filter(caller::sees).forEach(m -> list.add(machineJson(m)));
    Responses.json(ctx, 200, new JsonObject().put("machines", list));
  }

  private void one(RoutingContext ctx) {
    Responses.json(ctx, 200, machineJson(Requests.machine(ctx, catalog)));
  }

  private void signals(RoutingContext ctx) {
    MachineConfig m = Requests.machine(ctx, catalog);
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
    Responses.json(ctx, 200, new JsonObject().put("machine", m.id()).put("signals", list));
  }

  private void lines(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Map<String, JsonObject> lines = new LinkedHashMap<>();
    for (MachineConfig m : catalog.machines()) {
      if (caller.sees(m)) {
        lines
            .computeIfAbsent(m.ref().linePath(), p -> lineJson(m, caller))
            .getJsonArray("machines")
            .add(m.id());
      }
    }
    Responses.json(
        ctx, 200, new JsonObject().put("lines", new JsonArray(List.copyOf(lines.values()))));
  }

  private void line(RoutingContext ctx) {
    List<MachineConfig> machines = Requests.lineMachines(ctx, catalog);
    JsonObject o = lineJson(machines.get(0), Caller.of(ctx));
    machines.forEach(m -> o.getJsonArray("machines").add(m.id()));
    Responses.json(ctx, 200, o);
  }

  private static JsonObject lineJson(MachineConfig any, Caller caller) {
    return new JsonObject()
        .put("path", any.ref().linePath())
        .put("site", any.ref().site())
        .put("area", any.ref().area())
        .put("line", any.ref().line())
        .put("wholeLineInScope", caller.seesLine(any.ref()))
        .put("machines", new JsonArray());
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.ADMIN, "add machines");
    Map<String, Object> entry = PlainJson.map(Requests.jsonBody(ctx));
    Object id = entry.get("id");
    if (!(id instanceof String s) || s.isBlank()) {
      throw ApiError.badRequest("machine.id: missing required field");
    }
    requireScopeFor(caller, entry, s);
    catalog
        .create(vertx, s, entry)
        .compose(edit -> restart(edit).map(edit))
        .onSuccess(
            edit -> {
              audit.action(caller, Requests.client(ctx), "machine-create", s);
              MachineConfig m = edit.config().machine(s).orElseThrow();
              ctx.response().putHeader("location", "/api/machines/" + s);
              Responses.json(ctx, 201, machineJson(m));
            })
        .onFailure(ctx::fail);
  }

  private void replace(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.ADMIN, "change machines");
    MachineConfig old = Requests.machine(ctx, catalog);
    Map<String, Object> entry = PlainJson.map(Requests.jsonBody(ctx));
    requireScopeFor(caller, entry, old.id());
    catalog
        .replace(vertx, old.id(), entry)
        .compose(edit -> restart(edit).map(edit))
        .onSuccess(
            edit -> {
              audit.action(caller, Requests.client(ctx), "machine-replace", old.id());
              Responses.json(ctx, 200, machineJson(edit.config().machine(old.id()).orElseThrow()));
            })
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.ADMIN, "remove machines");
    MachineConfig old = Requests.machine(ctx, catalog);
    catalog
        .delete(vertx, old.id())
        .compose(this::restart)
        .onSuccess(
            v -> {
              audit.action(caller, Requests.client(ctx), "machine-delete", old.id());
              Responses.noContent(ctx);
            })
        .onFailure(ctx::fail);
  }

  /** A scoped admin may only place machines inside its own scope. */
  private static void requireScopeFor(Caller caller, Map<String, Object> entry, String id) {
    if (caller.scope().all()) {
      return;
    }
    Object path = entry.get("path");
    try {
      var ref = io.atelier.connector.api.MachineRef.parse(String.valueOf(path));
      if (!caller.scope().allowsMachine(id, ref)) {
        throw ApiError.forbidden("machine " + id + " would be outside the token's scope");
      }
    } catch (IllegalArgumentException e) {
      // A malformed path is reported by validation with its reason.
    }
  }

  private Future<Void> restart(Edit edit) {
    // Connections.restart never fails for a connector that merely cannot connect.
    List<Future<Void>> restarts = edit.restart().stream().map(connections::restart).toList();
    return Future.join(restarts).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  JsonObject machineJson(MachineConfig m) {
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
            .put("signals", new JsonArray(m.signals()))
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
}
