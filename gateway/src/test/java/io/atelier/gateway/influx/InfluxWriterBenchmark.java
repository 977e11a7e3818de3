package io.atelier.gateway.influx;

import io.atelier.connector.api.Sample;
import io.atelier.testsupport.InfluxServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Sustained points per second from samples to a local influxd through the whole storage path
 * (encode, spool append with fsync per batch, read, gzip, HTTP), and the gateway's CPU per point,
 * next to influxd's raw ceiling measured the same way: the same points as pre-built, pre-gzipped
 * line protocol posted directly (5,000 lines per request, 2 in flight). Not a test: run it with
 * {@code bench/influx-writer.sh}. Arguments: points per run (default 500000).
 */
public final class InfluxWriterBenchmark {

  private static final int BATCH = 5_000;
  private static final int PIPELINE_BATCH = 2_000;

  private InfluxWriterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    try (InfluxServer server = InfluxServer.builder().build()) {
      server.start();
      System.out.printf(
          "influxd 1.6.7 on 127.0.0.1, %d cores, JVM max heap %d MiB, %d points per run%n",
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20,
          points);
      // Warm-up of both paths (JIT, influxd shard creation), then the measured runs.
      raw(server, "warm_raw", 0, points / 5);
      gateway(server, "warm_gw", 0, points / 5);
      Result raw = raw(server, "raw", 0, points);
      Result gw = gateway(server, "gw", 0, points);
      System.out.printf(
          "raw ceiling : %,10.0f points/s   influxd CPU %6.2f us/point   poster CPU %6.2f us/point%n",
          raw.rate(), raw.influxCpuMicros(), raw.jvmCpuMicros());
      System.out.printf(
          "gateway     : %,10.0f points/s   influxd CPU %6.2f us/point   gateway CPU %6.2f us/point%n",
          gw.rate(), gw.influxCpuMicros(), gw.jvmCpuMicros());
      System.out.printf("gateway / raw ceiling: %.2f%n", gw.rate() / raw.rate());
      check(server, "raw", points);
      check(server, "gw", points);
    }
  }

  private record Result(double rate, double jvmCpuMicros, double influxCpuMicros) {}

  private static Result raw(InfluxServer server, String db, long first, int count)
      throws Exception {
    server.createDatabase(db);
    LineProtocolEncoder encoder = new LineProtocolEncoder(StorageFixture.LOOKUP, Precision.MS);
    List<byte[]> bodies = new ArrayList<>();
    for (long i = first; i < first + count; i += BATCH) {
      StringBuilder lines = new StringBuilder();
      encoder.encode(StorageFixture.samples(i, (int) Math.min(BATCH, first + count - i)), lines);
      bodies.add(gzip(lines.toString().getBytes(StandardCharsets.UTF_8)));
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(server.url() + "/write?db=" + db + "&precision=ms");
    Semaphore inFlight = new Semaphore(2);
    List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
    long cpu0 = cpu();
    long influx0 = influxCpu(server);
    long t0 = System.nanoTime();
    for (byte[] body : bodies) {
      inFlight.acquire();
      HttpRequest r =
          HttpRequest.newBuilder(uri)
              .header("Content-Encoding", "gzip")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      sent.add(
          http.sendAsync(r, HttpResponse.BodyHandlers.discarding())
              .whenComplete((x, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    for (CompletableFuture<HttpResponse<Void>> f : sent) {
      if (f.get().statusCode() != 204) {
        throw new IllegalStateException("raw write failed: " + f.get().statusCode());
      }
    }
    return result(count, System.nanoTime() - t0, cpu() - cpu0, influxCpu(server) - influx0);
  }

  private static Result gateway(InfluxServer server, String db, long first, int count)
      throws Exception {
    server.createDatabase(db);
    Path dir = Files.createTempDirectory("atelier-bench-");
    InfluxSettings influx =
        StorageFixture.v1(server.url(), db).withBatching(BATCH, Duration.ofMillis(200), 2);
    InfluxStorage storage =
        InfluxStorage.open(StorageFixture.storage(dir, Optional.of(influx)), StorageFixture.LOOKUP);
    storage.start();
    long cpu0 = cpu();
    long influx0 = influxCpu(server);
    long t0 = System.nanoTime();
    // Like the pipeline: one batch at a time, the next once the previous is durable.
    for (long i = first; i < first + count; i += PIPELINE_BATCH) {
      List<Sample> batch =
          StorageFixture.samples(i, (int) Math.min(PIPELINE_BATCH, first + count - i));
      storage.accept(batch).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (storage.metrics().snapshot().written() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gateway did not write everything in 10 minutes");
      }
      // Poll gently: a spinning main thread would count as gateway CPU.
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
    }
    long elapsed = System.nanoTime() - t0;
    Result r = result(count, elapsed, cpu() - cpu0, influxCpu(server) - influx0);
    storage.stop().get(30, TimeUnit.SECONDS);
    return r;
  }

  private static void check(InfluxServer server, String db, int points) {
    long n = server.countField(db, "signals", "seq");
    if (n != points) {
      throw new IllegalStateException(db + " holds " + n + " points, expected " + points);
    }
  }

  private static Result result(int count, long nanos, long jvmCpuNanos, long influxCpuNanos) {
    return new Result(
        count / (nanos / 1e9), jvmCpuNanos / 1e3 / count, influxCpuNanos / 1e3 / count);
  }

  /** CPU time of this JVM, all threads (process-wide). */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the influxd child (found by its config path in the server directory). */
  private static long influxCpu(InfluxServer server) {
    String marker = server.directory().toString();
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .findFirst()
        .flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos)
        .orElse(0L);
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      gz.write(body);
    }
    return out.toByteArray();
  }
}
