package io.atelier.gateway.http;

import io.atelier.gateway.config.HttpSettings;
import io.atelier.gateway.config.HttpSettings.ApiToken;
import io.atelier.gateway.config.HttpSettings.AuthMode;
import io.atelier.gateway.config.HttpSettingsReader;
import io.atelier.gateway.metrics.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates every protected request from its {@code Authorization: Bearer} header, applies the
 * rate limit, and records the {@link Caller}. Tokens are compared by their SHA-256, so the clear
 * secrets never need to be in memory. A WebSocket upgrade without a header is let through
 * unauthenticated: browsers cannot set headers on WebSockets, so the live hub asks for the token in
 * the first message instead.
 */
final class AccessControl implements Handler<RoutingContext> {

  static final String LIVE_PATH = "/api/live";

  private final HttpSettings.Auth auth;
  private final Map<String, ApiToken> byHash = new HashMap<>();
  private final RateLimiter limiter;
  private final Audit audit;
  private final GatewayMetrics metrics;

  AccessControl(HttpSettings settings, Audit audit, GatewayMetrics metrics) {
    this.auth = settings.auth();
    this.limiter = new RateLimiter(settings.rateLimit());
    this.audit = audit;
    this.metrics = metrics;
    for (ApiToken t : auth.tokens()) {
      byHash.put(t.sha256(), t);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String client = client(req);
    if (auth.mode() == AuthMode.NONE) {
      admit(ctx, Caller.ANONYMOUS, "ip:" + client);
      return;
    }
    String header = req.getHeader("authorization");
    if (header == null && LIVE_PATH.equals(req.path()) && req.canUpgradeToWebSocket()) {
      if (limit(ctx, "ip:" + client, client)) {
        ctx.next();
      }
      return;
    }
    Optional<Caller> caller = header == null ? Optional.empty() : fromHeader(header);
    if (caller.isEmpty()) {
      // Failed attempts share the client's bucket, which slows down guessing.
      if (!limit(ctx, "ip:" + client, client)) {
        return;
      }
      String reason = header == null ? "no bearer token" : "unknown or malformed token";
      audit.authFailure(client, req.method().name(), req.path(), reason);
      metrics.authFailure();
      ctx.fail(new ApiError(ApiError.Kind.UNAUTHORIZED, reason));
      return;
    }
    admit(ctx, caller.get(), "token:" + caller.get().name());
  }

  /** The caller a token stands for (used by the live hub for in-band authentication). */
  Optional<Caller> authenticate(String token) {
    if (auth.mode() == AuthMode.NONE) {
      return Optional.of(Caller.ANONYMOUS);
    }
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byHash.get(HttpSettingsReader.sha256Hex(token.trim())))
        .map(t -> new Caller(t.name(), t.role(), t.scope()));
  }

  private Optional<Caller> fromHeader(String header) {
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return authenticate(header.substring(7));
  }

  private void admit(RoutingContext ctx, Caller caller, String key) {
    if (limit(ctx, key, client(ctx.request()))) {
      ctx.put(Caller.KEY, caller);
      ctx.next();
    }
  }

  private boolean limit(RoutingContext ctx, String key, String client) {
    if (limiter.tryAcquire(key)) {
      return true;
    }
    audit.rateLimited(key, client, ctx.request().path());
    metrics.rateLimited();
    ctx.fail(new ApiError(ApiError.Kind.TOO_MANY_REQUESTS, "rate limit exceeded; slow down"));
    return false;
  }

  static String client(HttpServerRequest req) {
    return req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress();
  }
}
