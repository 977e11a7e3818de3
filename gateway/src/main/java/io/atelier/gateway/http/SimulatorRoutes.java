package io.atelier.gateway.http;

import io.atelier.gateway.config.HttpSettings.Role;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.config.SimulatorSettings;
import io.atelier.gateway.http.machines.MachineCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's control API behind the gateway's access control, for the trainer panel. The
 * simulator's own API has no authentication and answers for every machine; here a token only sees
 * and acts on the simulated machines in its scope, actions need the operator role, and stopping a
 * protocol endpoint (which serves every machine) needs scope all. Only the trainer actions are
 * passed on, never arbitrary paths.
 */
final class SimulatorRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorRoutes.class);

  /**
   * Machine actions a trainer may inject (the simulator's {@code POST /machines/{id}/{action}}).
   */
  static final List<String> MACHINE_ACTIONS =
      List.of("fault", "setup", "planned-stop", "resume", "speed", "scrap-rate");

  static final List<String> ENDPOINT_OPERATIONS = List.of("stop", "start", "restart");

  /** At most this many events are passed on, the newest. */
  static final int MAX_EVENTS = 500;

  private static final Pattern ENDPOINT = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  private final MachineCatalog catalog;
  private final Audit audit;
  private final SimulatorSettings settings;
  private final Optional<String> base;
  private final Optional<HttpClient> client;

  SimulatorRoutes(Vertx vertx, MachineCatalog catalog, Audit audit, SimulatorSettings settings) {
    this.catalog = catalog;
    this.audit = audit;
    this.settings = settings;
    this.base = settings.controlUrl().map(URI::toString).map(u -> u.replaceAll("/+$", ""));
    this.client =
        base.map(
            b ->
                vertx.createHttpClient(
                    new HttpClientOptions()
                        .setConnectTimeout((int) settings.timeout().toMillis())
                        .setKeepAlive(true)));
  }

  void register(Router router) {
    router.get("/api/simulator/machines").handler(this::machines);
    router.get("/api/simulator/events").handler(this::events);
    router.post("/api/simulator/machines/:id/:action").handler(this::machineAction);
    router.post("/api/simulator/endpoints/:endpoint/:operation").handler(this::endpointAction);
  }

  /** The simulated machines in the caller's scope, with their simulator-side state. */
  private void machines(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    call(HttpMethod.GET, "/machines", null)
        .map(
            body -> {
              JsonArray visible = new JsonArray();
              for (Object o : array(body, "machines")) {
                if (o instanceof JsonObject m && visible(caller, m.getValue("id"))) {
                  visible.add(m);
                }
              }
              return new JsonObject()
                  .put("simTime", body.getValue("sim_time"))
                  .put("machines", visible);
            })
        .onSuccess(json -> Responses.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /** The trainer actions so far (newest last) on machines in scope; endpoint actions for all. */
  private void events(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    call(HttpMethod.GET, "/events", null)
        .map(
            body -> {
              JsonArray visible = new JsonArray();
              for (Object o : array(body, "events")) {
                if (o instanceof JsonObject e
                    && (e.containsKey("machine")
                        ? visible(caller, e.getValue("machine"))
                        : caller.scope().all())) {
                  visible.add(e);
                }
              }
              int from = Math.max(0, visible.size() - MAX_EVENTS);
              return new JsonObject()
                  .put("events", new JsonArray(visible.getList().subList(from, visible.size())));
            })
        .onSuccess(json -> Responses.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private void machineAction(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.OPERATOR, "act on simulated machines");
    MachineConfig m = Requests.machine(ctx, catalog);
    String action = ctx.pathParam("action");
    if (!MACHINE_ACTIONS.contains(action)) {
      throw ApiError.badRequest(
          "unknown action " + action + "; known: " + String.join(", ", MACHINE_ACTIONS));
    }
    JsonObject fields = Requests.jsonBody(ctx).copy();
    // The path names the machine and the action; the body cannot redirect them.
    fields.remove("machine");
    fields.remove("action");
    fields.remove("endpoint");
    call(HttpMethod.POST, "/machines/" + m.id() + "/" + action, fields)
        .onSuccess(
            json -> {
              audit.action(caller, Requests.client(ctx), "simulator-" + action, m.id());
              Responses.json(ctx, 200, json);
            })
        .onFailure(ctx::fail);
  }

  /** Stopping or restarting a protocol endpoint affects every machine it serves. */
  private void endpointAction(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    caller.require(Role.OPERATOR, "stop or restart simulator endpoints");
    if (!caller.scope().all()) {
      throw ApiError.forbidden(
          "a simulator endpoint serves every machine; use a token with scope all");
    }
    String endpoint = ctx.pathParam("endpoint");
    String operation = ctx.pathParam("operation");
    if (!ENDPOINT.matcher(endpoint).matches()) {
      throw ApiError.notFound("no simulator endpoint " + endpoint);
    }
    if (!ENDPOINT_OPERATIONS.contains(operation)) {
      throw ApiError.badRequest(
          "unknown operation " + operation + "; known: " + String.join(", ", ENDPOINT_OPERATIONS));
    }
    JsonObject fields = Requests.jsonBody(ctx).copy();
    fields.remove("endpoint");
    fields.remove("action");
    call(HttpMethod.POST, "/endpoints/" + endpoint + "/" + operation, fields)
        .onSuccess(
            json -> {
              audit.action(
                  caller, Requests.client(ctx), "simulator-endpoint-" + operation, endpoint);
              Responses.json(ctx, 200, json);
            })
        .onFailure(ctx::fail);
  }

  private boolean visible(Caller caller, Object machineId) {
    if (!(machineId instanceof String id)) {
      return false;
    }
    // A simulated machine the gateway does not know is shown only to tokens that see everything.
    return catalog.machine(id).map(caller::sees).orElse(caller.scope().all());
  }

  /**
   * Calls the simulator. Its 400 and 404 answers become the same errors here (with its detail);
   * anything else that is not a JSON object, a timeout or a refused connection is a 502.
   */
  private Future<JsonObject> call(HttpMethod method, String path, JsonObject body) {
    if (client.isEmpty() || base.isEmpty()) {
      return Future.failedFuture(
          ApiError.unavailable(
              "no simulator is configured (simulator.controlUrl in the gateway configuration)"));
    }
    String url = base.get() + path;
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(url)
            .setIdleTimeout(settings.timeout().toMillis())
            .putHeader("accept", "application/json");
    if (body != null) {
      options.putHeader("content-type", "application/json");
    }
    return client
        .get()
        .request(options)
        .compose(
            req ->
                (body == null ? req.send() : req.send(body.toBuffer()))
                    .compose(
                        resp -> resp.body().map(b -> answer(method, path, resp.statusCode(), b))))
        .recover(
            err -> {
              if (err instanceof ApiError) {
                return Future.failedFuture(err);
              }
              LOG.warn(
                  "Simulator control API at {} did not answer: {}", base.get(), err.toString());
              return Future.failedFuture(
                  new ApiError(
                      ApiError.Kind.BAD_GATEWAY,
                      "the simulator at " + base.get() + " did not answer: " + err.getMessage()));
            });
  }

  private static JsonObject answer(HttpMethod method, String path, int status, Buffer body) {
    JsonObject json = parse(body).orElse(null);
    if (status >= 200 && status < 300 && json != null) {
      return json;
    }
    String detail =
        json == null
            ? "HTTP " + status
            : "simulator: " + json.getValue("error") + ": " + json.getValue("detail");
    Function<String, ApiError> error =
        switch (status) {
          case 400 -> ApiError::badRequest;
          case 404 -> ApiError::notFound;
          default ->
              d ->
                  new ApiError(
                      ApiError.Kind.BAD_GATEWAY,
                      "the simulator answered " + method + " " + path + " with " + d);
        };
    throw error.apply(detail);
  }

  private static Optional<JsonObject> parse(Buffer body) {
    try {
      return body.length() == 0 ? Optional.empty() : Optional.of(body.toJsonObject());
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static JsonArray array(JsonObject body, String key) {
    return body.getValue(key) instanceof JsonArray a ? a : new JsonArray();
  }
}
