package io.atelier.connector.mqtt;

import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planned end of the connector's own MQTT connection: leave the share groups, say goodbye
 * (takeover presence {@code stopped}), disconnect normally (so the broker drops our will), close.
 * Blocks: runs on a worker.
 */
final class PlannedClose {

  private static final Logger LOG = LoggerFactory.getLogger(PlannedClose.class);

  /** A retained message published on a planned stop, after leaving the share groups. */
  record Farewell(String topic, byte[] payload) {}

  private PlannedClose() {}

  static void close(
      String connectionId,
      MqttAsyncClient c,
      List<SubscriptionSettings> subscriptions,
      Farewell farewell) {
    leaveShareGroups(connectionId, c, subscriptions);
    sayFarewell(connectionId, c, farewell);
    try {
      if (c.isConnected()) {
        c.disconnect(1_000).waitForCompletion(5_000);
      }
    } catch (MqttException | RuntimeException e) {
      LOG.debug("MQTT {}: disconnect: {}", connectionId, e.toString());
    }
    try {
      c.disconnectForcibly(0, 1_000, false);
    } catch (MqttException | RuntimeException e) {
      LOG.trace("MQTT {}: forced disconnect: {}", connectionId, e.toString());
    }
    try {
      c.close(true);
    } catch (MqttException | RuntimeException e) {
      LOG.debug("MQTT {}: close: {}", connectionId, e.toString());
    }
  }

  /**
   * On a planned stop, leaves the shared-subscription groups so that the other gateways take over
   * this share at once. Mosquitto (like the spec allows) keeps sending a disconnected member its
   * share until the session expires; plain subscriptions stay, so the broker keeps queueing them
   * for our restart.
   */
  private static void leaveShareGroups(
      String connectionId, MqttAsyncClient c, List<SubscriptionSettings> subscriptions) {
    String[] shared =
        subscriptions.stream()
            .filter(s -> s.shared().isPresent())
            .map(SubscriptionSettings::subscriptionFilter)
            .toArray(String[]::new);
    if (shared.length == 0 || !c.isConnected()) {
      return;
    }
    try {
      c.unsubscribe(shared).waitForCompletion(2_000);
    } catch (MqttException | RuntimeException e) {
      LOG.debug("MQTT {}: leaving share groups: {}", connectionId, e.toString());
    }
  }

  private static void sayFarewell(String connectionId, MqttAsyncClient c, Farewell f) {
    if (f == null || !c.isConnected()) {
      return;
    }
    try {
      c.publish(f.topic(), f.payload(), 1, true).waitForCompletion(2_000);
    } catch (MqttException | RuntimeException e) {
      LOG.debug("MQTT {}: farewell on {}: {}", connectionId, f.topic(), e.toString());
    }
  }
}
