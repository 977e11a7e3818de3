package io.atelier.gateway.http;

import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.InvalidConfigException;
import io.atelier.connector.opcua.discovery.OpcUaDiscovery;
import io.atelier.gateway.config.DiscoverTargets;
import io.atelier.gateway.config.HttpSettings.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/discover?endpoint=opc.tcp://...}: what {@code atelier discover} prints, for the
 * web page. Operators only, since it makes the gateway open a session to a server of the caller's
 * choosing (opc.tcp only), and only to hosts in {@code http.discover.allow} (by default the private
 * networks machines live on); one discovery at a time, on a worker thread (it blocks on the
 * network). The PKI is the one a connection with the same id uses, so a certificate trusted for
 * discovery is trusted for {@code run} too.
 */
final class DiscoverRoutes {

  private final Vertx vertx;
  private final Path dataDir;
  private final DiscoverTargets targets;
  private final Audit audit;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile ServerDiscovery discovery = ServerDiscovery.OPCUA;

  DiscoverRoutes(Vertx vertx, Path dataDir, DiscoverTargets targets, Audit audit) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.targets = targets;
    this.audit = audit;
  }

  void use(ServerDiscovery d) {
    discovery = d;
  }

  void register(Router router) {
    router.get("/api/discover").handler(this::discover);
  }

  private void discover(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.OPERATOR, "discover servers");
    String endpoint =
        param(ctx, "endpoint").orElseThrow(() -> ApiError.badRequest("endpoint is required"));
    int maxDepth = intParam(ctx, "maxDepth", OpcUaDiscovery.DEFAULT_MAX_DEPTH, 1, 64);
    String id =
        param(ctx, "connection").orElseGet(() -> OpcUaDiscovery.defaultConnectionId(endpoint));
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw ApiError.badRequest("connection: letters, digits, '.', '_', '-'");
    }
    Map<String, Object> settings =
        OpcUaDiscovery.settings(
            endpoint,
            param(ctx, "securityPolicy"),
            param(ctx, "securityMode"),
            boolParam(ctx, "allowNone"),
            boolParam(ctx, "trustAll"),
            Optional.empty(),
            "OPCUA_PASSWORD");
    if (!busy.compareAndSet(false, true)) {
      throw new ApiError(ApiError.Kind.TOO_MANY_REQUESTS, "a discovery is already running");
    }
    String client = Requests.client(ctx);
    audit.action(caller, client, "discover", endpoint);
    ServerDiscovery d = discovery;
    Path pki = dataDir.resolve("connections").resolve(id).resolve("pki");
    vertx
        .<OpcUaDiscovery.Result>executeBlocking(
            () -> {
              // Resolving the host blocks, hence here on the worker, before any connection.
              targets
                  .check(host(endpoint))
                  .ifPresent(
                      why -> {
                        audit.action(caller, client, "discover refused", why);
                        throw ApiError.forbidden(why);
                      });
              try {
                return d.discover(
                    new OpcUaDiscovery.Request(id, settings, v -> null, pki, maxDepth));
              } catch (InvalidConfigException e) {
                throw new ApiError(
                    ApiError.Kind.BAD_REQUEST,
                    "invalid discovery options",
                    e.problems().stream().map(ConfigProblem::toString).toList());
              } catch (IOException e) {
                throw new ApiError(
                    ApiError.Kind.BAD_GATEWAY, "discovery failed: " + e.getMessage());
              }
            },
            false)
        .onComplete(
            ar -> {
              busy.set(false);
              if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
              }
              OpcUaDiscovery.Result r = ar.result();
              Responses.json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("connection", id)
                      .put("endpoint", endpoint)
                      .put("machines", r.space().machines().size())
                      .put("signals", r.space().signalCount())
                      .put("browseCalls", r.space().browseCalls())
                      .put("truncated", r.space().truncated())
                      .put("tookMs", r.took().toMillis())
                      .put("yaml", r.yaml()));
            });
  }

  /** The host of an {@code opc.tcp://host:port/path} URL (a bracketed IPv6 literal included). */
  private static String host(String endpoint) {
    try {
      String host = new java.net.URI(endpoint.trim()).getHost();
      if (host == null || host.isBlank()) {
        throw ApiError.badRequest("endpoint: expected opc.tcp://host:port/path");
      }
      return host;
    } catch (java.net.URISyntaxException e) {
      throw ApiError.badRequest("endpoint: expected opc.tcp://host:port/path");
    }
  }

  private static Optional<String> param(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.queryParams().get(name)).filter(s -> !s.isBlank());
  }

  private static boolean boolParam(RoutingContext ctx, String name) {
    Optional<String> v = param(ctx, name);
    if (v.isEmpty() || v.get().equals("false")) {
      return false;
    }
    if (v.get().equals("true")) {
      return true;
    }
    throw ApiError.badRequest(name + " is true or false");
  }

  private static int intParam(RoutingContext ctx, String name, int def, int min, int max) {
    Optional<String> v = param(ctx, name);
    if (v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badRequest(name + " is a whole number from " + min + " to " + max);
  }
}
