package io.atelier.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atelier.gateway.spool.SpoolSettings.FsyncPolicy;
import io.atelier.gateway.spool.SpoolSettings.FullPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SpoolTest {

  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

  private SpoolSettings settings(long maxBytes, long segmentBytes, FullPolicy policy) {
    return new SpoolSettings(
        dir.resolve("spool"),
        maxBytes,
        segmentBytes,
        Duration.ofMinutes(10),
        policy,
        FsyncPolicy.BATCH,
        Duration.ofSeconds(1));
  }

  private Spool open(SpoolSettings s) throws IOException {
    return Spool.open(s, "ms", "atelier", "", clock::get);
  }

  private Spool open() throws IOException {
    return open(settings(1L << 30, 64L << 20, FullPolicy.DROP_OLDEST));
  }

  private static String record(int first, int count) {
    StringBuilder b = new StringBuilder();
    for (int i = first; i < first + count; i++) {
      b.append("signals,machine=m v=").append(i).append("i ").append(1000 + i).append('\n');
    }
    return b.toString();
  }

  private static void append(Spool spool, String lines) throws IOException {
    byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
    spool.append(bytes, bytes.length, (int) lines.chars().filter(c -> c == '\n').count());
  }

  /** Reads and acknowledges everything, returning the lines in order. */
  private static List<String> drain(Spool spool) throws IOException {
    List<String> lines = new ArrayList<>();
    Optional<SpoolBatch> batch;
    while ((batch = spool.read(1_000)).isPresent()) {
      lines.addAll(lines(batch.get()));
      spool.ack(batch.get());
    }
    return lines;
  }

  private static List<String> lines(SpoolBatch batch) {
    String text = new String(batch.body(), StandardCharsets.UTF_8);
    List<String> out = List.of(text.split("\n"));
    assertThat(out).hasSize(batch.points());
    return out;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      return files.filter(p -> p.toString().endsWith(".lp")).sorted().toList();
    }
  }

  @Test
  void readsRecordsInOrderAndForgetsThemOnceAcknowledged() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 3));
      append(spool, record(3, 2));
      assertThat(spool.stats().pendingPoints()).isEqualTo(5);
      assertThat(spool.unreadPoints()).isEqualTo(5);

      SpoolBatch batch = spool.read(100).orElseThrow();
      assertThat(batch.points()).isEqualTo(5);
      assertThat(batch.precision()).isEqualTo("ms");
      assertThat(batch.firstAppendMillis()).isEqualTo(clock.get());
      assertThat(new String(batch.body(), StandardCharsets.UTF_8)).isEqualTo(record(0, 5));
      assertThat(spool.unreadPoints()).isZero();
      assertThat(spool.read(100)).isEmpty();

      spool.ack(batch);
      assertThat(spool.stats().pendingPoints()).isZero();
      assertThat(spool.stats().oldestPendingMillis()).isEmpty();
    }
    try (Spool again = open()) {
      assertThat(again.read(100)).isEmpty();
    }
  }

  @Test
  void aBatchHoldsWholeRecordsUpToTheLimitButAtLeastOne() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 3));
      append(spool, record(3, 3));
      append(spool, record(6, 10));
      assertThat(spool.read(5).orElseThrow().points()).isEqualTo(3);
      assertThat(spool.read(6).orElseThrow().points()).isEqualTo(3);
      assertThat(spool.read(5).orElseThrow().points()).isEqualTo(10);
    }
  }

  // Replay after a restart starts at the checkpoint: written points are not sent again, unwritten
  // ones (read but never acknowledged) are.
  @Test
  void replaysFromTheCheckpointAfterARestart() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 2));
      append(spool, record(2, 2));
      append(spool, record(4, 2));
      spool.ack(spool.read(2).orElseThrow());
      spool.read(2).orElseThrow(); // in flight when the gateway stops: not acknowledged
    }
    try (Spool again = open()) {
      assertThat(again.stats().pendingPoints()).isEqualTo(4);
      assertThat(drain(again)).containsExactlyElementsOf(List.of(record(2, 4).split("\n")));
    }
  }

  @Test
  void rotatesSegmentsBySizeAndDeletesThemOnceWritten() throws IOException {
    try (Spool spool = open(settings(1L << 20, 1_000, FullPolicy.DROP_OLDEST))) {
      for (int i = 0; i < 20; i++) {
        append(spool, record(i * 5, 5));
      }
      assertThat(segmentFiles()).hasSizeGreaterThan(5);
      assertThat(drain(spool)).hasSize(100);
      // Only the active segment is left.
      assertThat(segmentFiles()).hasSize(1);
      assertThat(spool.stats().segments()).isEqualTo(1);
    }
  }

  @Test
  void rotatesSegmentsByAge() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 1));
      spool.maintain();
      assertThat(segmentFiles()).hasSize(1);
      clock.addAndGet(Duration.ofMinutes(10).toMillis());
      spool.maintain();
      append(spool, record(1, 1));
      assertThat(segmentFiles()).hasSize(2);
      assertThat(drain(spool)).hasSize(2);
    }
  }

  @Test
  void dropOldestDeletesTheOldestSegmentsAndCountsTheirPoints() throws IOException {
    try (Spool spool = open(settings(4_000, 1_000, FullPolicy.DROP_OLDEST))) {
      for (int i = 0; i < 40; i++) {
        append(spool, record(i * 5, 5));
      }
      SpoolStats stats = spool.stats();
      assertThat(stats.bytes()).isLessThanOrEqualTo(4_000);
      assertThat(stats.droppedPoints()).isPositive();
      assertThat(stats.full()).isFalse();
      List<String> kept = drain(spool);
      assertThat(kept.size() + stats.droppedPoints()).isEqualTo(200);
      // The newest data wins.
      assertThat(kept).endsWith(record(195, 5).split("\n"));
      assertThat(kept.get(0)).isNotEqualTo(record(0, 1).trim());
    }
  }

  @Test
  void backpressureRefusesWhenFullAndAcceptsAgainOnceWritten() throws IOException {
    try (Spool spool = open(settings(4_000, 1_000, FullPolicy.BACKPRESSURE))) {
      int appended = 0;
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 100; i++) {
                  append(spool, record(i * 5, 5));
                }
              })
          .isInstanceOf(SpoolFullException.class);
      SpoolStats stats = spool.stats();
      assertThat(stats.full()).isTrue();
      assertThat(stats.droppedPoints()).isZero();
      appended = (int) stats.appendedPoints();
      assertThat(drain(spool)).hasSize(appended);

      append(spool, record(1_000, 5));
      assertThat(spool.stats().full()).isFalse();
      assertThat(drain(spool)).containsExactly(record(1_000, 5).split("\n"));
    }
  }

  @Test
  void aCorruptRecordAtStartUpIsQuarantinedAndTheRestReplayed() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 3));
      append(spool, record(3, 3));
      append(spool, record(6, 3));
    }
    Path segment = segmentFiles().get(0);
    byte[] bytes = Files.readAllBytes(segment);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int middle = text.indexOf("v=4i");
    bytes[middle + 2] = '7'; // a flipped digit inside the second record
    Files.write(segment, bytes);

    try (Spool again = open()) {
      assertThat(again.stats().quarantinedBytes()).isPositive();
      List<String> lines = drain(again);
      List<String> expected = new ArrayList<>(List.of(record(0, 3).split("\n")));
      expected.addAll(List.of(record(6, 3).split("\n")));
      assertThat(lines).containsExactlyElementsOf(expected);
    }
    try (Stream<Path> aside = Files.list(dir.resolve("spool/quarantine"))) {
      List<Path> files = aside.toList();
      assertThat(files).hasSize(1);
      assertThat(Files.readString(files.get(0))).contains("v=7i").contains("v=5i");
    }
  }

  @Test
  void aTruncatedTailIsQuarantinedAndTheRecordsBeforeItReplayed() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 2));
      append(spool, record(2, 2));
    }
    Path segment = segmentFiles().get(0);
    byte[] bytes = Files.readAllBytes(segment);
    Files.write(segment, java.util.Arrays.copyOf(bytes, bytes.length - 7)); // a crash mid-write

    try (Spool again = open()) {
      assertThat(drain(again)).containsExactly(record(0, 2).split("\n"));
      assertThat(again.stats().quarantinedBytes()).isPositive();
    }
    assertThat(Files.list(dir.resolve("spool/quarantine")).count()).isEqualTo(1);
  }

  @Test
  void segmentFilesAreImportableLineProtocol() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 3));
      append(spool, record(3, 2));
    }
    List<String> lines = Files.readAllLines(segmentFiles().get(0));
    assertThat(lines).contains("# DML", "# CONTEXT-DATABASE: atelier");
    assertThat(lines.stream().filter(l -> !l.startsWith("#")))
        .containsExactly(record(0, 5).split("\n"));
    assertThat(lines.get(0)).startsWith("# atelier-spool v1 segment=1 precision=ms");
  }

  @Test
  void aCorruptCheckpointMeansReplayingEverything() throws IOException {
    try (Spool spool = open()) {
      append(spool, record(0, 2));
      spool.ack(spool.read(10).orElseThrow());
      append(spool, record(2, 2));
    }
    Files.writeString(dir.resolve("spool/checkpoint"), "segment=1 offset=999999 crc=0\n");
    try (Spool again = open()) {
      assertThat(drain(again)).hasSize(4);
    }
  }

  @Test
  void reportsTheAgeOfTheOldestPendingPoint() throws IOException {
    try (Spool spool = open()) {
      long first = clock.get();
      append(spool, record(0, 1));
      clock.addAndGet(5_000);
      append(spool, record(1, 1));
      assertThat(spool.stats().oldestPendingMillis()).hasValue(first);
      spool.ack(spool.read(1).orElseThrow());
      assertThat(spool.stats().oldestPendingMillis()).hasValue(first + 5_000);
    }
  }

  @Test
  void refusesRecordsThatAreNotWholeLines() throws IOException {
    try (Spool spool = open()) {
      byte[] bad = "no newline".getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> spool.append(bad, bad.length, 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // The appender and the writer run on different threads, across many rotations, with records of
  // every size: the writer must see every line once, in order, and never a false corruption.
  @Test
  void aConcurrentReaderSeesEveryLineOnceInOrderAcrossRotations() throws Exception {
    try (Spool spool = open(settings(1L << 30, 10_000, FullPolicy.DROP_OLDEST))) {
      int total = 20_000;
      Thread appender =
          new Thread(
              () -> {
                java.util.Random random = new java.util.Random(1);
                int next = 0;
                try {
                  while (next < total) {
                    int n = Math.min(1 + random.nextInt(60), total - next);
                    append(spool, record(next, n));
                    next += n;
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      appender.start();
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (seen.size() < total && System.nanoTime() < deadline) {
        Optional<SpoolBatch> batch = spool.read(1 + seen.size() % 97);
        if (batch.isPresent()) {
          seen.addAll(lines(batch.get()));
          spool.ack(batch.get());
        } else {
          Thread.onSpinWait();
        }
      }
      appender.join(10_000);
      assertThat(seen).containsExactly(record(0, total).split("\n"));
      assertThat(spool.stats().quarantinedBytes()).isZero();
      assertThat(segmentFiles()).hasSize(1);
    }
  }
}
