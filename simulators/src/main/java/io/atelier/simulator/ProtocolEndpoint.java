package io.atelier.simulator;

import java.util.concurrent.CompletableFuture;

/**
 * A protocol endpoint that serves the signal board: the OPC UA server or the MQTT publisher. The
 * simulator starts them, stops them, and lets a trainer stop and restart them for fault drills.
 *
 * <p>Contract: {@link #start()} and {@link #stop()} never block the caller (the work happens on the
 * endpoint's own threads) and are idempotent; the returned future completes when the endpoint is
 * serving, or has stopped, and fails with the reason otherwise.
 */
public interface ProtocolEndpoint {

  /** Short name used by the control API and scenarios: {@code opcua} or {@code mqtt}. */
  String name();

  CompletableFuture<Void> start();

  CompletableFuture<Void> stop();

  /** Serving (OPC UA: listening; MQTT: connected to the broker). */
  boolean isRunning();

  /**
   * Counters worth showing in the control API's {@code /endpoints} answer (OPC UA: monitored items
   * and sessions, so a test in another process can check that a client does not duplicate its
   * subscriptions). Empty by default.
   */
  default java.util.Map<String, Long> counters() {
    return java.util.Map.of();
  }
}
