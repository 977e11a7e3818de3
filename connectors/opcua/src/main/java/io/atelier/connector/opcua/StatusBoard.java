package io.atelier.connector.opcua;

import io.atelier.connector.api.ConnectorStatus;
import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.connector.api.SignalStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's status, its recent transitions, and each signal's health (node accepted or not,
 * time of the last value). Thread-safe: written from Milo's threads, the worker and the event loop;
 * read by the API.
 */
final class StatusBoard {

  private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);
  private static final int HISTORY = 64;

  private final String connectorId;
  private ConnectorStatus status = ConnectorStatus.stopped();
  private final Deque<ConnectorStatus> history = new ArrayDeque<>();
  private final Map<String, SignalStatus> signals = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastValues = new ConcurrentHashMap<>();
  private final OpcUaStats stats = new OpcUaStats();

  /** The connection's running totals; lives as long as the connector, across sessions. */
  OpcUaStats stats() {
    return stats;
  }

  StatusBoard(String connectorId) {
    this.connectorId = connectorId;
  }

  synchronized ConnectorStatus status() {
    return status;
  }

  /** The last transitions, oldest first (a gap shows as CONNECTED, DISCONNECTED, CONNECTED). */
  synchronized List<ConnectorStatus> history() {
    return new ArrayList<>(history);
  }

  /** Moves to {@code next}; a repeat of the current state only refreshes the error text. */
  synchronized void set(State next, Optional<String> error) {
    if (status.state() == next) {
      if (error.isPresent() && !error.equals(status.lastError())) {
        status = new ConnectorStatus(next, status.since(), error);
        LOG.debug("Connection {} still {}: {}", connectorId, next, error.get());
      }
      return;
    }
    status = status.to(next, error);
    history.addLast(status);
    while (history.size() > HISTORY) {
      history.removeFirst();
    }
    if (next == State.ERROR || (next == State.DISCONNECTED && error.isPresent())) {
      LOG.warn("Connection {} is {}: {}", connectorId, next, error.orElse(""));
    } else {
      LOG.info("Connection {} is {}", connectorId, next);
    }
  }

  void signalOk(String key) {
    signals.compute(
        key,
        (k, old) ->
            old != null && old.ok()
                ? old
                : new SignalStatus(true, Optional.empty(), Instant.now()));
  }

  void signalError(String key, String error) {
    signals.compute(
        key,
        (k, old) -> {
          if (old == null || old.ok()) {
            LOG.warn("Signal {} of connection {}: {}", key, connectorId, error);
            return new SignalStatus(false, Optional.of(error), Instant.now());
          }
          return old.error().equals(Optional.of(error))
              ? old
              : new SignalStatus(false, Optional.of(error), old.since());
        });
  }

  void valueReceived(String key, Instant time) {
    lastValues.put(key, time);
  }

  Map<String, SignalStatus> signals() {
    return new TreeMap<>(signals);
  }

  Optional<Instant> lastValue(String key) {
    return Optional.ofNullable(lastValues.get(key));
  }

  void clearSignals() {
    signals.clear();
  }
}
