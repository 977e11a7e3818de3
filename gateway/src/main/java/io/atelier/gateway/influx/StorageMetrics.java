package io.atelier.gateway.influx;

import io.atelier.gateway.influx.StorageHealth.Status;
import io.atelier.gateway.spool.SpoolStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Plain counters and gauges of the storage path, safe to read from any thread. Counts are in points
 * (one point per sample). A Micrometer binder can read {@link #snapshot()}.
 */
public final class StorageMetrics {

  /** How long after a drop /ready keeps saying DEGRADED. */
  static final Duration DROP_ALARM = Duration.ofMinutes(5);

  final LongAdder spooled = new LongAdder();
  final LongAdder skipped = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder written = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder requests = new LongAdder();
  final LongAdder failedRequests = new LongAdder();
  final LongAdder splits = new LongAdder();
  private final AtomicLong latencyTotalNanos = new AtomicLong();
  private final AtomicLong latencyMaxNanos = new AtomicLong();
  private volatile long lastLatencyNanos;

  private final Supplier<SpoolStats> spool;
  private final LongSupplier clock;
  private final boolean writerConfigured;
  private volatile String api = "";
  private volatile String writerProblem = "";
  private volatile Instant writerProblemSince = Instant.EPOCH;
  private volatile String spoolProblem = "";

  StorageMetrics(Supplier<SpoolStats> spool, LongSupplier clock, boolean writerConfigured) {
    this.spool = spool;
    this.clock = clock;
    this.writerConfigured = writerConfigured;
  }

  /**
   * Everything at once.
   *
   * @param api the write API in use ({@code v1}, {@code v2}), empty until probed, {@code none}
   *     without InfluxDB
   * @param spooled points appended to the spool
   * @param skipped samples not written because they carry no value (BAD quality) or NaN
   * @param rejected samples that could not be encoded (unknown machine); in the dead-letter file
   * @param written points InfluxDB accepted
   * @param deadLettered points InfluxDB refused (400/422/413 alone); in the dead-letter file
   * @param dropped unwritten points deleted because the spool was full (drop-oldest)
   * @param spoolBytes disk used by the spool
   * @param pending points in the spool not yet written
   * @param oldestPendingAge how long the oldest unwritten point has waited in the spool
   * @param requests write requests sent
   * @param failedRequests of those, the ones that failed (any non-2xx or network error)
   * @param retries requests retried after a wait
   * @param splits batches split (413, or bisecting a 400/422 to find the bad lines)
   * @param meanLatency mean write latency
   * @param maxLatency longest write latency
   * @param lastLatency latest write latency
   */
  public record Snapshot(
      String api,
      long spooled,
      long skipped,
      long rejected,
      long written,
      long deadLettered,
      long dropped,
      long spoolBytes,
      long pending,
      Duration oldestPendingAge,
      long requests,
      long failedRequests,
      long retries,
      long splits,
      Duration meanLatency,
      Duration maxLatency,
      Duration lastLatency) {}

  public Snapshot snapshot() {
    SpoolStats s = spool.get();
    long n = requests.sum();
    long mean = n == 0 ? 0 : latencyTotalNanos.get() / n;
    return new Snapshot(
        writerConfigured ? api : "none",
        spooled.sum(),
        skipped.sum(),
        rejected.sum(),
        written.sum(),
        deadLettered.sum(),
        s.droppedPoints(),
        s.bytes(),
        s.pendingPoints(),
        age(s.oldestPendingMillis()),
        n,
        failedRequests.sum(),
        retries.sum(),
        splits.sum(),
        Duration.ofNanos(mean),
        Duration.ofNanos(latencyMaxNanos.get()),
        Duration.ofNanos(lastLatencyNanos));
  }

  /** UP, or DEGRADED/DOWN with every reason. */
  public StorageHealth health() {
    List<String> reasons = new ArrayList<>();
    Status status = Status.UP;
    if (!spoolProblem.isEmpty()) {
      reasons.add("spool: " + spoolProblem);
      status = Status.DOWN;
    }
    SpoolStats s = spool.get();
    if (s.full()) {
      reasons.add("spool full: refusing new samples (backpressure)");
    }
    OptionalLong lastDrop = s.lastDropMillis();
    if (lastDrop.isPresent() && clock.getAsLong() - lastDrop.getAsLong() < DROP_ALARM.toMillis()) {
      reasons.add("spool full: " + s.droppedPoints() + " unwritten point(s) dropped since start");
    }
    String problem = writerProblem;
    if (!problem.isEmpty()) {
      reasons.add(
          "InfluxDB writer failing since "
              + writerProblemSince
              + ": "
              + problem
              + " ("
              + s.pendingPoints()
              + " point(s) kept in the spool)");
    }
    if (status == Status.UP && !reasons.isEmpty()) {
      status = Status.DEGRADED;
    }
    return new StorageHealth(status, reasons);
  }

  void latency(long nanos) {
    requests.increment();
    latencyTotalNanos.addAndGet(nanos);
    latencyMaxNanos.accumulateAndGet(nanos, Math::max);
    lastLatencyNanos = nanos;
  }

  void api(String resolved) {
    api = resolved;
  }

  void writerProblem(String reason) {
    if (writerProblem.isEmpty()) {
      writerProblemSince = Instant.ofEpochMilli(clock.getAsLong());
    }
    writerProblem = reason;
  }

  void writerOk() {
    writerProblem = "";
  }

  /** The current writer problem, empty when writing works. */
  public String writerProblem() {
    return writerProblem;
  }

  void spoolProblem(String reason) {
    spoolProblem = reason;
  }

  private Duration age(OptionalLong since) {
    return since.isEmpty()
        ? Duration.ZERO
        : Duration.ofMillis(Math.max(0, clock.getAsLong() - since.getAsLong()));
  }
}
