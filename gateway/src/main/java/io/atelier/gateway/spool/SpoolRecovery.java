package io.atelier.gateway.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check of one segment: every record from the checkpoint on is verified; a corrupt or
 * truncated part (a crash mid-write, a bad disk block) is moved to {@code quarantine/} and cut out
 * of the segment, and every valid record after it is kept.
 */
final class SpoolRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(SpoolRecovery.class);

  /** What survived of a segment (nothing if it was unusable) and how much was moved aside. */
  record Recovered(Optional<SpoolSegment> segment, long quarantinedBytes) {}

  private SpoolRecovery() {}

  /**
   * Checks {@code file} from {@code fromOffset} (0 = from the first record) and returns the segment
   * to replay; none if nothing usable is left (the file is then deleted or quarantined).
   */
  static Recovered recover(Path file, long id, long fromOffset, Path quarantine)
      throws IOException {
    long fileSize = Files.size(file);
    if (fileSize == 0) {
      // Created, then the process died before the header reached the disk.
      Files.delete(file);
      return new Recovered(Optional.empty(), 0);
    }
    if (fileSize > Integer.MAX_VALUE) {
      LOG.error("Spool segment {} is larger than 2 GiB; moved to quarantine", file);
      moveToQuarantine(file, quarantine);
      return new Recovered(Optional.empty(), fileSize);
    }
    MappedByteBuffer b;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      b = ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
    }
    Optional<String> precision = precision(b);
    if (precision.isEmpty()) {
      LOG.error("Spool segment {} has no valid header; moved to quarantine", file);
      moveToQuarantine(file, quarantine);
      return new Recovered(Optional.empty(), fileSize);
    }
    int dataStart = dataStart(b);
    int size = (int) fileSize;
    int start = (int) Math.min(Math.max(fromOffset, dataStart), size);
    List<int[]> bad = new ArrayList<>();
    long points = 0;
    int p = start;
    while (p < size) {
      int end = Frame.end(b, p);
      if (end > 0) {
        points += lines(b, p + Frame.HEADER_BYTES, end);
        p = end;
      } else {
        int q = Frame.resync(b, p);
        bad.add(new int[] {p, q});
        p = q;
      }
    }
    long quarantined = 0;
    if (!bad.isEmpty()) {
      quarantined = cutOut(file, b, start, size, bad, quarantine);
      size -= (int) quarantined;
    }
    SpoolSegment segment =
        new SpoolSegment(
            id, file, precision.get(), dataStart, size, Files.getLastModifiedTime(file).toMillis());
    segment.pendingPoints = points;
    return new Recovered(Optional.of(segment), quarantined);
  }

  /** The precision named in the first header line, if the header is ours. */
  private static Optional<String> precision(ByteBuffer b) {
    int eol = indexOf(b, 0, (byte) '\n');
    if (eol < 0) {
      return Optional.empty();
    }
    byte[] first = new byte[eol];
    b.get(0, first);
    String line = new String(first, StandardCharsets.UTF_8);
    if (!line.startsWith(SpoolSegment.MAGIC)) {
      return Optional.empty();
    }
    int at = line.indexOf(" precision=");
    return at < 0 ? Optional.empty() : Optional.of(line.substring(at + 11).trim());
  }

  /** Just past the header: the first line that is not a {@code "# "} comment. */
  private static int dataStart(ByteBuffer b) {
    int p = 0;
    while (p + 1 < b.limit() && b.get(p) == '#' && b.get(p + 1) == ' ') {
      int eol = indexOf(b, p, (byte) '\n');
      if (eol < 0) {
        return p;
      }
      p = eol + 1;
    }
    return p;
  }

  private static long cutOut(
      Path file, ByteBuffer b, int start, int size, List<int[]> bad, Path quarantine)
      throws IOException {
    Files.createDirectories(quarantine);
    long removed = 0;
    for (int[] range : bad) {
      Path aside =
          quarantine.resolve(file.getFileName() + "." + range[0] + "-" + range[1] + ".bad");
      write(aside, b, range[0], range[1]);
      removed += range[1] - range[0];
      LOG.error(
          "Spool segment {}: {} corrupt or truncated byte(s) at offset {} moved to {}; the records"
              + " after them are kept",
          file.getFileName(),
          range[1] - range[0],
          range[0],
          aside);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      int p = 0;
      for (int[] range : bad) {
        copy(out, b, p, range[0]);
        p = range[1];
      }
      copy(out, b, p, size);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return removed;
  }

  private static void moveToQuarantine(Path file, Path quarantine) throws IOException {
    Files.createDirectories(quarantine);
    Files.move(
        file, quarantine.resolve(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void write(Path target, ByteBuffer b, int from, int to) throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      copy(out, b, from, to);
    }
  }

  private static void copy(OutputStream out, ByteBuffer b, int from, int to) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    for (int p = from; p < to; ) {
      int n = Math.min(chunk.length, to - p);
      b.get(p, chunk, 0, n);
      out.write(chunk, 0, n);
      p += n;
    }
  }

  static long lines(ByteBuffer b, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      if (b.get(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static int indexOf(ByteBuffer b, int from, byte value) {
    for (int i = from; i < b.limit(); i++) {
      if (b.get(i) == value) {
        return i;
      }
    }
    return -1;
  }
}
