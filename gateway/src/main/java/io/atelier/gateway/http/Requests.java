package io.atelier.gateway.http;

import io.atelier.connector.api.MachineRef;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.http.machines.MachineCatalog;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** What route handlers share: reading bodies and resolving machines and lines within scope. */
final class Requests {

  private Requests() {}

  /** A JSON object body; 415 if it is not JSON, 400 if it is not an object. */
  static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ApiError(ApiError.Kind.UNSUPPORTED_MEDIA_TYPE, "send application/json");
    }
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.badRequest("the request has no body");
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      throw ApiError.badRequest("the body is not valid JSON");
    }
    throw ApiError.badRequest("the body must be a JSON object");
  }

  /** The machine of the {@code :id} path parameter: 404 if unknown, 403 if out of scope. */
  static MachineConfig machine(RoutingContext ctx, MachineCatalog catalog) {
    String id = ctx.pathParam("id");
    MachineConfig m =
        catalog.machine(id).orElseThrow(() -> ApiError.notFound("no machine with id " + id));
    Caller caller = Caller.of(ctx);
    if (!caller.sees(m)) {
      throw ApiError.forbidden("machine " + id + " is outside the token's scope");
    }
    return m;
  }

  /** The line path of the {@code :site/:area/:line} parameters. */
  static String linePath(RoutingContext ctx) {
    return ctx.pathParam("site") + "/" + ctx.pathParam("area") + "/" + ctx.pathParam("line");
  }

  /** The machines of a line the caller sees: 404 if the line has none, 403 if it sees none. */
  static List<MachineConfig> lineMachines(RoutingContext ctx, MachineCatalog catalog) {
    String line = linePath(ctx);
    List<MachineConfig> all =
        catalog.machines().stream().filter(m -> m.ref().linePath().equals(line)).toList();
    if (all.isEmpty()) {
      throw ApiError.notFound("no line " + line);
    }
    Caller caller = Caller.of(ctx);
    List<MachineConfig> visible = all.stream().filter(caller::sees).toList();
    if (visible.isEmpty()) {
      throw ApiError.forbidden("line " + line + " is outside the token's scope");
    }
    return visible;
  }

  /** Whole-line figures (line KPIs) need the whole line in scope, not just one machine of it. */
  static MachineRef requireWholeLine(RoutingContext ctx, MachineCatalog catalog) {
    MachineRef ref = lineMachines(ctx, catalog).get(0).ref();
    if (!Caller.of(ctx).seesLine(ref)) {
      throw ApiError.forbidden("line " + ref.linePath() + " is only partly in the token's scope");
    }
    return ref;
  }

  static String client(RoutingContext ctx) {
    return AccessControl.client(ctx.request());
  }
}
