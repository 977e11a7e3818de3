package io.atelier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BinariesTest {

  @Test
  void findsAShellEveryLinuxHas() {
    assertThat(Binaries.find("sh")).hasValueSatisfying(path -> assertThat(path).isExecutable());
  }

  @Test
  void missingBinaryNamesTheDebianPackageAndTheInstallCommand() {
    assertThatThrownBy(() -> Binaries.require("atelier-no-such-binary", "atelier-pkg"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'atelier-no-such-binary'")
        .hasMessageContaining("Debian package 'atelier-pkg'")
        .hasMessageContaining("apt-get install -y --no-install-recommends atelier-pkg");
  }
}
