package io.atelier.gateway.live;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.config.HttpSettings;
import io.atelier.gateway.config.MachineConfig;
import io.atelier.gateway.metrics.MetricNames;
import io.atelier.gateway.pipeline.PipelineConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans signal, state and KPI changes out to WebSocket clients. As a {@link PipelineConsumer} it
 * sees every batch; per sample it does one index lookup and, for each interested client, one map
 * write, and completes at once: a slow or stuck browser can never slow the pipeline. The index
 * (machine → interested clients) already has the scope applied, and is rebuilt whenever a client
 * subscribes or leaves or the machine list changes, which is rare next to samples.
 */
public final class LiveHub implements PipelineConsumer, LiveFeed {

  private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
  private static final long AUTH_TIMEOUT_MS = 10_000;

  /** One client's interest in one machine: all of it, or some signals. */
  record Interest(LiveClient client, boolean whole, Set<String> signals) {}

  private final Vertx vertx;
  private final HttpSettings.Live settings;
  private final Function<String, Map<String, Sample>> lastValues;
  private final Set<LiveClient> clients = ConcurrentHashMap.newKeySet();
  private final Counter messages;
  private final Counter dropped;
  private final MeterRegistry registry;
  private volatile Map<String, MachineConfig> machines = Map.of();
  private volatile Map<String, List<Interest>> byMachine = Map.of();
  private volatile Map<String, List<LiveClient>> byLine = Map.of();

  /**
   * @param lastValues the newest sample per signal of a machine, sent right after a subscription so
   *     a client need not wait for the next change
   */
  public LiveHub(
      Vertx vertx,
      HttpSettings.Live settings,
      MeterRegistry registry,
      Function<String, Map<String, Sample>> lastValues) {
    this.vertx = vertx;
    this.settings = settings;
    this.lastValues = lastValues;
    this.registry = registry;
    Gauge.builder(MetricNames.LIVE_CLIENTS, clients, Set::size).register(registry);
    messages = Counter.builder(MetricNames.LIVE_MESSAGES).register(registry);
    dropped = Counter.builder(MetricNames.LIVE_DROPPED).register(registry);
    for (String reason : List.of("slow", "auth", "protocol")) {
      Counter.builder(MetricNames.LIVE_DISCONNECTS)
          .tag(MetricNames.REASON, reason)
          .register(registry);
    }
  }

  @Override
  public String name() {
    return "live-hub";
  }

  /** The machines that exist now; call at start and after every change. */
  public void machinesChanged(List<MachineConfig> list) {
    Map<String, MachineConfig> m = new HashMap<>();
    list.forEach(c -> m.put(c.id(), c));
    machines = Map.copyOf(m);
    reindex();
  }

  @Override
  public Future<Void> accept(List<Sample> batch) {
    Map<String, List<Interest>> index = byMachine;
    if (index.isEmpty()) {
      return Future.succeededFuture();
    }
    for (Sample s : batch) {
      List<Interest> interested = index.get(s.machine());
      if (interested == null) {
        continue;
      }
      String key = null;
      for (Interest i : interested) {
        if (i.whole() || i.signals().contains(s.signal())) {
          if (key == null) {
            key = "s:" + s.machine() + "/" + s.signal();
          }
          i.client().offer(key, s);
        }
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public void state(String machineId, Map<String, Object> state) {
    report(machineId, new LiveClient.Report("state", machineId, "", Map.copyOf(state)));
  }

  @Override
  public void machineKpis(String machineId, String window, Map<String, Object> kpis) {
    report(machineId, new LiveClient.Report("kpi", machineId, window, Map.copyOf(kpis)));
  }

  @Override
  public void lineKpis(String linePath, String window, Map<String, Object> kpis) {
    List<LiveClient> interested = byLine.get(linePath);
    if (interested != null) {
      LiveClient.Report r = new LiveClient.Report("line-kpi", linePath, window, Map.copyOf(kpis));
      interested.forEach(c -> c.offer("l:" + linePath + ":" + window, r));
    }
  }

  private void report(String machineId, LiveClient.Report r) {
    List<Interest> interested = byMachine.get(machineId);
    if (interested == null) {
      return;
    }
    String key = r.kind() + ":" + machineId + ":" + r.window();
    for (Interest i : interested) {
      if (i.whole()) {
        i.client().offer(key, r);
      }
    }
  }

  /**
   * Takes over an upgraded socket. Must be called on the socket's context.
   *
   * @param viewer who authenticated with the upgrade request; empty means the client must send an
   *     {@code auth} message first
   * @param authenticate checks a token sent in-band (and audits failures)
   */
  public void attach(
      ServerWebSocket ws,
      Optional<Viewer> viewer,
      Function<String, Optional<Viewer>> authenticate) {
    ws.setWriteQueueMaxSize(settings.writeQueueBytes());
    LiveClient client = new LiveClient(ws, this, settings.maxPending());
    clients.add(client);
    LiveSession session = new LiveSession(client, this, authenticate);
    ws.textMessageHandler(session::onMessage);
    ws.binaryMessageHandler(b -> client.close(LiveProtocol.CLOSE_POLICY, "text only", "protocol"));
    ws.closeHandler(v -> client.closed());
    ws.exceptionHandler(e -> LOG.debug("Live client error: {}", e.toString()));
    client.startTicking(vertx, settings.maxRate());
    if (viewer.isPresent()) {
      session.authenticated(viewer.get());
    } else {
      client.send(new JsonObject().put("type", "hello").put("auth", "required"));
      client.expectAuthWithin(vertx, AUTH_TIMEOUT_MS);
    }
  }

  int maxRate() {
    return settings.maxRate();
  }

  Vertx vertx() {
    return vertx;
  }

  Optional<MachineConfig> machine(String id) {
    return Optional.ofNullable(machines.get(id));
  }

  List<MachineConfig> machines() {
    return List.copyOf(machines.values());
  }

  /** Queues the newest known values of a newly subscribed machine. */
  void sendLastValues(LiveClient client, String machineId, Set<String> onlySignals) {
    lastValues
        .apply(machineId)
        .forEach(
            (signal, sample) -> {
              if (onlySignals.isEmpty() || onlySignals.contains(signal)) {
                client.offer("s:" + machineId + "/" + signal, sample);
              }
            });
  }

  /** Rebuilds the indexes from every client's subscription and scope. */
  synchronized void reindex() {
    Map<String, List<Interest>> machineIndex = new HashMap<>();
    Map<String, List<LiveClient>> lineIndex = new HashMap<>();
    for (LiveClient c : clients) {
      Viewer v = c.viewer;
      if (v == null || c.isClosed()) {
        continue;
      }
      Subscription sub = c.subscription;
      Map<String, Set<String>> signalsByMachine = new HashMap<>();
      for (String ms : sub.signals()) {
        int slash = ms.indexOf('/');
        signalsByMachine
            .computeIfAbsent(ms.substring(0, slash), k -> new java.util.HashSet<>())
            .add(ms.substring(slash + 1));
      }
      for (MachineConfig m : machines.values()) {
        if (!v.scope().allowsMachine(m.id(), m.ref())) {
          continue;
        }
        boolean whole = sub.machines().contains(m.id()) || sub.lines().contains(m.ref().linePath());
        Set<String> some = signalsByMachine.getOrDefault(m.id(), Set.of());
        if (whole || !some.isEmpty()) {
          machineIndex
              .computeIfAbsent(m.id(), k -> new ArrayList<>())
              .add(new Interest(c, whole, Set.copyOf(some)));
        }
        if (sub.lines().contains(m.ref().linePath()) && v.scope().allowsLine(m.ref())) {
          List<LiveClient> l =
              lineIndex.computeIfAbsent(m.ref().linePath(), k -> new ArrayList<>());
          if (!l.contains(c)) {
            l.add(c);
          }
        }
      }
    }
    machineIndex.replaceAll((k, l) -> List.copyOf(l));
    lineIndex.replaceAll((k, l) -> List.copyOf(l));
    byMachine = Map.copyOf(machineIndex);
    byLine = Map.copyOf(lineIndex);
  }

  void detach(LiveClient client, String reason) {
    client.cancelTimers(vertx);
    if (clients.remove(client)) {
      reindex();
    }
    if (reason != null) {
      registry.counter(MetricNames.LIVE_DISCONNECTS, MetricNames.REASON, reason).increment();
      LOG.info(
          "Live client {} disconnected: {}",
          client.viewer == null ? "(unauthenticated)" : client.viewer.name(),
          reason);
    }
  }

  void countMessage() {
    messages.increment();
  }

  void countDropped() {
    dropped.increment();
  }

  /** Connected clients. */
  public int clientCount() {
    return clients.size();
  }

  /** The largest number of updates pending for one client now (a test's memory bound). */
  public int maxPending() {
    return clients.stream().mapToInt(LiveClient::pendingCount).max().orElse(0);
  }

  /** Closes every client (the server is stopping). */
  public void stop() {
    for (LiveClient c : List.copyOf(clients)) {
      c.close((short) 1001, "gateway stopping", null);
    }
  }
}
