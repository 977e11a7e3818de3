package io.atelier.connector.mqtt;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A plain Paho subscriber that keeps what it receives (e.g. commands sent by the connector). */
final class TestSubscriber implements AutoCloseable {

  record Received(String topic, byte[] payload) {}

  private final MqttAsyncClient client;
  final List<Received> received = new CopyOnWriteArrayList<>();

  TestSubscriber(String url, String clientId, String filter) throws MqttException {
    client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, message.getPayload()));
          }

          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    client.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
    client.subscribe(filter, 1).waitForCompletion(10_000);
  }

  @Override
  public void close() throws MqttException {
    try {
      client.disconnect().waitForCompletion(5_000);
    } finally {
      client.close(true);
    }
  }
}
