package io.atelier.connector.mqtt;

import javax.net.ssl.SSLException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Paho failures as an operator should read them, and which of them need someone to act. */
final class MqttErrors {

  private MqttErrors() {}

  /**
   * Bad user name or password, not authorized, client id refused, banned, or a TLS failure
   * (untrusted certificate, wrong host name): retrying alone will not fix these.
   */
  static boolean needsSomeone(Throwable e) {
    if (e instanceof MqttException m) {
      int code = m.getReasonCode();
      if (code == 0x86 || code == 0x87 || code == 0x85 || code == 0x8A || code == 4 || code == 5) {
        return true;
      }
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /** One line: Paho's message and reason code, and the cause. Never contains the password. */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    if (e instanceof MqttException m) {
      b.append(m.getMessage()).append(" (").append(m.getReasonCode()).append(')');
    } else {
      b.append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      b.append(": ")
          .append(cause.getClass().getSimpleName())
          .append(": ")
          .append(cause.getMessage());
    }
    return b.toString();
  }
}
