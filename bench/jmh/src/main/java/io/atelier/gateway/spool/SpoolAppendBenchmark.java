package io.atelier.gateway.spool;

import io.atelier.bench.MachineSignals;
import io.atelier.gateway.influx.LineProtocolEncoder;
import io.atelier.gateway.influx.Precision;
import io.atelier.gateway.spool.SpoolSettings.FsyncPolicy;
import io.atelier.gateway.spool.SpoolSettings.FullPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link Spool#append} of one batch of 1,000 points (about 100 KB of line protocol, encoded once in
 * the set-up), per point, with {@code fsync: never} and {@code fsync: batch} (one {@code force} per
 * append, the default). The spool lives in a temporary directory ({@code java.io.tmpdir}, or {@code
 * -Djava.io.tmpdir=} to put it on the gateway's disk): the fsync figure is the disk's, not the
 * code's. The spool is bounded at 256 MiB with {@code drop-oldest}, so a long run deletes old 16
 * MiB segments as the gateway would when InfluxDB is away; nothing reads it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpoolAppendBenchmark {

  static final int POINTS = 1_000;

  @Param({"never", "batch"})
  String fsync;

  Path dir;
  Spool spool;
  byte[] record;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("atelier-jmh-spool");
    SpoolSettings settings =
        new SpoolSettings(
            dir,
            256L << 20,
            16L << 20,
            Duration.ofMinutes(10),
            FullPolicy.DROP_OLDEST,
            fsync.equals("batch") ? FsyncPolicy.BATCH : FsyncPolicy.NEVER,
            Duration.ofSeconds(1));
    spool = Spool.open(settings, "ms", "atelier", "", System::currentTimeMillis);
    StringBuilder lines = new StringBuilder();
    new LineProtocolEncoder(id -> Optional.of(MachineSignals.ref(id)), Precision.MS)
        .encode(MachineSignals.samples(POINTS, 50, 250, 1), lines);
    record = lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    spool.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @OperationsPerInvocation(POINTS)
  public void append() throws IOException {
    spool.append(record, record.length, POINTS);
  }
}
