package io.atelier.connector.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Paho connection options from the settings. */
final class ConnectionOptions {

  /** The largest packet MQTT can carry. */
  static final long MQTT_MAX_PACKET = 268_435_455L;

  private ConnectionOptions() {}

  /** The member's own connection: with takeover on, its will announces it {@code offline}. */
  static MqttConnectionOptions build(MqttSettings settings) throws Exception {
    MqttConnectionOptions o = base(settings);
    if (settings.takeover().enabled()) {
      setWill(
          o, settings.takeover(), Takeover.offline(settings.clientId(), settings.shareGroups()));
    }
    return o;
  }

  /**
   * A connection on an adopted session: the peer's client id, and a will that announces the peer
   * {@code offline} again, so that if the adopter dies another member adopts in turn.
   */
  static MqttConnectionOptions adopter(MqttSettings settings, Presence will) throws Exception {
    MqttConnectionOptions o = base(settings);
    setWill(o, settings.takeover(), will);
    return o;
  }

  /**
   * Retained, QoS 1, and delayed: the broker publishes it only when the connection has been gone
   * for {@code takeover.delay} (a member that restarts within the delay is not adopted), and never
   * after a normal DISCONNECT.
   */
  private static void setWill(MqttConnectionOptions o, TakeoverSettings takeover, Presence will) {
    MqttMessage message = new MqttMessage(will.toJson());
    message.setQos(1);
    message.setRetained(true);
    o.setWill(takeover.presenceTopic(will.clientId()), message);
    MqttProperties properties = new MqttProperties();
    properties.setWillDelayInterval(takeover.delay().toSeconds());
    o.setWillMessageProperties(properties);
  }

  private static MqttConnectionOptions base(MqttSettings settings) throws Exception {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(settings.cleanStart());
    o.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
    o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
    o.setConnectionTimeout((int) settings.connectTimeout().toSeconds());
    // Our own reconnect loop runs instead (see MqttSession).
    o.setAutomaticReconnect(false);
    o.setReceiveMaximum(settings.receiveMaximum());
    // The broker drops (for us) anything bigger than this; between maxPayloadBytes and this we
    // still see the message, so we can count and dead-letter it, with bounded memory.
    long maxPacket = Math.max(4L * settings.maxPayloadBytes(), 1L << 20) + 65_536;
    o.setMaximumPacketSize(Math.min(maxPacket, MQTT_MAX_PACKET));
    settings.username().ifPresent(o::setUserName);
    settings.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
    if ("ssl".equalsIgnoreCase(settings.url().getScheme())) {
      TlsSettings tls =
          settings
              .tls()
              .orElse(new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(), true));
      o.setSocketFactory(TlsContexts.socketFactory(tls));
      o.setHttpsHostnameVerificationEnabled(tls.verifyHostname());
    } else {
      // tcp://: read the socket ahead instead of one system call per header byte (see there).
      // TLS needs nothing of the kind: the JDK's SSL stream already hands out whole records.
      o.setSocketFactory(new BufferedSocketFactory());
    }
    return o;
  }
}
