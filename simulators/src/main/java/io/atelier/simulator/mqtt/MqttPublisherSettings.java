package io.atelier.simulator.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulator publishes its MQTT machines.
 *
 * @param brokerUrl e.g. {@code tcp://localhost:1883}
 * @param clientId MQTT client id; must be unique on the broker
 * @param username user name, empty for anonymous
 * @param password password, used only with a user name
 * @param qos QoS of data messages (0 or 1; Sparkplug births and deaths always use 1)
 * @param batched JSON machines publish one message per machine and tick instead of one per change
 * @param batchInterval the tick of batched JSON publishing
 * @param keepAlive MQTT keep-alive; the broker publishes the Sparkplug death after 1.5 times this
 *     when the simulator vanishes without closing its socket
 * @param maxQueued messages held while the broker is slow or away; beyond it the oldest are dropped
 *     and counted
 * @param sparkplugGroupId Sparkplug group id, {@code atelier}
 * @param sparkplugEdgeNodeId Sparkplug edge node id, {@code simulator}
 */
public record MqttPublisherSettings(
    String brokerUrl,
    String clientId,
    String username,
    String password,
    int qos,
    boolean batched,
    Duration batchInterval,
    Duration keepAlive,
    int maxQueued,
    String sparkplugGroupId,
    String sparkplugEdgeNodeId) {

  public MqttPublisherSettings {
    Objects.requireNonNull(brokerUrl, "brokerUrl");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(batchInterval, "batchInterval");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(sparkplugGroupId, "sparkplugGroupId");
    Objects.requireNonNull(sparkplugEdgeNodeId, "sparkplugEdgeNodeId");
    if (!brokerUrl.matches("(tcp|ssl|ws|wss)://.+")) {
      throw new IllegalArgumentException("brokerUrl must look like tcp://host:port: " + brokerUrl);
    }
    if (clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("qos must be 0 or 1, was " + qos);
    }
    if (batchInterval.toMillis() < 10) {
      throw new IllegalArgumentException("batchInterval must be at least 10 ms");
    }
    if (keepAlive.toSeconds() < 1 || keepAlive.toSeconds() > 65535) {
      throw new IllegalArgumentException("keepAlive must be 1 s to 65535 s");
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be > 0");
    }
    for (String id : new String[] {sparkplugGroupId, sparkplugEdgeNodeId}) {
      if (id.isEmpty() || id.matches(".*[/+#].*")) {
        throw new IllegalArgumentException("invalid Sparkplug id: '" + id + "'");
      }
    }
  }

  /** QoS 1, one message per change, group {@code atelier}, edge node {@code simulator}. */
  public static MqttPublisherSettings defaults(String brokerUrl) {
    return new MqttPublisherSettings(
        brokerUrl,
        "atelier-simulator",
        "",
        "",
        1,
        false,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        100_000,
        "atelier",
        "simulator");
  }

  public MqttPublisherSettings withClientId(String id) {
    return new MqttPublisherSettings(
        brokerUrl,
        id,
        username,
        password,
        qos,
        batched,
        batchInterval,
        keepAlive,
        maxQueued,
        sparkplugGroupId,
        sparkplugEdgeNodeId);
  }

  public MqttPublisherSettings withBatched(boolean batch, Duration interval) {
    return new MqttPublisherSettings(
        brokerUrl,
        clientId,
        username,
        password,
        qos,
        batch,
        interval,
        keepAlive,
        maxQueued,
        sparkplugGroupId,
        sparkplugEdgeNodeId);
  }

  public MqttPublisherSettings withQos(int newQos) {
    return new MqttPublisherSettings(
        brokerUrl,
        clientId,
        username,
        password,
        newQos,
        batched,
        batchInterval,
        keepAlive,
        maxQueued,
        sparkplugGroupId,
        sparkplugEdgeNodeId);
  }

  public MqttPublisherSettings withMaxQueued(int max) {
    return new MqttPublisherSettings(
        brokerUrl,
        clientId,
        username,
        password,
        qos,
        batched,
        batchInterval,
        keepAlive,
        max,
        sparkplugGroupId,
        sparkplugEdgeNodeId);
  }

  public MqttPublisherSettings withCredentials(String user, String pass) {
    return new MqttPublisherSettings(
        brokerUrl,
        clientId,
        user,
        pass,
        qos,
        batched,
        batchInterval,
        keepAlive,
        maxQueued,
        sparkplugGroupId,
        sparkplugEdgeNodeId);
  }

  /** Without the password, so settings can be logged. */
  @Override
  public String toString() {
    return "MqttPublisherSettings[brokerUrl="
        + brokerUrl
        + ", clientId="
        + clientId
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "" : "***")
        + ", qos="
        + qos
        + ", batched="
        + batched
        + ", batchInterval="
        + batchInterval
        + ", keepAlive="
        + keepAlive
        + ", maxQueued="
        + maxQueued
        + ", sparkplug="
        + sparkplugGroupId
        + "/"
        + sparkplugEdgeNodeId
        + "]";
  }
}
