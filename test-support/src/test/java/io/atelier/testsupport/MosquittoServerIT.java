package io.atelier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class MosquittoServerIT {

  @RegisterExtension static final MosquittoExtension broker = new MosquittoExtension();

  private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeClients() throws MqttException {
    for (MqttClient client : clients) {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
  }

  @Test
  void publishedMessageReachesSubscriber() throws Exception {
    Received received = new Received();
    MqttClient subscriber = client("sub-" + UUID.randomUUID(), received);
    subscriber.connect(options(true));
    subscriber.subscribe("atelier/test/#", 1);
    MqttClient publisher = client("pub-" + UUID.randomUUID(), new Received());
    publisher.connect(options(true));

    publisher.publish("atelier/test/round-trip", payload("hello"));

    await().atMost(Duration.ofSeconds(10)).until(() -> received.payloads().contains("hello"));
    assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
  }

  // Fault tests rely on this: a gateway with a persistent session must get what was published
  // while it was offline, even when the broker restarted in between.
  @Test
  void persistentSessionKeepsQos1MessagesAcrossBrokerRestart() throws Exception {
    String subscriberId = "durable-" + UUID.randomUUID();
    MqttClient subscriber = client(subscriberId, new Received());
    subscriber.connect(options(false));
    subscriber.subscribe("atelier/durable/#", 1);
    subscriber.disconnect();
    subscriber.close();
    clients.remove(subscriber);

    MqttClient publisher = client("pub-" + UUID.randomUUID(), new Received());
    publisher.connect(options(true));
    publisher.publish("atelier/durable/a", payload("before-restart"));
    publisher.disconnect();

    String urlBefore = broker.url();
    broker.server().stop();
    broker.server().start();
    assertThat(broker.url()).isEqualTo(urlBefore);

    publisher.connect(options(true));
    publisher.publish("atelier/durable/a", payload("after-restart"));

    Received received = new Received();
    MqttClient resumed = client(subscriberId, received);
    IMqttToken connected = resumed.connectWithResult(options(false));

    assertThat(connected.getSessionPresent()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(received.payloads()).containsExactly("before-restart", "after-restart"));
  }

  @Test
  void killedBrokerRefusesClientsAndComesBackOnTheSamePort() throws Exception {
    int port = broker.port();

    broker.server().kill();

    assertThat(broker.server().isRunning()).isFalse();
    MqttClient client = client("probe-" + UUID.randomUUID(), new Received());
    assertThatThrownBy(() -> client.connect(options(true))).isInstanceOf(MqttException.class);

    broker.server().start();

    assertThat(broker.port()).isEqualTo(port);
    client.connect(options(true));
    assertThat(client.isConnected()).isTrue();
  }

  private MqttClient client(String id, Received callback) throws MqttException {
    MqttClient client = new MqttClient(broker.url(), id, new MemoryPersistence());
    client.setCallback(callback);
    clients.add(client);
    return client;
  }

  private static MqttConnectionOptions options(boolean cleanStart) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(cleanStart);
    options.setSessionExpiryInterval(cleanStart ? 0L : 3600L);
    options.setConnectionTimeout(5);
    options.setAutomaticReconnect(false);
    return options;
  }

  private static MqttMessage payload(String text) {
    MqttMessage message = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    return message;
  }

  /** Collects payloads in arrival order. */
  private static final class Received implements MqttCallback {
    private final List<String> payloads = new CopyOnWriteArrayList<>();

    List<String> payloads() {
      return List.copyOf(payloads);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      payloads.add(new String(message.getPayload(), StandardCharsets.UTF_8));
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
  }
}
