package io.atelier.connector.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** A plain Paho publisher, as a machine or the simulator would be, with its own persistence. */
final class TestPublisher implements AutoCloseable {

  final MqttAsyncClient client;
  // Mosquitto lets 20 QoS 1/2 messages be in flight per client by default.
  private final Semaphore inFlight = new Semaphore(16);

  TestPublisher(String url, String clientId, Path persistence) throws MqttException {
    client =
        new MqttAsyncClient(url, clientId, new MqttDefaultFilePersistence(persistence.toString()));
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    client.connect(o).waitForCompletion(10_000);
  }

  /** Publishes and waits only for a free in-flight slot, never for the broker's ack. */
  void publish(String topic, byte[] payload, int qos) throws Exception {
    if (qos > 0 && !inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("broker stopped acknowledging");
    }
    try {
      client.publish(
          topic,
          payload,
          qos,
          false,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken t) {
              if (qos > 0) {
                inFlight.release();
              }
            }

            @Override
            public void onFailure(IMqttToken t, Throwable e) {
              if (qos > 0) {
                inFlight.release();
              }
            }
          });
    } catch (MqttException | RuntimeException e) {
      if (qos > 0) {
        inFlight.release();
      }
      throw e;
    }
  }

  void publish(String topic, String payload, int qos) throws Exception {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos);
  }

  /** Waits until every QoS 1/2 message was acknowledged by the broker. */
  void drain() throws InterruptedException {
    if (!inFlight.tryAcquire(16, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("broker did not acknowledge everything");
    }
    inFlight.release(16);
  }

  @Override
  public void close() throws MqttException {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
    } finally {
      client.close(true);
    }
  }
}
