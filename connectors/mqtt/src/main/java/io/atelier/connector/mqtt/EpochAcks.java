package io.atelier.connector.mqtt;

import io.vertx.core.Vertx;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends MQTT acknowledgements (Paho {@code messageArrivedComplete}), each only on the connection
 * the message arrived on. After a reconnect the broker redelivers unacknowledged messages and may
 * reuse their packet ids for other messages, so a late ack from an earlier connection could
 * acknowledge the wrong message; it is dropped instead (the redelivered copy gets its own ack once
 * its samples are durable). The connection "epoch" advances whenever a connection ends; the check
 * and the send happen under one lock, so no ack slips onto the next connection.
 *
 * <p>Callable from any thread (sink completions arrive on pipeline threads).
 */
final class EpochAcks implements MessageIntake.Acknowledger {

  private static final Logger LOG = LoggerFactory.getLogger(EpochAcks.class);

  private final String connectionId;
  private final Vertx vertx;
  private final MqttStats stats;
  private final Object lock = new Object();
  private volatile long epoch;
  private volatile MqttAsyncClient client;

  EpochAcks(String connectionId, Vertx vertx, MqttStats stats) {
    this.connectionId = connectionId;
    this.vertx = vertx;
    this.stats = stats;
  }

  void attach(MqttAsyncClient client) {
    this.client = client;
  }

  /** The epoch of the current connection, to stamp arriving messages with. */
  long current() {
    return epoch;
  }

  /** The connection ended (lost, refused, or never made). */
  void connectionEnded() {
    synchronized (lock) {
      epoch++;
    }
  }

  @Override
  public void ack(int messageId, int qos, long receivedEpoch) {
    if (qos == 0) {
      return;
    }
    if (qos == 2) {
      // Completing QoS 2 removes a file from Paho's persistence: keep that off the event loop.
      vertx.executeBlocking(
          () -> {
            send(messageId, qos, receivedEpoch);
            return null;
          },
          false);
    } else {
      // QoS 1: Paho only queues a PUBACK (thread-safe, non-blocking).
      send(messageId, qos, receivedEpoch);
    }
  }

  private void send(int messageId, int qos, long receivedEpoch) {
    synchronized (lock) {
      MqttAsyncClient c = client;
      if (receivedEpoch != epoch || c == null) {
        stats.increment(MqttStats.ACKS_SKIPPED);
        return;
      }
      try {
        c.messageArrivedComplete(messageId, qos);
        stats.increment(MqttStats.MESSAGES_ACKED);
      } catch (MqttException | RuntimeException e) {
        LOG.debug("MQTT {}: ack of {} not sent: {}", connectionId, messageId, e.toString());
      }
    }
  }
}
