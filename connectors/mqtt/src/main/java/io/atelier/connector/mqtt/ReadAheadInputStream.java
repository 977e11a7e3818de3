package io.atelier.connector.mqtt;

import java.io.IOException;
import java.io.InputStream;

/**
 * A read-ahead buffer over a socket's stream for a single reader thread (Paho's receiver), without
 * the per-call locking of {@link java.io.BufferedInputStream}.
 *
 * <p>Each call makes at most one read on the underlying stream, and only when the buffer is empty.
 * If that read throws (Paho's 1 s {@code SocketTimeoutException} while idle), nothing has been
 * consumed and the buffer is unchanged, so the caller can simply call again. {@link #available()}
 * answers from the buffer when it holds data, without a system call.
 */
final class ReadAheadInputStream extends InputStream {

  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int end;

  ReadAheadInputStream(InputStream in, int bufferBytes) {
    if (bufferBytes <= 0) {
      throw new IllegalArgumentException("buffer size must be positive: " + bufferBytes);
    }
    this.in = in;
    this.buf = new byte[bufferBytes];
  }

  @Override
  public int read() throws IOException {
    if (pos == end && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if ((off | len) < 0 || len > b.length - off) {
      throw new IndexOutOfBoundsException();
    }
    if (len == 0) {
      return 0;
    }
    int buffered = end - pos;
    if (buffered == 0) {
      if (len >= buf.length) {
        // A large payload: read straight into the caller's array, no double copy.
        return in.read(b, off, len);
      }
      if (!fill()) {
        return -1;
      }
      buffered = end - pos;
    }
    int n = Math.min(buffered, len);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Reads once into the empty buffer; false at end of stream. */
  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      // 0 cannot happen for a socket read of a non-empty array; treat it like the end.
      return false;
    }
    pos = 0;
    end = n;
    return true;
  }

  @Override
  public int available() throws IOException {
    int buffered = end - pos;
    return buffered > 0 ? buffered : in.available();
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    int buffered = end - pos;
    if (buffered > 0) {
      int k = (int) Math.min(buffered, n);
      pos += k;
      return k;
    }
    return in.skip(n);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
