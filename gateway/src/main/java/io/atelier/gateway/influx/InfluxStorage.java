package io.atelier.gateway.influx;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.influx.LineProtocolEncoder.Rejection;
import io.atelier.gateway.pipeline.PipelineConsumer;
import io.atelier.gateway.spool.Spool;
import io.atelier.gateway.spool.SpoolFullException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage path as one pipeline consumer: samples are encoded as line protocol and appended to
 * the {@link Spool} on a thread of its own; the batch's future completes once the spool has them
 * (fsynced, under the default policy), which is what lets MQTT acknowledge upstream. An {@link
 * InfluxWriter} drains the spool when InfluxDB is configured; without it the spool keeps bounded,
 * importable segment files.
 *
 * <p>Life cycle: {@link #open} (blocking: recovers the spool), {@link #start}, then the pipeline
 * calls {@link #accept}; {@link #stop} after the pipeline has drained.
 */
public final class InfluxStorage implements PipelineConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(InfluxStorage.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final StorageSettings settings;
  private final Spool spool;
  private final LineProtocolEncoder encoder;
  private final DeadLetterFile deadLetters;
  private final StorageMetrics metrics;
  private final Optional<InfluxWriter> writer;
  private final ScheduledExecutorService appender;
  private final StringBuilder lines = new StringBuilder(64 * 1024);
  private final AtomicLong lastRejectionLog = new AtomicLong();
  private CompletableFuture<Void> stopping;

  private InfluxStorage(
      StorageSettings settings, Spool spool, Function<String, Optional<MachineRef>> machines) {
    this.settings = settings;
    this.spool = spool;
    this.encoder = new LineProtocolEncoder(machines, settings.precision());
    this.deadLetters = new DeadLetterFile(settings.deadLetterFile(), settings.deadLetterMaxBytes());
    this.metrics =
        new StorageMetrics(spool::stats, System::currentTimeMillis, settings.influx().isPresent());
    this.writer = settings.influx().map(i -> new InfluxWriter(i, spool, metrics, deadLetters));
    this.appender =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "atelier-spool");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens (and recovers) the spool. Blocking; call it at start-up.
   *
   * @param machines machine id to ISA-95 path; called for every sample, so back it with a map
   */
  public static InfluxStorage open(
      StorageSettings settings, Function<String, Optional<MachineRef>> machines)
      throws IOException {
    String database = settings.influx().map(InfluxSettings::database).orElse("atelier");
    String rp = settings.influx().map(InfluxSettings::retentionPolicy).orElse("");
    Spool spool =
        Spool.open(
            settings.spool(),
            settings.precision().label(),
            database,
            rp,
            System::currentTimeMillis);
    return new InfluxStorage(settings, spool, machines);
  }

  /** Starts the writer (if any) and the spool's housekeeping. */
  public void start() {
    appender.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.SECONDS);
    writer.ifPresentOrElse(
        InfluxWriter::start,
        () ->
            LOG.info(
                "No InfluxDB configured: samples stay in {} as importable line protocol (at most"
                    + " {} bytes)",
                spool.directory(),
                settings.spool().maxBytes()));
  }

  /**
   * Stops the writer (waiting briefly for requests in flight), then closes the spool. Idempotent.
   * Call it after the pipeline has stopped.
   */
  public synchronized CompletableFuture<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    CompletableFuture<Void> writerStopped =
        writer.map(w -> w.stop(STOP_GRACE)).orElse(CompletableFuture.completedFuture(null));
    stopping =
        writerStopped
            .thenRunAsync(
                () -> {
                  try {
                    spool.close();
                  } catch (IOException e) {
                    LOG.error("Cannot close the spool cleanly: {}", e.toString());
                  }
                },
                appender)
            .whenComplete((v, e) -> appender.shutdown());
    return stopping;
  }

  @Override
  public String name() {
    return "storage";
  }

  /** KPIs and machine states are stored like every other sample. */
  @Override
  public boolean wantsDerived() {
    return true;
  }

  @Override
  public Future<Void> accept(List<Sample> batch) {
    Context context = Vertx.currentContext();
    Promise<Void> promise = Promise.promise();
    try {
      appender.execute(
          () -> {
            Throwable failure = null;
            try {
              append(batch);
            } catch (SpoolFullException e) {
              failure = e;
            } catch (IOException | RuntimeException e) {
              LOG.error("Cannot append {} sample(s) to the spool: {}", batch.size(), e.toString());
              metrics.spoolProblem(e.toString());
              failure = e;
            }
            complete(context, promise, failure);
          });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("storage is stopped"));
    }
    return promise.future();
  }

  private static void complete(Context context, Promise<Void> promise, Throwable failure) {
    // The pipeline reacts on its own context; never complete its future on the spool thread.
    Runnable done =
        () -> {
          if (failure == null) {
            promise.complete();
          } else {
            promise.fail(failure);
          }
        };
    if (context == null) {
      done.run();
    } else {
      context.runOnContext(v -> done.run());
    }
  }

  private void append(List<Sample> batch) throws IOException {
    lines.setLength(0);
    LineProtocolEncoder.Result r = encoder.encode(batch, lines);
    metrics.skipped.add(r.skipped());
    if (!r.rejected().isEmpty()) {
      reject(r.rejected());
    }
    if (r.points() == 0) {
      return;
    }
    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
    spool.append(bytes, bytes.length, r.points());
    metrics.spooled.add(r.points());
    metrics.spoolProblem("");
  }

  private void reject(List<Rejection> rejections) {
    metrics.rejected.add(rejections.size());
    // One write (and one fsync) per batch, however many samples were refused.
    StringBuilder text = new StringBuilder();
    for (Rejection rej : rejections) {
      Sample s = rej.sample();
      String entry =
          "not encodable: "
              + rej.reason()
              + " machine="
              + s.machine()
              + " signal="
              + s.signal()
              + " value="
              + s.value()
              + " time="
              + s.sourceTime();
      if (text.length() > 0) {
        text.append("\n# ");
      }
      // Each entry must stay one comment line, whatever the value holds.
      text.append(entry.replace('\n', ' ').replace('\r', ' '));
    }
    deadLetters.writeComment(text.toString());
    long now = System.nanoTime();
    long last = lastRejectionLog.get();
    if (now - last > 10_000_000_000L && lastRejectionLog.compareAndSet(last, now)) {
      LOG.warn(
          "{} sample(s) could not be written, e.g. {}/{}: {} (see {})",
          rejections.size(),
          rejections.get(0).sample().machine(),
          rejections.get(0).sample().signal(),
          rejections.get(0).reason(),
          deadLetters.file());
    }
  }

  private void maintain() {
    try {
      spool.maintain();
    } catch (IOException e) {
      LOG.error("Spool housekeeping failed: {}", e.toString());
      metrics.spoolProblem(e.toString());
    }
  }

  public StorageMetrics metrics() {
    return metrics;
  }

  public StorageHealth health() {
    return metrics.health();
  }

  public StorageSettings settings() {
    return settings;
  }
}
