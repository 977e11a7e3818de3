package io.atelier.gateway.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The on-disk record format. A record is one appended batch of line-protocol lines, preceded by a
 * header that is itself a line-protocol comment, so a segment file stays importable as it is:
 *
 * <pre>
 * #@ LLLLLLLL TTTTTTTTTTTT CCCCCCCC\n    (34 bytes)
 * line\n line\n ...                     (L bytes)
 * </pre>
 *
 * L is the payload length, T the append time in epoch ms, C the CRC32 (all lower-case hex) of the
 * first 25 header bytes followed by the payload, so a flipped bit anywhere, length and time
 * included, is detected. Fixed-width hex keeps parsing free of allocation.
 */
final class Frame {

  static final int HEADER_BYTES = 34;
  private static final int CRC_COVERED = 25;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Frame() {}

  /** Writes the header for {@code payload[0, length)} into {@code header} (34 bytes). */
  static void header(byte[] header, byte[] payload, int length, long appendMillis) {
    header[0] = '#';
    header[1] = '@';
    header[2] = ' ';
    hex(header, 3, length, 8);
    header[11] = ' ';
    hex(header, 12, appendMillis, 12);
    header[24] = ' ';
    CRC32 crc = new CRC32();
    crc.update(header, 0, CRC_COVERED);
    crc.update(payload, 0, length);
    hex(header, 25, crc.getValue(), 8);
    header[33] = '\n';
  }

  /**
   * The payload length if {@code b} holds a well-formed header at {@code p}, else -1. Says nothing
   * about the CRC; see {@link #end}.
   */
  static long payloadLength(ByteBuffer b, int p) {
    if (p + HEADER_BYTES > b.limit()
        || b.get(p) != '#'
        || b.get(p + 1) != '@'
        || b.get(p + 2) != ' '
        || b.get(p + 11) != ' '
        || b.get(p + 24) != ' '
        || b.get(p + 33) != '\n') {
      return -1;
    }
    long len = unhex(b, p + 3, 8);
    return unhex(b, p + 12, 12) < 0 || unhex(b, p + 25, 8) < 0 ? -1 : len;
  }

  static long appendMillis(ByteBuffer b, int p) {
    return unhex(b, p + 12, 12);
  }

  /**
   * The offset just past the record at {@code p} if it is complete and its CRC matches, else -1.
   * {@code b} is absolute-indexed; its limit is the end of the readable data.
   */
  static int end(ByteBuffer b, int p) {
    long len = payloadLength(b, p);
    if (len <= 0) {
      return -1;
    }
    long end = p + HEADER_BYTES + len;
    if (end > b.limit() || b.get((int) end - 1) != '\n') {
      return -1;
    }
    CRC32 crc = new CRC32();
    ByteBuffer covered = b.duplicate();
    covered.limit(p + CRC_COVERED).position(p);
    crc.update(covered);
    ByteBuffer payload = b.duplicate();
    payload.limit((int) end).position(p + HEADER_BYTES);
    crc.update(payload);
    return crc.getValue() == unhex(b, p + 25, 8) ? (int) end : -1;
  }

  /** True if the CRC in {@code header} matches it and {@code payload[offset, offset + length)}. */
  static boolean crcMatches(byte[] header, byte[] payload, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(header, 0, CRC_COVERED);
    crc.update(payload, offset, length);
    return crc.getValue() == unhex(ByteBuffer.wrap(header), 25, 8);
  }

  /**
   * The first offset after {@code from} where a valid record starts at the beginning of a line, or
   * the limit if none does: where reading can resume after corruption.
   */
  static int resync(ByteBuffer b, int from) {
    for (int q = from + 1; q < b.limit(); q++) {
      if (b.get(q - 1) == '\n' && b.get(q) == '#' && end(b, q) > 0) {
        return q;
      }
    }
    return b.limit();
  }

  /** Number of lines (points) in {@code payload[0, length)}. */
  static int lines(byte[] payload, int offset, int length) {
    int n = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      if (payload[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  private static void hex(byte[] dst, int at, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      dst[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  private static long unhex(ByteBuffer b, int at, int digits) {
    long v = 0;
    for (int i = 0; i < digits; i++) {
      int c = b.get(at + i);
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }
}
