package io.atelier.gateway.influx;

import io.atelier.gateway.influx.InfluxSettings.Api;
import io.atelier.gateway.spool.Spool;
import io.atelier.gateway.spool.SpoolBatch;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool into InfluxDB. Batches of up to {@code batchSize} points (waiting up to {@code
 * linger} for a full one), at most {@code maxInFlight} requests at once, each body gzipped. The
 * checkpoint moves only over batches InfluxDB accepted, in spool order.
 *
 * <p>Per response: 2xx done; 429/503 wait for {@code Retry-After} (capped) or back off; other 5xx
 * and network errors back off exponentially with jitter, and no new batch starts meanwhile; 413
 * splits the batch in two; 400/422 bisect the batch until the refused lines are alone, which go to
 * the dead-letter file with InfluxDB's reason while the rest is written; 401/403 (and 404, and
 * anything else) keep the data, raise the alarm in {@link StorageMetrics#health()} and retry at the
 * slowest pace. v1 with {@code createDatabase} creates a missing database once.
 *
 * <p>All state lives on one scheduler thread; HTTP is java.net.http's async client, so no thread
 * waits on the network.
 */
public final class InfluxWriter {

  private static final Logger LOG = LoggerFactory.getLogger(InfluxWriter.class);
  private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

  private final InfluxSettings settings;
  private final Spool spool;
  private final StorageMetrics metrics;
  private final DeadLetterFile deadLetters;
  private final RetryPolicy retry;
  private final HttpClient http;
  private final ScheduledExecutorService loop;

  // Confined to the loop thread.
  private WriteEndpoint endpoint;
  private final ArrayDeque<Job> jobs = new ArrayDeque<>();
  private int openJobs;
  private int outstanding;
  private int failures;
  private long blockedUntil;
  private long lingerStart = -1;
  private ScheduledFuture<?> wake;
  private boolean triedCreateDatabase;
  private boolean stopping;
  private CompletableFuture<Void> stopped;

  /** A spool batch on its way; parts are what is left to send, first part first. */
  private static final class Job {
    final SpoolBatch batch;
    final ArrayDeque<Part> parts = new ArrayDeque<>();
    boolean done;

    Job(SpoolBatch batch) {
      this.batch = batch;
      parts.add(new Part(0, batch.body().length, batch.points()));
    }
  }

  /** Lines {@code body[from, to)} of a batch. */
  private record Part(int from, int to, int points) {}

  public InfluxWriter(
      InfluxSettings settings, Spool spool, StorageMetrics metrics, DeadLetterFile deadLetters) {
    this.settings = settings;
    this.spool = spool;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.retry = new RetryPolicy(settings.retry(), () -> ThreadLocalRandom.current().nextDouble());
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "atelier-influx-writer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts draining; the spool tells us when there is more. */
  public void start() {
    spool.onAppend(() -> run(this::pump));
    loop.scheduleWithFixedDelay(
        this::saveCheckpoint,
        CHECKPOINT_EVERY.toMillis(),
        CHECKPOINT_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    run(this::resolveApi);
  }

  /**
   * Stops: no new requests; waits up to {@code grace} for those in flight, then saves the
   * checkpoint. Whatever was not written stays in the spool for the next start.
   */
  public CompletableFuture<Void> stop(Duration grace) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            if (stopped != null) {
              stopped.whenComplete((v, e) -> done.complete(null));
              return;
            }
            stopping = true;
            stopped = done;
            cancelWake();
            if (outstanding == 0) {
              finish();
            } else {
              loop.schedule(this::finish, grace.toMillis(), TimeUnit.MILLISECONDS);
            }
          });
    } catch (RejectedExecutionException e) {
      done.complete(null);
    }
    return done;
  }

  private void finish() {
    if (stopped == null || stopped.isDone()) {
      return;
    }
    saveCheckpoint();
    loop.shutdownNow();
    stopped.complete(null);
  }

  private void run(Runnable task) {
    try {
      loop.execute(() -> guarded(task));
    } catch (RejectedExecutionException e) {
      // Stopped: the spool keeps the data for the next start.
    }
  }

  /** A bug in a loop task must be loud, and must not leave the writer waiting for nothing. */
  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("Unexpected error in the InfluxDB writer; carrying on", e);
      metrics.writerProblem("internal error: " + e);
      wakeIn(Duration.ofSeconds(1).toNanos());
    }
  }

  // ---- which API ----

  private void resolveApi() {
    if (settings.api() != Api.AUTO) {
      useApi(settings.api());
      return;
    }
    ApiProbe.detect(http, settings)
        .whenComplete(
            (api, e) ->
                run(
                    () -> {
                      if (stopping) {
                        return;
                      }
                      if (e == null) {
                        useApi(api);
                      } else {
                        probeFailed(InfluxReplies.describe(e));
                      }
                    }));
  }

  private void probeFailed(String reason) {
    failures++;
    metrics.writerProblem(reason);
    Duration d = retry.backoff(failures);
    LOG.warn("{}; probing again in {} ms", reason, d.toMillis());
    loop.schedule(this::resolveApi, d.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void useApi(Api api) {
    endpoint = new WriteEndpoint(settings, api);
    metrics.api(api.name().toLowerCase(java.util.Locale.ROOT));
    LOG.info("Writing to InfluxDB at {} over the {} API", settings.url(), api);
    failures = 0;
    pump();
  }

  // ---- batches ----

  private void pump() {
    if (stopping || endpoint == null) {
      return;
    }
    long now = System.nanoTime();
    if (now < blockedUntil) {
      wakeIn(blockedUntil - now);
      return;
    }
    while (openJobs < settings.maxInFlight()) {
      long unread = spool.unreadPoints();
      if (unread == 0) {
        lingerStart = -1;
        return;
      }
      if (unread < settings.batchSize()) {
        if (lingerStart < 0) {
          lingerStart = now;
        }
        long waited = now - lingerStart;
        if (waited < settings.linger().toNanos()) {
          wakeIn(settings.linger().toNanos() - waited);
          return;
        }
      }
      Optional<SpoolBatch> batch;
      try {
        batch = spool.read(settings.batchSize());
      } catch (IOException e) {
        LOG.error("Cannot read the spool: {}", e.toString());
        metrics.writerProblem("cannot read the spool: " + e.getMessage());
        wakeIn(Duration.ofSeconds(1).toNanos());
        return;
      }
      if (batch.isEmpty()) {
        return;
      }
      lingerStart = -1;
      Job job = new Job(batch.get());
      jobs.addLast(job);
      openJobs++;
      sendNext(job);
    }
  }

  private void sendNext(Job job) {
    if (stopping) {
      return;
    }
    Part part = job.parts.peekFirst();
    if (part == null) {
      job.done = true;
      openJobs--;
      acknowledgeInOrder();
      pump();
      return;
    }
    Precision precision = Precision.ofLabel(job.batch.precision()).orElse(Precision.MS);
    HttpRequest request = endpoint.write(job.batch.body(), part.from(), part.to(), precision);
    long start = System.nanoTime();
    outstanding++;
    send(request)
        .whenComplete(
            (r, e) ->
                run(
                    () -> {
                      outstanding--;
                      metrics.latency(System.nanoTime() - start);
                      onResponse(job, part, r, e);
                      if (stopping && outstanding == 0) {
                        finish();
                      }
                    }));
  }

  private void onResponse(Job job, Part part, HttpResponse<String> r, Throwable e) {
    if (e != null) {
      metrics.failedRequests.increment();
      failed("InfluxDB unreachable at " + settings.url() + ": " + InfluxReplies.describe(e));
      retryLater(job, retry.backoff(failures));
      return;
    }
    int status = r.statusCode();
    if (status >= 200 && status < 300) {
      job.parts.removeFirst();
      metrics.written.add(part.points());
      if (failures > 0 || !metrics.writerProblem().isEmpty()) {
        LOG.info("InfluxDB at {} accepts writes again", settings.url());
      }
      failures = 0;
      blockedUntil = 0;
      metrics.writerOk();
      sendNext(job);
      return;
    }
    metrics.failedRequests.increment();
    String reason = status + " " + InfluxReplies.errorText(r);
    switch (status) {
      case 429, 503 -> {
        failed("InfluxDB is overloaded: " + reason);
        Duration wait =
            retry
                .retryAfter(r.headers().firstValue("Retry-After"), Instant.now())
                .orElseGet(() -> retry.backoff(failures));
        retryLater(job, wait);
      }
      case 413 -> splitOrDeadLetter(job, part, reason);
      case 400, 422 -> splitOrDeadLetter(job, part, reason);
      case 401, 403 -> {
        alarm("InfluxDB refused the credentials: " + reason);
        retryLater(job, retry.slow());
      }
      case 404 -> {
        if (endpoint.api() == Api.V1
            && settings.createDatabase()
            && !triedCreateDatabase
            && reason.contains("database not found")) {
          triedCreateDatabase = true;
          createDatabaseThenRetry(job);
        } else {
          alarm("InfluxDB has no such database or bucket: " + reason);
          retryLater(job, retry.slow());
        }
      }
      default -> {
        if (status >= 500) {
          failed("InfluxDB failed: " + reason);
          retryLater(job, retry.backoff(failures));
        } else {
          alarm("InfluxDB refused the request: " + reason);
          retryLater(job, retry.slow());
        }
      }
    }
  }

  /**
   * 413 or 400/422: halve the part and send the halves in order; a single line left is refused on
   * its own merits and goes to the dead-letter file.
   */
  private void splitOrDeadLetter(Job job, Part part, String reason) {
    job.parts.removeFirst();
    if (part.points() > 1) {
      metrics.splits.increment();
      int half = part.points() / 2;
      int cut = lineBoundary(job.batch.body(), part.from(), half);
      job.parts.addFirst(new Part(cut, part.to(), part.points() - half));
      job.parts.addFirst(new Part(part.from(), cut, half));
    } else {
      metrics.deadLettered.increment();
      deadLetters.write("InfluxDB refused: " + reason, job.batch.body(), part.from(), part.to());
      LOG.warn("InfluxDB refused a point ({}); it is in {}", reason, deadLetters.file());
    }
    sendNext(job);
  }

  private void createDatabaseThenRetry(Job job) {
    LOG.info("InfluxDB has no database '{}'; creating it", settings.database());
    send(endpoint.createDatabase())
        .whenComplete(
            (r, e) ->
                run(
                    () -> {
                      if (e != null || r.statusCode() / 100 != 2) {
                        alarm(
                            "cannot create database '"
                                + settings.database()
                                + "': "
                                + (e != null
                                    ? InfluxReplies.describe(e)
                                    : r.statusCode() + " " + InfluxReplies.errorText(r)));
                        retryLater(job, retry.slow());
                      } else {
                        sendNext(job);
                      }
                    }));
  }

  /** A failure that time may heal: counted toward the backoff. */
  private void failed(String reason) {
    failures++;
    if (metrics.writerProblem().isEmpty()) {
      LOG.warn("{}; keeping the data in the spool and retrying", reason);
    }
    metrics.writerProblem(reason);
  }

  /** A failure that needs a person: logged every time it is retried, which is slowly. */
  private void alarm(String reason) {
    failures++;
    LOG.error(
        "{}; keeping the data in the spool and retrying every {} s",
        reason,
        retry.slow().toSeconds());
    metrics.writerProblem(reason);
  }

  private void retryLater(Job job, Duration wait) {
    metrics.retries.increment();
    long until = System.nanoTime() + wait.toNanos();
    blockedUntil = Math.max(blockedUntil, until);
    loop.schedule(() -> guarded(() -> sendNext(job)), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void acknowledgeInOrder() {
    while (!jobs.isEmpty() && jobs.peekFirst().done) {
      Job j = jobs.removeFirst();
      try {
        spool.ack(j.batch);
      } catch (IOException e) {
        LOG.error("Cannot acknowledge a spool batch: {}", e.toString());
      }
    }
  }

  private void saveCheckpoint() {
    try {
      spool.saveCheckpoint();
    } catch (IOException e) {
      LOG.warn("Cannot save the spool checkpoint: {}", e.toString());
    }
  }

  private void wakeIn(long nanos) {
    if (wake != null && !wake.isDone()) {
      return;
    }
    wake =
        loop.schedule(
            () -> guarded(this::pump), Math.max(1, nanos / 1_000_000), TimeUnit.MILLISECONDS);
  }

  private void cancelWake() {
    if (wake != null) {
      wake.cancel(false);
    }
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The offset just past the {@code lines}-th line after {@code from}. */
  private static int lineBoundary(byte[] body, int from, int lines) {
    int seen = 0;
    for (int i = from; i < body.length; i++) {
      if (body[i] == '\n' && ++seen == lines) {
        return i + 1;
      }
    }
    return body.length;
  }
}
