package io.atelier.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What browsers are told: security headers on every answer, and CORS headers only for origins on
 * the allow-list. An unknown origin gets no CORS headers at all (the browser then refuses to hand
 * the answer to the page); its preflight gets 403. Same-origin requests (the gateway serving its
 * own dashboard) need no CORS and are left alone.
 */
final class BrowserPolicy implements Handler<RoutingContext> {

  /** The API serves JSON and the dashboard its own files: nothing else may load or frame them. */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          + "frame-ancestors 'none'";

  private static final String METHODS = "GET, POST, PUT, DELETE";
  private static final String HEADERS = "Authorization, Content-Type";

  private final Set<String> origins;
  private final boolean tls;

  BrowserPolicy(List<String> origins, boolean tls) {
    this.origins = Set.copyOf(origins);
    this.tls = tls;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap h = ctx.response().headers();
    h.set("x-content-type-options", "nosniff");
    h.set("x-frame-options", "DENY");
    h.set("content-security-policy", CSP);
    h.set("referrer-policy", "no-referrer");
    if (tls) {
      h.set("strict-transport-security", "max-age=31536000");
    }
    HttpServerRequest req = ctx.request();
    String origin = req.getHeader("origin");
    if (origin == null || isSameOrigin(req, origin)) {
      ctx.next();
      return;
    }
    h.add("vary", "Origin");
    boolean allowed = allowed(origin);
    boolean preflight =
        req.method() == HttpMethod.OPTIONS
            && req.getHeader("access-control-request-method") != null;
    if (allowed) {
      h.set("access-control-allow-origin", origin);
      if (preflight) {
        h.set("access-control-allow-methods", METHODS);
        h.set("access-control-allow-headers", HEADERS);
        h.set("access-control-max-age", "600");
        ctx.response().setStatusCode(204).end();
        return;
      }
    } else if (preflight) {
      ctx.fail(ApiError.forbidden("origin not allowed"));
      return;
    }
    ctx.next();
  }

  boolean allowed(String origin) {
    return origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /** Whether a WebSocket upgrade may proceed: no origin (not a browser), same origin, or listed. */
  boolean allowsWebSocket(HttpServerRequest req) {
    String origin = req.getHeader("origin");
    return origin == null || isSameOrigin(req, origin) || allowed(origin);
  }

  private boolean isSameOrigin(HttpServerRequest req, String origin) {
    String host = req.getHeader("host");
    if (host == null) {
      return false;
    }
    String self = (tls ? "https://" : "http://") + host;
    return self.equalsIgnoreCase(origin);
  }
}
