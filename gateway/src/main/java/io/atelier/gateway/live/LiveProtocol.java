package io.atelier.gateway.live;

import io.atelier.connector.api.Sample;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * The live feed's messages. Client to server: {@code auth} (token, when the upgrade carried no
 * Authorization header), {@code subscribe} and {@code unsubscribe} (machines, lines, signals, and
 * an optional lower {@code maxRate}). Server to client: {@code hello}, {@code subscribed} (the
 * whole current subscription), {@code update} (signals, states, kpis, and {@code dropped} when
 * updates were lost to the pending cap), {@code error}.
 */
final class LiveProtocol {

  /** Policy violation: no or bad authentication, malformed messages. */
  static final short CLOSE_POLICY = 1008;

  /**
   * The client does not read fast enough. 1013 "try again later" tells a well-behaved client to
   * reconnect after a pause, which is what it should do.
   */
  static final short CLOSE_TOO_SLOW = 1013;

  /** Largest message a client may send. */
  static final int MAX_CLIENT_MESSAGE = 64 * 1024;

  /** Most subscription entries one client may hold. */
  static final int MAX_SUBSCRIPTIONS = 10_000;

  private LiveProtocol() {}

  static JsonObject signal(Sample s) {
    JsonObject o =
        new JsonObject()
            .put("machine", s.machine())
            .put("signal", s.signal())
            .put("value", s.value())
            .put("quality", s.quality().level().name())
            .put("sourceTime", s.sourceTime().toString());
    return o;
  }

  static JsonObject report(LiveClient.Report r) {
    JsonObject o = new JsonObject();
    if (r.kind().equals("line-kpi")) {
      o.put("line", r.subject());
    } else {
      o.put("machine", r.subject());
    }
    if (!r.window().isEmpty()) {
      o.put("window", r.window());
    }
    return o.put(
        r.kind().equals("state") ? "state" : "kpis",
        new JsonObject(new LinkedHashMap<>(r.values())));
  }

  static JsonObject error(String error, String detail) {
    return new JsonObject().put("type", "error").put("error", error).put("detail", detail);
  }
}
