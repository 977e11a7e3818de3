package io.atelier.connector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Utf8, Backoff, ClientIds, ByteSizes. */
class SmallPartsTest {

  @Test
  void utf8ValidatorAgreesWithTheJdkOnTrickyInput() {
    assertThat(Utf8.isValid("héllo €𝄞".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xC3})).isFalse(); // truncated
    assertThat(Utf8.isValid(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80}))
        .isFalse(); // overlong
    assertThat(Utf8.isValid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))
        .isFalse(); // surrogate
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
        .isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0x80})).isFalse();
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(8)];
      r.nextBytes(b);
      boolean jdk = isValidByJdk(b);
      assertThat(Utf8.isValid(b)).as(java.util.Arrays.toString(b)).isEqualTo(jdk);
    }
  }

  private static boolean isValidByJdk(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void backoffDoublesUpToTheCapWithJitter() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    long first = b.nextDelayMillis();
    assertThat(first).isBetween(80L, 120L);
    assertThat(b.nextDelayMillis()).isBetween(160L, 240L);
    for (int i = 0; i < 50; i++) {
      assertThat(b.nextDelayMillis()).isBetween(1L, 1_000L);
    }
    b.reset();
    assertThat(b.nextDelayMillis()).isBetween(80L, 120L);
  }

  @Test
  void clientIdsAreStableCleanAndBounded() {
    assertThat(ClientIds.build("plant broker", "gw-1.local"))
        .isEqualTo("atelier-plant_broker-gw-1_local");
    assertThat(ClientIds.build("a", "h")).isEqualTo(ClientIds.build("a", "h"));
    String longId = ClientIds.build("x".repeat(100), "host");
    assertThat(longId).hasSize(ClientIds.MAX_LENGTH);
    assertThat(longId).isNotEqualTo(ClientIds.build("x".repeat(99), "host"));
  }

  @Test
  void sizesAcceptUnits() {
    assertThat(ByteSizes.parse("256KiB")).contains(262_144L);
    assertThat(ByteSizes.parse("64 MiB")).contains(64L << 20);
    assertThat(ByteSizes.parse("1000")).contains(1000L);
    assertThat(ByteSizes.parse("lots")).isEmpty();
  }
}
