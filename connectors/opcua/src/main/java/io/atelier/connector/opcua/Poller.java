package io.atelier.connector.opcua;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the signals configured with {@code poll:} at their interval, for servers that reject
 * data-change filters or when a value is wanted on every interval even if it did not change. One
 * timer per distinct interval; a read still in flight when the next tick comes makes that tick skip
 * (counted), so a slow server is never flooded. Reads are asynchronous: nothing blocks.
 */
final class Poller {

  private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

  /** Statuses that say the node itself is wrong, not the value. */
  private static final Set<Long> NODE_ERRORS =
      Set.of(
          StatusCodes.Bad_NodeIdUnknown,
          StatusCodes.Bad_NodeIdInvalid,
          StatusCodes.Bad_AttributeIdInvalid,
          StatusCodes.Bad_NotReadable,
          StatusCodes.Bad_UserAccessDenied);

  private final String connectorId;
  private final StatusBoard board;
  private final SampleBuilder samples;
  private final SampleSink sink;
  private final Vertx vertx;
  private final AtomicBoolean running;
  private final int maxNodesPerRead;

  private final Map<Duration, Long> timers = new ConcurrentHashMap<>();
  private final Map<Duration, AtomicBoolean> inFlight = new ConcurrentHashMap<>();
  private volatile OpcUaClient client;
  private volatile Map<SignalConfig, NodeId> nodes = Map.of();
  private volatile boolean paused = true;
  private long skipped;

  Poller(
      String connectorId,
      StatusBoard board,
      SampleBuilder samples,
      SampleSink sink,
      Vertx vertx,
      AtomicBoolean running,
      int maxNodesPerRead) {
    this.connectorId = connectorId;
    this.board = board;
    this.samples = samples;
    this.sink = sink;
    this.vertx = vertx;
    this.running = running;
    this.maxNodesPerRead = maxNodesPerRead;
  }

  /** Starts (or continues) polling these resolved signals on this client. */
  synchronized void resume(OpcUaClient c, Map<SignalConfig, NodeId> resolved) {
    client = c;
    nodes = Map.copyOf(resolved);
    paused = false;
    for (SignalConfig s : resolved.keySet()) {
      Duration interval = s.poll().orElseThrow();
      timers.computeIfAbsent(
          interval, i -> vertx.setPeriodic(Math.max(1, i.toMillis()), t -> tick(i)));
    }
  }

  void pause() {
    paused = true;
  }

  synchronized void stop() {
    paused = true;
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void tick(Duration interval) {
    OpcUaClient c = client;
    if (paused || c == null || !running.get()) {
      return;
    }
    AtomicBoolean busy = inFlight.computeIfAbsent(interval, i -> new AtomicBoolean());
    if (!busy.compareAndSet(false, true)) {
      if (++skipped % 100 == 1) {
        LOG.info(
            "Connection {}: poll every {} ms still reading when the next was due ({} skipped)",
            connectorId,
            interval.toMillis(),
            skipped);
      }
      return;
    }
    List<SignalConfig> due =
        nodes.keySet().stream()
            .filter(s -> s.poll().orElseThrow().equals(interval))
            .sorted(Comparator.comparing(SignalConfig::key))
            .toList();
    readChunks(c, due, 0, busy);
  }

  private void readChunks(OpcUaClient c, List<SignalConfig> due, int from, AtomicBoolean busy) {
    if (from >= due.size()) {
      busy.set(false);
      return;
    }
    List<SignalConfig> chunk = due.subList(from, Math.min(due.size(), from + maxNodesPerRead));
    List<NodeId> ids = chunk.stream().map(s -> nodes.get(s)).toList();
    c.readValuesAsync(0.0, TimestampsToReturn.Both, ids)
        .whenComplete(
            (values, err) -> {
              if (err != null) {
                LOG.debug("Connection {}: poll read failed: {}", connectorId, err.toString());
                busy.set(false);
                return;
              }
              deliver(chunk, values);
              readChunks(c, due, from + chunk.size(), busy);
            });
  }

  private void deliver(List<SignalConfig> chunk, List<DataValue> values) {
    Instant now = Instant.now();
    List<Sample> batch = new ArrayList<>();
    for (int i = 0; i < chunk.size() && i < values.size(); i++) {
      SignalConfig s = chunk.get(i);
      DataValue v = values.get(i);
      long code = v.statusCode().value() & 0xFFFF0000L;
      if (NODE_ERRORS.contains(code)) {
        board.signalError(
            s.key(),
            "node " + s.node().text() + " refused: " + ValueMapper.statusName(v.statusCode()));
        continue;
      }
      board.signalOk(s.key());
      board.valueReceived(s.key(), now);
      batch.addAll(samples.build(s, v, now, false));
    }
    if (!batch.isEmpty() && running.get() && !paused) {
      board.stats().samplesHanded.add(batch.size());
      sink.acceptAll(batch, Completion.of(() -> {}, e -> board.stats().sinkRefusals.increment()));
    }
  }
}
