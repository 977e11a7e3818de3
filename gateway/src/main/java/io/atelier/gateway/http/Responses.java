package io.atelier.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How every API answer is written: JSON, never cached, errors in one shape. */
final class Responses {

  private Responses() {}

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  static void noContent(RoutingContext ctx) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(204).putHeader("cache-control", "no-store").end();
    }
  }

  static void error(RoutingContext ctx, ApiError e) {
    JsonObject body = new JsonObject().put("error", e.kind().code()).put("detail", e.getMessage());
    if (!e.problems().isEmpty()) {
      body.put("problems", new JsonArray(e.problems()));
    }
    if (e.kind() == ApiError.Kind.UNAUTHORIZED) {
      ctx.response().putHeader("www-authenticate", "Bearer realm=\"atelier\"");
    } else if (e.kind() == ApiError.Kind.TOO_MANY_REQUESTS) {
      ctx.response().putHeader("retry-after", "1");
    }
    json(ctx, e.kind().status(), body);
  }
}
