package io.atelier.connector.opcua;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The connector's running totals, exported by the gateway through {@code Connector.counters()}.
 * Thread-safe and cheap: one {@link LongAdder} per counter, no map lookup on the sample path.
 */
final class OpcUaStats {

  /** Values received in data-change notifications. */
  final LongAdder notifications = new LongAdder();

  /** Samples handed to the pipeline (subscriptions and polls). */
  final LongAdder samplesHanded = new LongAdder();

  /** Batches the pipeline refused (queue full, stopping); their samples are lost. */
  final LongAdder sinkRefusals = new LongAdder();

  /** Values that could not be turned into samples (the signal shows the error). */
  final LongAdder valueErrors = new LongAdder();

  /** The server reported lost notifications; the next values are UNCERTAIN. */
  final LongAdder dataLoss = new LongAdder();

  /** Subscription checks after a transfer failure, a timeout or the watchdog. */
  final LongAdder subscriptionRechecks = new LongAdder();

  /** Sessions that became active (the first one and every reconnect). */
  final LongAdder sessionsActivated = new LongAdder();

  Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    out.put("notifications", notifications.sum());
    out.put("samples-handed", samplesHanded.sum());
    out.put("sink-refusals", sinkRefusals.sum());
    out.put("value-errors", valueErrors.sum());
    out.put("data-loss", dataLoss.sum());
    out.put("subscription-rechecks", subscriptionRechecks.sum());
    out.put("sessions-activated", sessionsActivated.sum());
    return out;
  }
}
