package io.atelier.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

  @Test
  void parsesBinaryUnits() {
    assertThat(ByteSize.parse("1GiB")).hasValue(1L << 30);
    assertThat(ByteSize.parse("64MiB")).hasValue(64L << 20);
    assertThat(ByteSize.parse("512 KiB")).hasValue(512L << 10);
    assertThat(ByteSize.parse("1.5MB")).hasValue(3L << 19);
    assertThat(ByteSize.parse("4096")).hasValue(4096L);
    assertThat(ByteSize.parse("lots")).isEmpty();
    assertThat(ByteSize.parse("12 parsecs")).isEmpty();
  }

  @Test
  void formatsForMessages() {
    assertThat(ByteSize.format(1L << 30)).isEqualTo("1GiB");
    assertThat(ByteSize.format(3000)).isEqualTo("3000B");
  }
}
