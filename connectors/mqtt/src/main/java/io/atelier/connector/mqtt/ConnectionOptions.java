package io.atelier.connector.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/** Paho connection options from the settings. */
final class ConnectionOptions {

  /** The largest packet MQTT can carry. */
  static final long MQTT_MAX_PACKET = 268_435_455L;

  private ConnectionOptions() {}

  static MqttConnectionOptions build(MqttSettings settings) throws Exception {
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
