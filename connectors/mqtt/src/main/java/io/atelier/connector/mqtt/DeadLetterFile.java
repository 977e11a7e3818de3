package io.atelier.connector.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps rejected messages for later inspection: one JSON line per message with time, topic, reason,
 * detail and the payload in base64. When the file reaches its size limit it is rotated to {@code
 * <name>.1} (replacing the previous one), so the disk use stays under twice the limit. Payloads
 * larger than {@link #MAX_PAYLOAD_BYTES} are cut (and marked so).
 */
final class DeadLetterFile implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFile.class);
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private final Path file;
  private final long maxBytes;
  private OutputStream out;
  private long size;
  private boolean broken;

  DeadLetterFile(Path file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
  }

  Path path() {
    return file;
  }

  synchronized void append(
      Instant time, String topic, String reason, String detail, byte[] payload) {
    if (broken) {
      return;
    }
    boolean cut = payload.length > MAX_PAYLOAD_BYTES;
    byte[] kept = cut ? Arrays.copyOf(payload, MAX_PAYLOAD_BYTES) : payload;
    String line =
        "{\"time\":\""
            + time
            + "\",\"topic\":"
            + quote(topic)
            + ",\"reason\":"
            + quote(reason)
            + ",\"detail\":"
            + quote(detail)
            + ",\"size\":"
            + payload.length
            + (cut ? ",\"truncated\":true" : "")
            + ",\"payload\":\""
            + Base64.getEncoder().encodeToString(kept)
            + "\"}\n";
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    try {
      if (out == null) {
        open();
      }
      if (size > 0 && size + bytes.length > maxBytes) {
        rotate();
      }
      out.write(bytes);
      out.flush();
      size += bytes.length;
    } catch (IOException e) {
      // Losing the dead letters must not stop ingest; say it once and stop trying.
      broken = true;
      LOG.error(
          "Cannot write dead-letter file {}; rejected messages are only counted now", file, e);
    }
  }

  private void open() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    out.close();
    Files.move(
        file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    size = 0;
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.debug("closing {}", file, e);
      }
      out = null;
    }
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
