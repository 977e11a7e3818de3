package io.atelier.connector.mqtt;

import static io.atelier.connector.mqtt.ConnectorHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.ConnectorStatus.State;
import io.atelier.testsupport.FreePort;
import io.atelier.testsupport.MosquittoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssl:// against a real Mosquitto TLS listener with a throw-away certificate: trusted through
 * {@code tls.caFile} it connects and delivers; with the JVM's default trust store it refuses the
 * broker and reports ERROR (someone must act), still retrying.
 */
@Timeout(120)
class TlsIT {

  @TempDir Path dir;
  final ConnectorHarness harness = new ConnectorHarness();
  MosquittoServer broker;

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
    if (broker != null) {
      broker.close();
    }
  }

  static String config(String url, String tls) {
    return """
        connections:
          - id: broker
            type: mqtt
            settings:
              url: %s
              clientId: it-tls
              reconnectMinDelay: 200ms
              reconnectMaxDelay: 1s
        %s
              subscriptions:
                - topic: "atelier/{site}/{area}/{line}/{machine}/{signal}"
        machines:
          - id: conveyor-01
            path: platform/hall-a/assembly/conveyor-01
            connection: broker
        """
        .formatted(url, tls);
  }

  @Test
  void connectsOverTlsWhenTheCaIsTrustedAndRefusesOtherwise() throws Exception {
    TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
    int tlsPort = FreePort.pick();
    broker =
        MosquittoServer.builder()
            .configLine("listener " + tlsPort + " 127.0.0.1")
            .configLine("certfile " + certs.certFile())
            .configLine("keyfile " + certs.keyFile())
            .configLine("allow_anonymous true")
            .build();
    broker.start();
    String url = "ssl://localhost:" + tlsPort;

    CollectingSink sink = new CollectingSink();
    String trusted = "      tls: {caFile: \"" + certs.certFile() + "\", verifyHostname: true}";
    MqttConnector c = harness.connector(config(url, trusted), sink, dir.resolve("a"));
    await(c.start());
    assertThat(c.status().state()).isEqualTo(State.CONNECTED);
    try (TestPublisher pub = new TestPublisher(broker.url(), "pub-tls", dir.resolve("p"))) {
      pub.publish("atelier/platform/hall-a/assembly/conveyor-01/state", "{\"value\": \"OK\"}", 1);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples().size() == 1);
    await(c.stop());

    MqttConnector untrusted =
        harness.connector(config(url, ""), new CollectingSink(), dir.resolve("b"));
    await(untrusted.start());
    assertThat(untrusted.status().state()).isEqualTo(State.ERROR);
    assertThat(untrusted.status().lastError()).isPresent();
    await(untrusted.stop());
  }
}
