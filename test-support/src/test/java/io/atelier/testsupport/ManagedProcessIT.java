package io.atelier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle and failure reporting of the generic child process, with /bin/sh as the child. */
@Timeout(30)
class ManagedProcessIT {

  @TempDir Path dir;

  private ManagedProcess.Builder shell(String script) {
    return ManagedProcess.builder("shell", Binaries.require("sh", "dash"))
        .args("-c", script)
        .workingDirectory(dir);
  }

  @Test
  void processThatDiesBeforeReadyFailsWithItsLogTail() {
    ManagedProcess process =
        shell("echo 'fatal: config is broken' >&2; exit 3").readiness(() -> false).build();

    assertThatThrownBy(process::start)
        .isInstanceOf(ProcessStartException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("fatal: config is broken");
    assertThat(process.isRunning()).isFalse();
  }

  @Test
  void processThatNeverGetsReadyIsKilledAfterTheStartTimeout() {
    ManagedProcess process =
        shell("echo still warming up; exec sleep 60")
            .readiness(() -> false)
            .startTimeout(Duration.ofMillis(500))
            .build();

    assertThatThrownBy(process::start)
        .isInstanceOf(ProcessStartException.class)
        .hasMessageContaining("not ready within")
        .hasMessageContaining("still warming up");
    assertThat(process.isRunning()).isFalse();
  }

  @Test
  void stopKillAndStartAgainWithTheSameCommand() {
    ManagedProcess process = shell("echo started; exec sleep 60").build();

    process.start();
    long firstPid = process.pid().orElseThrow();
    process.kill();
    assertThat(process.isRunning()).isFalse();

    process.start();
    assertThat(process.pid()).isPresent().isNotEqualTo(java.util.OptionalLong.of(firstPid));
    process.stop();

    assertThat(process.isRunning()).isFalse();
    assertThat(process.logTail()).contains("start #1").contains("start #2").contains("started");
  }
}
