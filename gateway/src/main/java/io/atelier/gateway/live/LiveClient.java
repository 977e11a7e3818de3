package io.atelier.gateway.live;

import io.atelier.connector.api.Sample;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket client. The pipeline (any thread) only puts the newest value per key into {@link
 * #pending}; a timer on the socket's own context sends what is pending at most {@code rate} times a
 * second. So a burst of samples costs one map write each, a client gets at most one message per
 * tick, and memory per client is bounded by the number of keys it subscribed to (capped) plus the
 * socket's write queue. A client whose write queue is still full at a tick is too slow: it is
 * disconnected with {@link LiveProtocol#CLOSE_TOO_SLOW} instead of buffered without bound.
 */
final class LiveClient {

  /** A state or KPI update as the engine reported it, with what identifies it. */
  record Report(String kind, String subject, String window, Map<String, Object> values) {}

  final ServerWebSocket ws;
  private final LiveHub hub;
  private final int maxPending;
  private final Map<String, Object> pending = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  volatile Viewer viewer;
  volatile Subscription subscription = Subscription.NONE;
  private volatile boolean closed;
  private long timer = -1;
  private long authTimer = -1;

  LiveClient(ServerWebSocket ws, LiveHub hub, int maxPending) {
    this.ws = ws;
    this.hub = hub;
    this.maxPending = maxPending;
  }

  /** Records the newest value for a key; called from the pipeline's thread. Never blocks. */
  void offer(String key, Object value) {
    if (closed) {
      return;
    }
    if (pending.size() >= maxPending && !pending.containsKey(key)) {
      dropped.incrementAndGet();
      hub.countDropped();
      return;
    }
    pending.put(key, value);
  }

  /** Starts the send timer; must run on the socket's context so ticks run there too. */
  void startTicking(Vertx vertx, int rate) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setPeriodic(Math.max(1, 1000 / rate), id -> tick());
  }

  void expectAuthWithin(Vertx vertx, long millis) {
    authTimer =
        vertx.setTimer(
            millis,
            id -> {
              if (viewer == null) {
                close(LiveProtocol.CLOSE_POLICY, "authentication required", "auth");
              }
            });
  }

  void cancelTimers(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (authTimer >= 0) {
      vertx.cancelTimer(authTimer);
    }
  }

  /** One tick: if anything is pending, one message with all of it. */
  void tick() {
    if (closed || pending.isEmpty()) {
      return;
    }
    if (ws.writeQueueFull()) {
      close(LiveProtocol.CLOSE_TOO_SLOW, "too slow: send queue full", "slow");
      return;
    }
    JsonArray signals = new JsonArray();
    JsonArray states = new JsonArray();
    JsonArray kpis = new JsonArray();
    // remove(key) hands over exactly the value that was current; a newer put lands next tick.
    for (String key : new ArrayList<>(pending.keySet())) {
      Object v = pending.remove(key);
      if (v instanceof Sample s) {
        signals.add(LiveProtocol.signal(s));
      } else if (v instanceof Report r) {
        (r.kind().equals("state") ? states : kpis).add(LiveProtocol.report(r));
      }
    }
    JsonObject msg = new JsonObject().put("type", "update");
    if (!signals.isEmpty()) {
      msg.put("signals", signals);
    }
    if (!states.isEmpty()) {
      msg.put("states", states);
    }
    if (!kpis.isEmpty()) {
      msg.put("kpis", kpis);
    }
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      msg.put("dropped", lost);
    }
    send(msg);
    hub.countMessage();
  }

  void send(JsonObject message) {
    if (!closed) {
      ws.writeTextMessage(message.encode());
    }
  }

  /** Closes with a code and reason, counted under {@code why}; idempotent. */
  void close(short code, String reason, String why) {
    if (closed) {
      return;
    }
    closed = true;
    pending.clear();
    hub.detach(this, why);
    ws.close(code, reason);
  }

  /** The peer went away. */
  void closed() {
    if (!closed) {
      closed = true;
      pending.clear();
      hub.detach(this, null);
    }
  }

  boolean isClosed() {
    return closed;
  }

  int pendingCount() {
    return pending.size();
  }
}
