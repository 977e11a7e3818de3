package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.testsupport.InfluxExtension;
import io.atelier.testsupport.InfluxServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway killed with SIGKILL while InfluxDB is down and samples wait in the spool: after a
 * restart on the same spool, every spooled point lands, and the points written before the crash are
 * not sent again (the checkpoint holds), so none lands twice. The storage path runs in a child JVM
 * ({@link SpoolWriterMain}) so that it can really be killed.
 */
@Timeout(180)
class InfluxCrashIT {

  @RegisterExtension static final InfluxExtension influx = new InfluxExtension();

  @TempDir Path dir;

  /** A child JVM running {@link SpoolWriterMain}, spoken to over stdin/stdout. */
  private static final class Child implements AutoCloseable {
    final Process process;
    final Writer in;
    final BlockingQueue<String> out = new LinkedBlockingQueue<>();

    Child(Path dir, String url, String log) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  SpoolWriterMain.class.getName(),
                  dir.resolve("storage").toString(),
                  url,
                  "crash")
              .redirectErrorStream(true)
              .start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    out.add(line);
                    System.out.println("[" + log + "] " + line); // the child's log, for failures
                  }
                } catch (IOException e) {
                  // The process died; the test notices missing answers.
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    void send(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
    }

    /** The next output line starting with {@code prefix}, skipping log lines. */
    String expect(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = out.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line;
        }
      }
      throw new AssertionError("no '" + prefix + "' from the child within " + timeout);
    }

    long stat(String name) throws Exception {
      send("stats");
      String line = expect("STATS", Duration.ofSeconds(10));
      for (String part : line.split(" ")) {
        if (part.startsWith(name + "=")) {
          return Long.parseLong(part.substring(name.length() + 1));
        }
      }
      throw new AssertionError("no " + name + " in " + line);
    }

    @Override
    public void close() {
      try {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void allSpooledPointsLandOnceAfterTheGatewayIsKilledDuringAnOutage() throws Exception {
    InfluxServer server = influx.server();
    server.createDatabase("crash");
    Path checkpoint = dir.resolve("storage/spool/checkpoint");

    try (Child first = new Child(dir, server.url(), "first.log")) {
      first.send("append 0 20000");
      first.expect("SPOOLED 20000", Duration.ofSeconds(60));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> first.stat("pending") == 0);
      FileTime written = FileTime.fromMillis(System.currentTimeMillis());
      // The checkpoint is saved within a second of the last write.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Files.exists(checkpoint)
                      && Files.getLastModifiedTime(checkpoint).compareTo(written) > 0);
      assertThat(server.countField("crash", "signals", "seq")).isEqualTo(20_000);

      server.stop();
      first.send("append 20000 30000");
      first.expect("SPOOLED 50000", Duration.ofSeconds(60));
      assertThat(first.stat("pending")).isEqualTo(30_000);

      first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
      assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    server.start();
    try (Child second = new Child(dir, server.url(), "second.log")) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> server.countField("crash", "signals", "seq") >= 50_000);
      assertThat(server.count("crash", "signals")).isEqualTo(50_000);
      assertThat(server.rows("crash", "SELECT sum(seq) FROM signals").get(0).get("sum").asLong())
          .isEqualTo(50_000L * 49_999 / 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> second.stat("pending") == 0);
      // Only what was spooled during the outage was sent again, not the 20,000 written before.
      assertThat(second.stat("written")).isEqualTo(30_000);

      second.in.close();
      second.expect("STOPPED", Duration.ofSeconds(30));
      assertThat(second.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(second.process.exitValue()).isZero();
    }
  }
}
