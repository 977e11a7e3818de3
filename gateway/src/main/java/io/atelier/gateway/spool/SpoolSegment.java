package io.atelier.gateway.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One append-only segment file: a header of comment lines, then records (see {@link Frame}). The
 * header makes the file importable as it is, by {@code influx -import} (1.x) or {@code influx
 * write} (2.x). Mutable state is guarded by the owning {@link Spool}.
 */
final class SpoolSegment {

  static final String SUFFIX = ".lp";
  static final String MAGIC = "# atelier-spool v1 ";

  final long id;
  final Path path;
  final String precision;
  final long dataStart;
  final long createdMillis;

  /** Bytes of complete records (plus header); readers never look beyond. */
  long size;

  /** Points not yet acknowledged by the writer. */
  long pendingPoints;

  /** Of those, points the writer has read (in flight). */
  long readPoints;

  boolean active;
  private FileChannel channel;

  SpoolSegment(
      long id, Path path, String precision, long dataStart, long size, long createdMillis) {
    this.id = id;
    this.path = path;
    this.precision = precision;
    this.dataStart = dataStart;
    this.size = size;
    this.createdMillis = createdMillis;
  }

  static String fileName(long id) {
    return String.format("%012d%s", id, SUFFIX);
  }

  static OptionalLong idOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX) || name.length() != 12 + SUFFIX.length()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(name.substring(0, 12)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The header lines; see the class comment. */
  static String header(long id, String precision, String database, String retentionPolicy) {
    StringBuilder h = new StringBuilder();
    h.append(MAGIC)
        .append("segment=")
        .append(id)
        .append(" precision=")
        .append(precision)
        .append('\n');
    h.append("# InfluxDB line protocol, timestamps in ")
        .append(precision)
        .append("; lines starting with '#' are comments. Import with\n");
    h.append("#   influx -import -path=")
        .append(fileName(id))
        .append(" -precision=")
        .append(precision.equals("ns") ? "n" : precision.equals("us") ? "u" : precision)
        .append("   (InfluxDB 1.x)\n");
    h.append("#   influx write --bucket <bucket> --precision ")
        .append(precision)
        .append(" --file ")
        .append(fileName(id))
        .append("   (InfluxDB 2.x/3.x)\n");
    // influx -import reads the database from these two lines.
    h.append("# DML\n");
    h.append("# CONTEXT-DATABASE: ").append(database).append('\n');
    if (!retentionPolicy.isEmpty()) {
      h.append("# CONTEXT-RETENTION-POLICY: ").append(retentionPolicy).append('\n');
    }
    return h.toString();
  }

  /** Creates a new, empty segment file with its header. */
  static SpoolSegment create(
      Path dir,
      long id,
      String precision,
      String database,
      String retentionPolicy,
      long nowMillis,
      boolean force)
      throws IOException {
    Path path = dir.resolve(fileName(id));
    byte[] header =
        header(id, precision, database, retentionPolicy).getBytes(StandardCharsets.UTF_8);
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer buf = ByteBuffer.wrap(header);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (force) {
        ch.force(true);
      }
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    SpoolSegment s = new SpoolSegment(id, path, precision, header.length, header.length, nowMillis);
    s.channel = ch;
    s.active = true;
    return s;
  }

  /** The file, opened for reading on first use (sealed segments do not hold a descriptor). */
  FileChannel channel() throws IOException {
    if (channel == null || !channel.isOpen()) {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    }
    return channel;
  }

  void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing to recover: the descriptor is gone either way.
      }
      channel = null;
    }
  }

  /** Writes all of {@code buffers} at the current end; the caller publishes the new size. */
  void write(ByteBuffer[] buffers, long at) throws IOException {
    FileChannel ch = channel;
    long pos = at;
    for (ByteBuffer b : buffers) {
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
    }
  }

  void force() throws IOException {
    if (channel != null && channel.isOpen()) {
      channel.force(false);
    }
  }
}
