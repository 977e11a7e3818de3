package io.atelier.connector.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.SampleSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one subscription alive on the server for as long as the connector runs, with one monitored
 * item per good signal. "Connected but no data" is the classic OPC UA gateway failure; this class
 * exists to prevent it:
 *
 * <ul>
 *   <li>After every session activation it re-reads the namespace table, re-resolves every node, and
 *       re-creates the subscription and its items unless the old one survived intact (transferred,
 *       same NodeIds). A transfer failure, {@code Bad_Timeout} and an elapsed watchdog trigger the
 *       same check.
 *   <li>Items are created in batches no larger than the configured maximum; Milo lowers the batch
 *       further to the server's MaxMonitoredItemsPerCall.
 *   <li>A signal whose node is bad is left out, gets an error status, and is retried alone with
 *       backoff; the others keep flowing.
 *   <li>Lost notifications mark the next samples UNCERTAIN.
 * </ul>
 *
 * All subscription work runs on one single-threaded worker, in order; notifications arrive on
 * Milo's threads and go straight to the sink without blocking.
 */
final class SubscriptionKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionKeeper.class);
  private static final Duration RETRY_INITIAL = Duration.ofSeconds(2);
  private static final Duration RETRY_MAX = Duration.ofMinutes(2);

  /**
   * Caps one publish response. Milo's default (65,535 notifications, ~33 bytes each for a double)
   * makes a response of ~2.1 MB once that many changes are queued, over the client's 2 MiB message
   * limit: the server then fails with Bad_ResponseTooLarge, Republish cannot recover it, and every
   * one of those values is lost. 10,000 keeps a response near 0.3 MB (1.5 MB with 150-byte
   * strings); the server sends the rest in further responses straight away (moreNotifications).
   */
  static final int MAX_NOTIFICATIONS_PER_PUBLISH = 10_000;

  private final String connectorId;
  private final OpcUaSettings settings;
  private final List<SignalConfig> monitored;
  private final List<SignalConfig> polled;
  private final SampleSink sink;
  private final StatusBoard board;
  private final SampleBuilder samples;
  private final Poller poller;
  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final AtomicBoolean running;

  private volatile OpcUaClient client;
  private volatile OpcUaSubscription subscription;

  /** Time of the last publish response, shared by every subscription instance's handler. */
  private final AtomicReference<Instant> lastPublish = new AtomicReference<>(Instant.EPOCH);

  private final AtomicBoolean dataLost = new AtomicBoolean();

  // Worker-only state.
  private Map<String, NodeId> resolved = Map.of();
  private final Map<String, Backoff> retryBackoffs = new HashMap<>();
  private final Map<String, Long> retryTimers = new ConcurrentHashMap<>();
  private final Backoff ensureBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  SubscriptionKeeper(
      String connectorId,
      OpcUaSettings settings,
      List<SignalConfig> signals,
      SampleSink sink,
      StatusBoard board,
      SampleBuilder samples,
      Poller poller,
      Vertx vertx,
      WorkerExecutor worker,
      AtomicBoolean running) {
    this.connectorId = connectorId;
    this.settings = settings;
    this.monitored = signals.stream().filter(s -> s.poll().isEmpty()).toList();
    this.polled = signals.stream().filter(s -> s.poll().isPresent()).toList();
    this.sink = sink;
    this.board = board;
    this.samples = samples;
    this.poller = poller;
    this.vertx = vertx;
    this.worker = worker;
    this.running = running;
  }

  /** The time of the last publish response (data or keep-alive): the server's proof of life. */
  Instant lastPublish() {
    return lastPublish.get();
  }

  /** The subscription's server-side monitored item count as this client knows it. */
  int monitoredItemCount() {
    OpcUaSubscription sub = subscription;
    return sub == null ? 0 : sub.getMonitoredItems().size();
  }

  /** A session became active on {@code c}: make sure the subscription is there and right. */
  void sessionActive(OpcUaClient c) {
    client = c;
    ensure("session active", false);
  }

  void sessionInactive() {
    poller.pause();
  }

  /** Stops retries, deletes the subscription on the server if it can (bounded by the caller). */
  Future<Void> stop() {
    retryTimers.values().forEach(vertx::cancelTimer);
    retryTimers.clear();
    poller.stop();
    return worker.executeBlocking(
        () -> {
          OpcUaSubscription sub = subscription;
          subscription = null;
          if (sub != null) {
            sub.setSubscriptionListener(null);
            // Without a session a delete would only wait for its timeout; closing the session
            // deletes the subscription on the server anyway.
            if (board.status().state() == ConnectorStatus.State.CONNECTED) {
              deleteQuietly(sub);
            } else {
              sub.reset();
            }
          }
          return null;
        },
        true);
  }

  void ensure(String why, boolean force) {
    if (!running.get()) {
      return;
    }
    worker
        .executeBlocking(
            () -> {
              ensureNow(why, force);
              return null;
            },
            true)
        .onFailure(e -> LOG.warn("Connection {}: keeping the subscription failed", connectorId, e));
  }

  private void ensureNow(String why, boolean force) {
    OpcUaClient c = client;
    if (!running.get() || c == null) {
      return;
    }
    NodeResolver resolver;
    try {
      resolver = NodeResolver.forSession(c, settings.requestTimeout());
    } catch (UaException e) {
      LOG.info(
          "Connection {}: cannot read the namespace table ({}); trying again",
          connectorId,
          ValueMapper.statusName(e.getStatusCode()));
      scheduleEnsure(why);
      return;
    }
    Map<String, NodeId> ids = new HashMap<>();
    Map<SignalConfig, String> unresolved = new HashMap<>();
    for (SignalConfig s : monitored) {
      NodeResolver.Resolution r = resolver.resolve(s.node());
      r.nodeId()
          .ifPresentOrElse(
              id -> ids.put(s.key(), id), () -> unresolved.put(s, r.error().orElseThrow()));
    }
    activatePolled(resolver);

    OpcUaSubscription sub = subscription;
    boolean intact =
        sub != null
            && sub.getClient() == c
            && sub.getSyncState() != OpcUaSubscription.SyncState.INITIAL
            && ids.equals(resolved);
    if (intact && !force) {
      LOG.debug("Connection {}: subscription intact after {}", connectorId, why);
      ensureBackoff.reset();
      return;
    }
    rebuild(c, sub, ids, unresolved, why);
  }

  private void rebuild(
      OpcUaClient c,
      OpcUaSubscription old,
      Map<String, NodeId> ids,
      Map<SignalConfig, String> unresolved,
      String why) {
    long t0 = System.nanoTime();
    subscription = null;
    if (old != null) {
      old.setSubscriptionListener(null);
      if (old.getClient() == c && old.getSyncState() != OpcUaSubscription.SyncState.INITIAL) {
        deleteQuietly(old);
      } else {
        old.reset();
      }
    }
    retryTimers.values().forEach(vertx::cancelTimer);
    retryTimers.clear();
    resolved = Map.of();

    OpcUaSubscription sub =
        new OpcUaSubscription(c, (double) settings.publishingInterval().toMillis());
    sub.setMaxMonitoredItemsPerCall(uint(settings.maxItemsPerCall()));
    sub.setMaxNotificationsPerPublish(uint(MAX_NOTIFICATIONS_PER_PUBLISH));
    sub.setSubscriptionListener(eventsFor(sub));
    try {
      sub.create();
    } catch (UaException e) {
      LOG.warn(
          "Connection {}: creating the subscription failed ({}); trying again",
          connectorId,
          ValueMapper.statusName(e.getStatusCode()));
      scheduleEnsure(why);
      return;
    }
    subscription = sub;
    ensureBackoff.reset();

    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (SignalConfig s : monitored) {
      NodeId id = ids.get(s.key());
      if (id != null) {
        items.add(newItem(s, id));
      }
    }
    sub.addMonitoredItems(items);
    List<MonitoredItemServiceOperationResult> results = sub.createMonitoredItems();
    int good = 0;
    for (MonitoredItemServiceOperationResult r : results) {
      SignalConfig s = (SignalConfig) r.monitoredItem().getUserObject().orElseThrow();
      StatusCode status = r.operationResult().orElse(r.serviceResult());
      if (r.serviceResult().isGood() && status.isGood()) {
        good++;
        board.signalOk(s.key());
      } else {
        sub.removeMonitoredItem(r.monitoredItem());
        itemFailed(s, status);
      }
    }
    unresolved.forEach(
        (s, error) -> {
          board.signalError(s.key(), error);
          scheduleRetry(s);
        });
    resolved = Map.copyOf(ids);
    LOG.info(
        "Connection {}: subscription {} created after {} with {} item(s), {} bad, in {} ms",
        connectorId,
        sub.getSubscriptionId().map(Object::toString).orElse("?"),
        why,
        good,
        monitored.size() - good,
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** Checks the subscription again later (worker only: the backoff is worker state). */
  private void scheduleEnsure(String why) {
    if (running.get()) {
      vertx.setTimer(Math.max(1, ensureBackoff.next().toMillis()), t -> ensure(why, false));
    }
  }

  private void itemFailed(SignalConfig s, StatusCode status) {
    board.signalError(
        s.key(), "node " + s.node().text() + " refused: " + ValueMapper.statusName(status));
    scheduleRetry(s);
  }

  private void scheduleRetry(SignalConfig s) {
    if (!running.get()) {
      return;
    }
    Duration delay =
        retryBackoffs.computeIfAbsent(s.key(), k -> new Backoff(RETRY_INITIAL, RETRY_MAX)).next();
    long timer =
        vertx.setTimer(
            Math.max(1, delay.toMillis()),
            t -> {
              retryTimers.remove(s.key());
              worker
                  .executeBlocking(
                      () -> {
                        retryNow(s);
                        return null;
                      },
                      true)
                  .onFailure(e -> LOG.debug("Retrying {} failed", s.key(), e));
            });
    Long previous = retryTimers.put(s.key(), timer);
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
  }

  /** Retries one bad signal alone; the rest of the subscription is not touched. */
  private void retryNow(SignalConfig s) {
    OpcUaSubscription sub = subscription;
    OpcUaClient c = client;
    if (!running.get()
        || sub == null
        || c == null
        || sub.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
      return; // the next rebuild takes every signal again
    }
    NodeResolver.Resolution r =
        NodeResolver.withCachedNamespaces(c, settings.requestTimeout()).resolve(s.node());
    if (r.nodeId().isEmpty()) {
      board.signalError(s.key(), r.error().orElseThrow());
      scheduleRetry(s);
      return;
    }
    OpcUaMonitoredItem item = newItem(s, r.nodeId().get());
    sub.addMonitoredItem(item);
    List<MonitoredItemServiceOperationResult> results = sub.createMonitoredItems(i -> i == item);
    StatusCode status =
        results.isEmpty()
            ? new StatusCode(StatusCodes.Bad_InvalidState)
            : results.get(0).operationResult().orElse(results.get(0).serviceResult());
    if (!results.isEmpty() && results.get(0).serviceResult().isGood() && status.isGood()) {
      retryBackoffs.remove(s.key());
      Map<String, NodeId> ids = new HashMap<>(resolved);
      ids.put(s.key(), r.nodeId().get());
      resolved = Map.copyOf(ids);
      board.signalOk(s.key());
      LOG.info("Connection {}: signal {} now monitored", connectorId, s.key());
    } else {
      sub.removeMonitoredItem(item);
      itemFailed(s, status);
    }
  }

  private void activatePolled(NodeResolver resolver) {
    Map<SignalConfig, NodeId> ids = new HashMap<>();
    for (SignalConfig s : polled) {
      NodeResolver.Resolution r = resolver.resolve(s.node());
      if (r.nodeId().isPresent()) {
        ids.put(s, r.nodeId().get());
      } else {
        board.signalError(s.key(), r.error().orElseThrow());
      }
    }
    poller.resume(client, ids);
  }

  private OpcUaMonitoredItem newItem(SignalConfig s, NodeId id) {
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(id);
    item.setSamplingInterval((double) s.samplingInterval().toMillis());
    item.setQueueSize(uint(s.queueSize()));
    item.setDiscardOldest(s.discardOldest());
    s.deadband()
        .ifPresent(
            d ->
                item.setFilter(
                    new DataChangeFilter(
                        DataChangeTrigger.StatusValue, uint(d.type().code()), d.value())));
    item.setUserObject(s);
    return item;
  }

  private void deleteQuietly(OpcUaSubscription sub) {
    try {
      sub.delete();
    } catch (UaException | RuntimeException e) {
      LOG.debug("Deleting subscription failed ({}); resetting it locally", e.getMessage());
      sub.reset();
    }
  }

  /** A notification handler for one subscription instance. */
  private SubscriptionEvents eventsFor(OpcUaSubscription sub) {
    return new SubscriptionEvents(
        connectorId,
        sink,
        board,
        samples,
        () -> running.get() && subscription == sub,
        this::ensure,
        lastPublish,
        dataLost);
  }
}
