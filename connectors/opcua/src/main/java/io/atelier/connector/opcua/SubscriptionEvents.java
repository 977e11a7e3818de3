package io.atelier.connector.opcua;

import io.atelier.connector.api.Completion;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.SampleSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one subscription instance tells the connector. Runs on Milo's delivery threads and never
 * blocks: a data notification becomes one batch of samples for the sink; any publish response, data
 * or keep-alive, is proof of life; trouble (transfer failure, Bad_Timeout, watchdog) asks the
 * {@link SubscriptionKeeper} to check the subscription. Callbacks of a subscription that was
 * replaced, or that arrive after stop, are ignored.
 */
final class SubscriptionEvents implements OpcUaSubscription.SubscriptionListener {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionEvents.class);

  /** Asks for a subscription check: why, and whether to re-create it even if it looks intact. */
  interface Recheck {
    void ensure(String why, boolean force);
  }

  private final String connectorId;
  private final SampleSink sink;
  private final StatusBoard board;
  private final SampleBuilder samples;
  private final BooleanSupplier current;
  private final Recheck recheck;
  private final AtomicReference<Instant> lastPublish;
  private final AtomicBoolean dataLost;
  private final AtomicLong refused = new AtomicLong();

  SubscriptionEvents(
      String connectorId,
      SampleSink sink,
      StatusBoard board,
      SampleBuilder samples,
      BooleanSupplier current,
      Recheck recheck,
      AtomicReference<Instant> lastPublish,
      AtomicBoolean dataLost) {
    this.connectorId = connectorId;
    this.sink = sink;
    this.board = board;
    this.samples = samples;
    this.current = current;
    this.recheck = recheck;
    this.lastPublish = lastPublish;
    this.dataLost = dataLost;
  }

  @Override
  public void onDataReceived(
      OpcUaSubscription s, List<OpcUaMonitoredItem> items, List<DataValue> values) {
    lastPublish.set(Instant.now());
    if (current.getAsBoolean()) {
      board.stats().notifications.add(values.size());
      deliver(items, values);
    }
  }

  @Override
  public void onKeepAliveReceived(OpcUaSubscription s) {
    lastPublish.set(Instant.now());
  }

  @Override
  public void onNotificationDataLost(OpcUaSubscription s) {
    if (current.getAsBoolean()) {
      LOG.warn("Connection {}: notifications lost; next values marked UNCERTAIN", connectorId);
      board.stats().dataLoss.increment();
      dataLost.set(true);
    }
  }

  @Override
  public void onStatusChanged(OpcUaSubscription s, StatusCode status) {
    if (current.getAsBoolean()) {
      LOG.info(
          "Connection {}: subscription status {}", connectorId, ValueMapper.statusName(status));
      if (status.value() == StatusCodes.Bad_Timeout) {
        board.stats().subscriptionRechecks.increment();
        recheck.ensure("subscription timeout", false);
      }
    }
  }

  // A re-created subscription reports every item's current value at once: fresh reads, so they
  // stay GOOD. The gap before them shows in the connection's status history, not in quality.
  @Override
  public void onTransferFailed(OpcUaSubscription s, StatusCode status) {
    if (current.getAsBoolean()) {
      LOG.info(
          "Connection {}: subscription not transferred to the new session ({}); re-creating it",
          connectorId,
          ValueMapper.statusName(status));
      board.stats().subscriptionRechecks.increment();
      recheck.ensure("transfer failure", false);
    }
  }

  @Override
  public void onWatchdogTimerElapsed(OpcUaSubscription s) {
    if (current.getAsBoolean()) {
      LOG.warn(
          "Connection {}: no publish response within the keep-alive window; re-creating the"
              + " subscription",
          connectorId);
      board.stats().subscriptionRechecks.increment();
      recheck.ensure("watchdog", true);
    }
  }

  private void deliver(List<OpcUaMonitoredItem> items, List<DataValue> values) {
    Instant now = Instant.now();
    boolean lost = dataLost.getAndSet(false);
    List<Sample> batch = new ArrayList<>(values.size());
    for (int i = 0; i < items.size(); i++) {
      Optional<Object> user = items.get(i).getUserObject();
      if (user.isEmpty() || !(user.get() instanceof SignalConfig s)) {
        continue;
      }
      try {
        batch.addAll(samples.build(s, values.get(i), now, lost));
        board.valueReceived(s.key(), now);
      } catch (RuntimeException e) {
        board.stats().valueErrors.increment();
        board.signalError(s.key(), "value could not be mapped: " + e.getMessage());
      }
    }
    if (!batch.isEmpty() && current.getAsBoolean()) {
      board.stats().samplesHanded.add(batch.size());
      sink.acceptAll(batch, Completion.of(() -> {}, this::refused));
    }
  }

  private void refused(Throwable cause) {
    board.stats().sinkRefusals.increment();
    long n = refused.incrementAndGet();
    if (n == 1 || n % 1000 == 0) {
      LOG.warn(
          "Connection {}: {} batch(es) refused by the pipeline: {}",
          connectorId,
          n,
          cause.toString());
    }
  }
}
