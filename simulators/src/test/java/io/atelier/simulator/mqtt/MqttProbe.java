package io.atelier.simulator.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain Paho subscriber that records everything it receives. With {@code durable} it keeps a
 * persistent session, so the broker queues for it while it is away (also across a graceful broker
 * restart: the test broker persists sessions).
 */
final class MqttProbe implements AutoCloseable {

  record Received(String topic, byte[] payload, Instant at) {}

  private final MqttClient client;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Received> retained = new CopyOnWriteArrayList<>();

  MqttProbe(String url, String clientId, boolean durable, String... filters) throws MqttException {
    client = new MqttClient(url, clientId, new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(!durable);
    if (durable) {
      options.setSessionExpiryInterval(600L);
    }
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 2);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {}

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            // Retained messages (the broker's last value of a topic, handed over on subscribing)
            // are kept apart: what an earlier test on the shared broker left behind must not
            // count as published by the current one (live deliveries come without the flag).
            Received r = new Received(topic, message.getPayload(), Instant.now());
            (message.isRetained() ? retained : received).add(r);
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    client.connect(options);
    MqttSubscription[] subs = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subs[i] = new MqttSubscription(filters[i], 1);
    }
    client.subscribe(subs);
  }

  /** The retained messages handed over when subscribing. */
  List<Received> retained() {
    return retained;
  }

  List<Received> received() {
    return received;
  }

  List<Received> on(String topic) {
    return received.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /** Waits (bounded) until at least {@code count} messages on {@code topic} arrived. */
  List<Received> await(String topic, int count, Duration atMost) {
    Awaitility.await().atMost(atMost).until(() -> on(topic).size() >= count);
    return on(topic);
  }

  void publish(String topic, byte[] payload) throws MqttException {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    client.publish(topic, m);
  }

  boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
