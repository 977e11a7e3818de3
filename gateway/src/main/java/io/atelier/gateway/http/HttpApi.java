package io.atelier.gateway.http;

import io.atelier.gateway.config.HttpSettings;
import io.atelier.gateway.connection.Connections;
import io.atelier.gateway.http.machines.MachineCatalog;
import io.atelier.gateway.live.LiveHub;
import io.atelier.gateway.live.Viewer;
import io.atelier.gateway.metrics.GatewayMetrics;
import io.atelier.gateway.pipeline.LastValues;
import io.atelier.gateway.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP server: health, readiness and the web dashboard (open), then behind access
 * control the REST API under {@code /api}, the live WebSocket {@code /api/live} and {@code
 * /metrics}. Every request gets the security headers; every error is JSON with one status per kind
 * (see {@link ApiError}).
 */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  static final String OPENAPI_RESOURCE = "/io/atelier/gateway/http/openapi.yaml";

  private final Vertx vertx;
  private final HttpSettings settings;
  private final Audit audit = new Audit();
  private final AccessControl access;
  private final BrowserPolicy browser;
  private final LiveHub live;
  private final GatewayMetrics metrics;
  private final StatusRoutes status;
  private final MachineRoutes machines;
  private final KpiRoutes kpis;
  private final DiscoverRoutes discover;
  private final SimulatorRoutes simulator;
  private final DashboardRoutes dashboard;
  private final String openApi;
  private final List<String> routes = new ArrayList<>();
  private HttpServer server;

  public HttpApi(
      Vertx vertx,
      MachineCatalog catalog,
      Connections connections,
      Pipeline pipeline,
      LastValues lastValues,
      LiveHub live,
      GatewayMetrics metrics) {
    this.vertx = vertx;
    this.settings = catalog.current().http();
    this.live = live;
    this.metrics = metrics;
    this.access = new AccessControl(settings, audit, metrics);
    this.browser = new BrowserPolicy(settings.corsOrigins(), settings.tls().isPresent());
    this.status = new StatusRoutes(catalog, connections, pipeline, metrics);
    this.machines = new MachineRoutes(vertx, catalog, connections, lastValues, audit);
    this.kpis = new KpiRoutes(catalog, connections, audit);
    this.discover =
        new DiscoverRoutes(
            vertx, catalog.current().gateway().dataDir(), settings.discover(), audit);
    this.simulator = new SimulatorRoutes(vertx, catalog, audit, catalog.current().simulator());
    this.dashboard = new DashboardRoutes();
    this.openApi = readOpenApi();
  }

  /** Connects the KPI engine's queries (until then the KPI routes answer 503). */
  /** Adds a component to {@code /ready}. */
  public void addReadinessCheck(ReadinessCheck check) {
    status.addCheck(check);
  }

  public void useKpis(KpiQueries queries) {
    kpis.use(queries);
  }

  /** Connects training sessions (until then their routes answer 503). */
  public void useSessions(TrainingSessions sessions) {
    kpis.use(sessions);
  }

  /** Connects certificate trust (until then its routes answer 503). */
  public void useCertificates(CertificateTrust trust) {
    kpis.use(trust);
  }

  /** Replaces the server discovery behind {@code /api/discover} (tests). */
  public void useDiscovery(ServerDiscovery d) {
    discover.use(d);
  }

  /** Listens; the future holds the actual port (useful when the configured port is 0). */
  public Future<Integer> start() {
    Router router = router();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(settings.host())
            .setPort(settings.port())
            // HTTP/1.1 (and WebSocket) only, no h2c upgrade: with it, about one first request in
            // ten from Java's HttpClient (which asks for h2c by default) was never answered, and
            // the tests that use it hung at random (measured: 3 of 30 with, 0 of 60 without).
            .setHttp2ClearTextEnabled(false)
            .setMaxWebSocketMessageSize(64 * 1024)
            .setWebSocketClosingTimeout(5);
    settings
        .tls()
        .ifPresent(
            tls ->
                options
                    .setSsl(true)
                    .setKeyCertOptions(
                        new PemKeyCertOptions()
                            .setCertPath(tls.certificate().toString())
                            .setKeyPath(tls.key().toString())));
    if (settings.auth().mode() == HttpSettings.AuthMode.NONE) {
      LOG.warn("HTTP auth is off (auth: none): anyone who can reach the port is an admin");
    } else if (settings.auth().tokens().isEmpty()) {
      LOG.warn("HTTP auth is on but no tokens are configured: every /api request will get 401");
    }
    return vertx
        .createHttpServer(options)
        .requestHandler(router)
        .listen()
        .map(
            s -> {
              server = s;
              return s.actualPort();
            });
  }

  public Future<Void> stop() {
    live.stop();
    return server == null ? Future.succeededFuture() : server.close();
  }

  /**
   * Every API route as {@code METHOD /path/{param}}, for checking the OpenAPI document (the
   * dashboard's pages and files are not API operations).
   */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(browser);
    status.registerOpen(router);
    router.get("/api/openapi.yaml").handler(this::openApi);
    router.route("/api/*").handler(access);
    router.route("/metrics").handler(access);
    // Before the body handler: a handshake with "Content-Length: 0" (the JDK's WebSocket client
    // sends one) would otherwise be read as a body, and the upgrade fails "already been read".
    router.get("/api/live").handler(this::live);
    // For every method: restricting it to POST/PUT would make unknown paths answer 405, not 404.
    router
        .route("/api/*")
        .handler(BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes()));
    status.register(router);
    machines.register(router);
    kpis.register(router);
    discover.register(router);
    simulator.register(router);
    dashboard.register(router);
    router.route().failureHandler(this::onFailure);
    router.errorHandler(404, ctx -> Responses.error(ctx, ApiError.notFound("no such endpoint")));
    router.errorHandler(
        405,
        ctx ->
            Responses.error(
                ctx, new ApiError(ApiError.Kind.METHOD_NOT_ALLOWED, "method not allowed here")));
    for (Route r : router.getRoutes()) {
      if (r.getPath() == null
          || r.getPath().endsWith("*")
          || r.methods() == null
          || DashboardRoutes.serves(r.getPath())) {
        continue;
      }
      String path = r.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      r.methods().forEach(m -> routes.add(m.name() + " " + path));
    }
    return router;
  }

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/yaml; charset=utf-8").end(openApi);
  }

  private void live(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!req.canUpgradeToWebSocket()) {
      throw ApiError.badRequest("this is a WebSocket endpoint");
    }
    String client = Requests.client(ctx);
    if (!browser.allowsWebSocket(req)) {
      audit.authFailure(client, "GET", req.path(), "WebSocket from an origin not allowed");
      throw ApiError.forbidden("origin not allowed");
    }
    Optional<Viewer> viewer =
        Optional.ofNullable(ctx.<Caller>get(Caller.KEY)).map(c -> new Viewer(c.name(), c.scope()));
    req.toWebSocket()
        .onSuccess(
            ws ->
                live.attach(
                    ws,
                    viewer,
                    token -> {
                      Optional<Caller> c = access.authenticate(token);
                      if (c.isEmpty()) {
                        audit.authFailure(
                            client, "WS", "/api/live", "invalid token in auth message");
                        metrics.authFailure();
                      }
                      return c.map(x -> new Viewer(x.name(), x.scope()));
                    }))
        .onFailure(e -> LOG.debug("WebSocket upgrade failed: {}", e.toString()));
  }

  private void onFailure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    int code = ctx.statusCode();
    ApiError error;
    if (t instanceof ApiError e) {
      error = e;
    } else if (code >= 400 && code < 500) {
      ApiError.Kind kind =
          switch (code) {
            case 401 -> ApiError.Kind.UNAUTHORIZED;
            case 403 -> ApiError.Kind.FORBIDDEN;
            case 404 -> ApiError.Kind.NOT_FOUND;
            case 405 -> ApiError.Kind.METHOD_NOT_ALLOWED;
            case 413 -> ApiError.Kind.PAYLOAD_TOO_LARGE;
            case 415 -> ApiError.Kind.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ApiError.Kind.TOO_MANY_REQUESTS;
            default -> ApiError.Kind.BAD_REQUEST;
          };
      error =
          new ApiError(
              kind,
              kind == ApiError.Kind.PAYLOAD_TOO_LARGE
                  ? "the body is larger than " + settings.bodyLimitBytes() + " bytes"
                  : "HTTP " + code);
    } else {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), t);
      error = new ApiError(ApiError.Kind.INTERNAL, "internal error; see the gateway log");
    }
    if (error.kind() == ApiError.Kind.FORBIDDEN) {
      Caller caller = ctx.get(Caller.KEY);
      if (caller != null) {
        audit.forbidden(
            caller,
            Requests.client(ctx),
            ctx.request().method().name(),
            ctx.request().path(),
            error.getMessage());
      }
    }
    if (ctx.response().ended()) {
      return;
    }
    if (error.kind() == ApiError.Kind.PAYLOAD_TOO_LARGE) {
      // The rest of the body is not read; close so the client stops sending it.
      ctx.response().putHeader("connection", "close");
    }
    Responses.error(ctx, error);
  }

  private static String readOpenApi() {
    try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
