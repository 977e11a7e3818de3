package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read-ahead stream and socket factory that sit under Paho's receiver on tcp://. */
@Timeout(30)
class ReadAheadInputStreamTest {

  /**
   * Hands out scripted chunks, like a socket: each read returns at most one chunk; a null chunk
   * throws a read timeout, as Paho's 1 s SO_TIMEOUT does while the connection is idle.
   */
  private static final class ScriptedStream extends InputStream {
    final Deque<byte[]> chunks = new ArrayDeque<>();
    int reads;
    int availableCalls;

    ScriptedStream add(byte[] chunk) {
      chunks.add(chunk);
      return this;
    }

    ScriptedStream timeout() {
      chunks.add(new byte[0]);
      return this;
    }

    @Override
    public int read() {
      throw new AssertionError("single-byte reads must not reach the socket");
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      reads++;
      byte[] c = chunks.poll();
      if (c == null) {
        return -1;
      }
      if (c.length == 0) {
        throw new SocketTimeoutException("Read timed out");
      }
      int n = Math.min(len, c.length);
      System.arraycopy(c, 0, b, off, n);
      if (n < c.length) {
        chunks.addFirst(Arrays.copyOfRange(c, n, c.length));
      }
      return n;
    }

    @Override
    public int available() {
      availableCalls++;
      byte[] c = chunks.peek();
      return c == null ? 0 : c.length;
    }
  }

  @Test
  void singleByteReadsAreServedFromOneUnderlyingRead() throws IOException {
    ScriptedStream raw = new ScriptedStream().add(new byte[] {0x30, 5, 'h', 'e', 'l', 'l', 'o'});
    ReadAheadInputStream in = new ReadAheadInputStream(raw, 64);
    DataInputStream data = new DataInputStream(in);

    assertThat(data.readByte()).isEqualTo((byte) 0x30);
    assertThat(data.readByte()).isEqualTo((byte) 5);
    assertThat(in.available()).isEqualTo(5);
    byte[] payload = new byte[5];
    data.readFully(payload);

    assertThat(new String(payload, "US-ASCII")).isEqualTo("hello");
    assertThat(raw.reads).isEqualTo(1);
    assertThat(raw.availableCalls).isZero();
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void aTimeoutConsumesNothingAndTheNextCallContinues() throws IOException {
    ScriptedStream raw =
        new ScriptedStream().add(new byte[] {1, 2}).timeout().add(new byte[] {3, 4});
    ReadAheadInputStream in = new ReadAheadInputStream(raw, 64);
    byte[] b = new byte[4];

    assertThat(in.read(b, 0, 4)).isEqualTo(2); // returns what one read gave, never blocks twice
    assertThatThrownBy(() -> in.read(b, 2, 2)).isInstanceOf(SocketTimeoutException.class);
    assertThatThrownBy(() -> new ReadAheadInputStream(raw, 64).read(new byte[1], 1, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(in.read(b, 2, 2)).isEqualTo(2);

    assertThat(b).containsExactly(1, 2, 3, 4);
  }

  @Test
  void readsLargerThanTheBufferGoStraightToTheCaller() throws IOException {
    byte[] big = new byte[1000];
    new Random(7).nextBytes(big);
    ScriptedStream raw = new ScriptedStream().add(new byte[] {9}).add(big);
    ReadAheadInputStream in = new ReadAheadInputStream(raw, 16);

    assertThat(in.read()).isEqualTo(9);
    byte[] out = new byte[1000];
    new DataInputStream(in).readFully(out);

    assertThat(out).isEqualTo(big);
    assertThat(raw.reads).isEqualTo(2);
  }

  @Test
  void randomChunkingNeverChangesTheBytes() throws IOException {
    Random r = new Random(42);
    byte[] all = new byte[200_000];
    r.nextBytes(all);
    ScriptedStream raw = new ScriptedStream();
    for (int at = 0; at < all.length; ) {
      int n = Math.min(all.length - at, 1 + r.nextInt(5000));
      raw.add(Arrays.copyOfRange(all, at, at + n));
      if (r.nextInt(10) == 0) {
        raw.timeout();
      }
      at += n;
    }
    ReadAheadInputStream in = new ReadAheadInputStream(raw, 4096);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    while (true) {
      int n;
      try {
        n = r.nextBoolean() ? in.read(b, 0, 1 + r.nextInt(b.length)) : single(in, b);
      } catch (SocketTimeoutException idle) {
        continue;
      }
      if (n < 0) {
        break;
      }
      got.write(b, 0, n);
    }
    assertThat(got.toByteArray()).isEqualTo(all);
  }

  private static int single(InputStream in, byte[] b) throws IOException {
    int c = in.read();
    if (c < 0) {
      return -1;
    }
    b[0] = (byte) c;
    return 1;
  }

  @Test
  void factorySocketsReadAheadOverRealTcp() throws IOException {
    byte[] sent = new byte[100_000];
    new Random(3).nextBytes(sent);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client =
            new BufferedSocketFactory(1024)
                .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      client.setSoTimeout(5_000);
      try (OutputStream out = peer.getOutputStream()) {
        out.write(sent);
        out.flush();
        InputStream in = client.getInputStream();
        assertThat(in).isInstanceOf(ReadAheadInputStream.class).isSameAs(client.getInputStream());
        byte[] got = new byte[sent.length];
        got[0] = (byte) in.read();
        new DataInputStream(in).readFully(got, 1, got.length - 1);
        assertThat(got).isEqualTo(sent);
      }
      // The peer closed: end of stream, not a hang.
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void emptyUnderlyingStreamIsTheEnd() throws IOException {
    ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(new byte[0]), 8);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    assertThat(in.available()).isZero();
  }
}
