package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.spool.SpoolFullException;
import io.atelier.gateway.spool.SpoolSettings;
import io.atelier.gateway.spool.SpoolSettings.FsyncPolicy;
import io.atelier.gateway.spool.SpoolSettings.FullPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The storage consumer without InfluxDB: the demo mode, and the contract with the pipeline. */
@Timeout(30)
class InfluxStorageTest {

  @TempDir Path dir;

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void withoutInfluxDbTheSpoolKeepsImportableLineProtocol() throws Exception {
    InfluxStorage storage =
        InfluxStorage.open(StorageFixture.storage(dir, Optional.empty()), StorageFixture.LOOKUP);
    storage.start();
    await(storage.accept(StorageFixture.samples(0, 50)));
    storage.stop().get(10, TimeUnit.SECONDS);

    List<String> lines;
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      Path segment = files.filter(p -> p.toString().endsWith(".lp")).findFirst().orElseThrow();
      lines = Files.readAllLines(segment).stream().filter(l -> !l.startsWith("#")).toList();
    }
    assertThat(lines).hasSize(50);
    assertThat(lines.get(7))
        .isEqualTo("signals,area=hall-a,line=test,machine=m7,site=platform seq=7i 1700000000000");
    StorageMetrics.Snapshot m = storage.metrics().snapshot();
    assertThat(m.api()).isEqualTo("none");
    assertThat(m.spooled()).isEqualTo(50);
    assertThat(m.pending()).isEqualTo(50);
    assertThat(storage.health().status()).isEqualTo(StorageHealth.Status.UP);
  }

  @Test
  void countsSkippedAndRejectedSamplesAndDeadLettersTheRejected() throws Exception {
    StorageSettings settings = StorageFixture.storage(dir, Optional.empty());
    InfluxStorage storage = InfluxStorage.open(settings, StorageFixture.LOOKUP);
    storage.start();
    try {
      Instant t = Instant.ofEpochMilli(StorageFixture.BASE_MILLIS);
      await(
          storage.accept(
              List.of(
                  Sample.good("ghost", "temp", 1.0, t),
                  new Sample("m1", "temp", null, Quality.bad("no value"), t, t),
                  Sample.good("m1", "temp", 2.0, t))));
      StorageMetrics.Snapshot m = storage.metrics().snapshot();
      assertThat(m.spooled()).isEqualTo(1);
      assertThat(m.skipped()).isEqualTo(1);
      assertThat(m.rejected()).isEqualTo(1);
      assertThat(Files.readString(settings.deadLetterFile()))
          .contains("unknown machine 'ghost'")
          .contains("signal=temp");
    } finally {
      storage.stop().get(10, TimeUnit.SECONDS);
    }
  }

  // Backpressure must reach the pipeline as a failed batch, which is what stops the MQTT ack.
  @Test
  void aFullSpoolUnderBackpressureFailsTheBatch() throws Exception {
    SpoolSettings spool =
        new SpoolSettings(
            dir.resolve("spool"),
            8_000,
            2_000,
            Duration.ofMinutes(10),
            FullPolicy.BACKPRESSURE,
            FsyncPolicy.NEVER,
            Duration.ofSeconds(1));
    InfluxStorage storage =
        InfluxStorage.open(
            new StorageSettings(spool, Optional.empty(), dir.resolve("dead.lp"), 1 << 20),
            StorageFixture.LOOKUP);
    storage.start();
    try {
      Throwable failure = null;
      for (int i = 0; i < 100 && failure == null; i++) {
        try {
          await(storage.accept(StorageFixture.samples(i * 10L, 10)));
        } catch (ExecutionException e) {
          failure = e.getCause();
        }
      }
      assertThat(failure).isInstanceOf(SpoolFullException.class);
      StorageHealth health = storage.health();
      assertThat(health.status()).isEqualTo(StorageHealth.Status.DEGRADED);
      assertThat(health.reasons()).anySatisfy(r -> assertThat(r).contains("backpressure"));
    } finally {
      storage.stop().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void completesTheBatchOnTheCallersVertxContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    InfluxStorage storage =
        InfluxStorage.open(StorageFixture.storage(dir, Optional.empty()), StorageFixture.LOOKUP);
    storage.start();
    try {
      Context context = vertx.getOrCreateContext();
      CompletableFuture<Boolean> onContext = new CompletableFuture<>();
      context.runOnContext(
          v ->
              storage
                  .accept(StorageFixture.samples(0, 10))
                  .onComplete(ar -> onContext.complete(Vertx.currentContext() == context)));
      assertThat(onContext.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      storage.stop().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
