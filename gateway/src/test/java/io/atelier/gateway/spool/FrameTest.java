package io.atelier.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameTest {

  private static byte[] frame(String payload, long time) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    byte[] header = new byte[Frame.HEADER_BYTES];
    Frame.header(header, p, p.length, time);
    byte[] out = new byte[header.length + p.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(p, 0, out, header.length, p.length);
    return out;
  }

  @Test
  void aValidRecordEndsWhereItsPayloadEnds() {
    byte[] f = frame("signals v=1i 1\nsignals v=2i 2\n", 1_700_000_000_123L);
    ByteBuffer b = ByteBuffer.wrap(f);
    assertThat(Frame.end(b, 0)).isEqualTo(f.length);
    assertThat(Frame.appendMillis(b, 0)).isEqualTo(1_700_000_000_123L);
    assertThat(new String(f, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("#@ ");
  }

  // Every single flipped bit, in the header or the payload, must be caught: that is what lets
  // recovery trust what it replays.
  @Test
  void theCrcDetectsEveryFlippedBit() {
    byte[] f = frame("signals,machine=cnc-01 spindle_speed=1200.5 1700000000000\n", 42);
    for (int i = 0; i < f.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = f.clone();
        copy[i] ^= (byte) (1 << bit);
        assertThat(Frame.end(ByteBuffer.wrap(copy), 0)).as("byte %d bit %d", i, bit).isEqualTo(-1);
      }
    }
  }

  @Test
  void resyncFindsTheNextValidRecordAfterGarbage() {
    byte[] a = frame("a v=1 1\n", 1);
    byte[] c = frame("c v=3 3\n", 3);
    byte[] garbage = "#@ 0000ffff zz\nnot a record\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(a.length + garbage.length + c.length);
    b.put(a).put(garbage).put(c).flip();
    assertThat(Frame.end(b, a.length)).isEqualTo(-1);
    assertThat(Frame.resync(b, a.length)).isEqualTo(a.length + garbage.length);
  }
}
