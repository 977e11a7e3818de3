package io.atelier.connector.mqtt;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Default MQTT client ids. The id must be stable across restarts (the broker keeps our session and
 * unacknowledged QoS 1 messages under it) and unique per gateway instance (two instances with one
 * id would kick each other off), so it is derived from the connection id and the host name.
 */
final class ClientIds {

  /** Many brokers accept longer ids, but 64 characters keeps logs readable and is widely safe. */
  static final int MAX_LENGTH = 64;

  private ClientIds() {}

  static String defaultFor(String connectionId) {
    return build(connectionId, hostName());
  }

  static String build(String connectionId, String host) {
    String id = "atelier-" + clean(connectionId) + "-" + clean(host);
    if (id.length() <= MAX_LENGTH) {
      return id;
    }
    // Keep it unique when truncating: the tail becomes a checksum of the whole id.
    CRC32 crc = new CRC32();
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    String sum = String.format(Locale.ROOT, "%08x", crc.getValue());
    return id.substring(0, MAX_LENGTH - 9) + "-" + sum;
  }

  private static String clean(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? c : '_');
    }
    return b.length() == 0 ? "_" : b.toString();
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String s = Files.readString(etc, StandardCharsets.UTF_8).trim();
        if (!s.isEmpty()) {
          return s;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
