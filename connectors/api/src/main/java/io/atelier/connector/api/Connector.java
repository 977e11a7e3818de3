package io.atelier.connector.api;

import io.vertx.core.Future;
import java.util.Map;

/**
 * One connection (one OPC UA endpoint, one MQTT broker) serving every machine behind it.
 *
 * <p>Contract, checked for every connector by the compatibility kit:
 *
 * <ul>
 *   <li>{@link #start()} and {@link #stop()} are idempotent and never block the caller.
 *   <li>{@link #start()} succeeds even when the peer is unreachable: the connector then reports
 *       DISCONNECTED and keeps retrying by itself. It fails only for what retrying cannot fix.
 *   <li>After {@link #stop()} completes, the connector hands no more samples to its sink.
 * </ul>
 */
public interface Connector {

  /** The connection id from the configuration. */
  String id();

  Future<Void> start();

  Future<Void> stop();

  ConnectorStatus status();

  /**
   * Per-signal health, keyed by {@code machineId/signal}: a bad node, a decode error. Empty when
   * the connector has nothing to say beyond {@link #status()}.
   */
  default Map<String, SignalStatus> signalStatus() {
    return Map.of();
  }

  /**
   * Running totals since this connector was created, by stable lower-kebab-case name (for example
   * {@code messages-received}); a name {@code rejected.<reason>} counts input rejected for that
   * reason. The gateway exports them as Prometheus counters and in {@code /api/connections}. Names
   * may be added over time; values never decrease. Cheap and thread-safe: it is read at every
   * scrape. Empty when the connector counts nothing.
   */
  default Map<String, Long> counters() {
    return Map.of();
  }
}
