package io.atelier.gateway.influx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points InfluxDB refused, each preceded by a comment with the time and InfluxDB's reason. The file
 * is line protocol, so once the cause is fixed (a field renamed, a type corrected) it can be
 * imported like a spool segment. Bounded: past {@code maxBytes} dead letters are only counted and
 * logged.
 */
public final class DeadLetterFile {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFile.class);

  private final Path file;
  private final long maxBytes;
  private boolean overflowLogged;

  public DeadLetterFile(Path file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
  }

  public Path file() {
    return file;
  }

  /** Records refused lines {@code body[from, to)} with the reason. False if the file is full. */
  public synchronized boolean write(String reason, byte[] body, int from, int to) {
    byte[] comment = comment(reason);
    return append(ByteBuffer.wrap(comment), ByteBuffer.wrap(body, from, to - from));
  }

  /**
   * Records things that never became lines (an unknown machine), as comments only; {@code text} may
   * hold several, separated by newlines, each of which must then start with {@code "# "}.
   */
  public synchronized boolean writeComment(String text) {
    String stamp = "# " + Instant.now() + " ";
    byte[] bytes =
        (stamp + text.replace("\r", " ").replace("\n# ", "\n" + stamp) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    return append(ByteBuffer.wrap(bytes));
  }

  private boolean append(ByteBuffer... parts) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      long size = Files.exists(file) ? Files.size(file) : 0;
      long adding = 0;
      for (ByteBuffer b : parts) {
        adding += b.remaining();
      }
      if (size + adding > maxBytes) {
        if (!overflowLogged) {
          LOG.error(
              "Dead-letter file {} is full ({} bytes); further dead letters are only counted",
              file,
              maxBytes);
          overflowLogged = true;
        }
        return false;
      }
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        for (ByteBuffer b : parts) {
          while (b.hasRemaining()) {
            ch.write(b);
          }
        }
        ch.force(false);
      }
      return true;
    } catch (IOException e) {
      LOG.error("Cannot write the dead-letter file {}: {}", file, e.toString());
      return false;
    }
  }

  private static byte[] comment(String reason) {
    String oneLine = reason.replace('\n', ' ').replace('\r', ' ');
    if (oneLine.length() > 1000) {
      oneLine = oneLine.substring(0, 1000) + "...";
    }
    return ("# " + Instant.now() + " " + oneLine + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
