package io.atelier.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.testsupport.FreePort;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's embedded HiveMQ: carries a message, and stops and releases its port when asked. Its
 * stop used to deadlock on HiveMQ's own state-change thread, which kept every demo's Ctrl-C waiting
 * for the 20 s stop timeout.
 */
@Timeout(120)
class EmbeddedBrokerIT {

  @TempDir Path dir;

  @Test
  void carriesAMessageThenStopsAndReleasesItsPort() throws Exception {
    int port = FreePort.pick();
    EmbeddedBroker broker = new EmbeddedBroker("127.0.0.1", port, dir);
    broker.start().get(60, TimeUnit.SECONDS);

    CompletableFuture<String> received = new CompletableFuture<>();
    MqttClient client = new MqttClient(broker.url(), "embedded-check", new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            received.complete(new String(message.getPayload(), StandardCharsets.UTF_8));
          }

          @Override
          public void disconnected(MqttDisconnectResponse response) {}

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    client.connect();
    try {
      client.subscribe("atelier/check", 1);
      client.publish(
          "atelier/check",
          new MqttMessage("hello".getBytes(StandardCharsets.UTF_8), 1, false, null));
      assertThat(received).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("hello");
    } finally {
      client.disconnect();
      client.close();
    }

    assertThat(broker.stop()).succeedsWithin(Duration.ofSeconds(30));
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(again.isBound()).isTrue();
    }
  }
}
