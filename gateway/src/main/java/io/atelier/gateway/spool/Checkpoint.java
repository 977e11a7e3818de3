package io.atelier.gateway.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Where the writer is: everything before {@code offset} in segment {@code segment} (and every older
 * segment) is in InfluxDB. Saved atomically (temporary file, then rename) with a CRC; a stale
 * checkpoint only makes the writer send some points again, which InfluxDB absorbs because a point
 * with the same series and timestamp overwrites itself.
 */
record Checkpoint(long segment, long offset) {

  static final String FILE = "checkpoint";

  static Optional<Checkpoint> read(Path dir) throws IOException {
    String text;
    try {
      text = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    // segment=<n> offset=<n> crc=<hex>
    String[] parts = text.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("crc=")) {
      return Optional.empty();
    }
    String body = parts[0] + " " + parts[1];
    if (!Long.toHexString(crc(body)).equals(parts[2].substring(4))
        || !parts[0].startsWith("segment=")
        || !parts[1].startsWith("offset=")) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Checkpoint(
              Long.parseLong(parts[0].substring(8)), Long.parseLong(parts[1].substring(7))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  void write(Path dir, boolean force) throws IOException {
    String body = "segment=" + segment + " offset=" + offset;
    byte[] bytes =
        (body + " crc=" + Long.toHexString(crc(body)) + "\n").getBytes(StandardCharsets.US_ASCII);
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(bytes));
      if (force) {
        ch.force(true);
      }
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  private static long crc(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.US_ASCII));
    return crc.getValue();
  }
}
