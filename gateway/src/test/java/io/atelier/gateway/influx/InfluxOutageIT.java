package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.atelier.connector.api.Completion;
import io.atelier.gateway.config.PipelineSettings;
import io.atelier.gateway.config.PipelineSettings.OverflowPolicy;
import io.atelier.gateway.influx.InfluxSettings.Api;
import io.atelier.gateway.pipeline.Pipeline;
import io.atelier.testsupport.InfluxExtension;
import io.atelier.testsupport.InfluxServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise users care about most: InfluxDB goes away for 20 s while samples keep coming at
 * 20,000/s, and afterwards every single point is in InfluxDB, exactly once, with its value.
 */
@Timeout(180)
class InfluxOutageIT {

  @RegisterExtension static final InfluxExtension influx = new InfluxExtension();

  private static final int TOTAL = 100_000;
  private static final int PER_TICK = 200; // every 10 ms: 20,000 samples/s
  private static final int STOP_AT = 30_000;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void everyPointLandsExactlyOnceAcrossATwentySecondOutage() throws Exception {
    InfluxServer server = influx.server();
    server.createDatabase("outage");
    InfluxStorage storage =
        InfluxStorage.open(
            StorageFixture.storage(
                dir, Optional.of(StorageFixture.v1(server.url(), "outage").withApi(Api.AUTO))),
            StorageFixture.LOOKUP);
    storage.start();
    Vertx vertx = Vertx.vertx();
    Pipeline pipeline =
        new Pipeline(new PipelineSettings(500_000, 2_000, OverflowPolicy.REJECT), List.of(storage));
    pipeline.start(vertx);
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    AtomicLong produced = new AtomicLong();
    AtomicLong durable = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicBoolean restarted = new AtomicBoolean();
    long startNanos = System.nanoTime();
    AtomicLong finishedNanos = new AtomicLong();
    try {
      clock.scheduleAtFixedRate(
          () -> {
            long first = produced.get();
            if (first >= TOTAL) {
              return;
            }
            int n = (int) Math.min(PER_TICK, TOTAL - first);
            pipeline.acceptAll(
                StorageFixture.samples(first, n),
                new Completion() {
                  @Override
                  public void succeeded() {
                    durable.addAndGet(n);
                  }

                  @Override
                  public void failed(Throwable cause) {
                    refused.addAndGet(n);
                  }
                });
            if (produced.addAndGet(n) >= TOTAL) {
              finishedNanos.set(System.nanoTime());
            }
            if (first < STOP_AT && first + n >= STOP_AT) {
              clock.execute(
                  () -> {
                    server.stop();
                    clock.schedule(
                        () -> {
                          server.start();
                          restarted.set(true);
                        },
                        OUTAGE.toMillis(),
                        TimeUnit.MILLISECONDS);
                  });
            }
          },
          0,
          10,
          TimeUnit.MILLISECONDS);

      await().atMost(Duration.ofSeconds(30)).until(() -> durable.get() + refused.get() == TOTAL);
      assertThat(refused.get()).isZero();
      double seconds = (finishedNanos.get() - startNanos) / 1e9;
      assertThat(TOTAL / seconds).as("offered samples per second").isGreaterThanOrEqualTo(10_000);
      // The data waited in the spool while InfluxDB was away.
      assertThat(restarted.get()).isFalse();
      assertThat(storage.metrics().snapshot().pending()).isPositive();
      assertThat(storage.health().status()).isEqualTo(StorageHealth.Status.DEGRADED);

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> restarted.get() && server.countField("outage", "signals", "seq") >= TOTAL);

      assertThat(server.count("outage", "signals")).isEqualTo(TOTAL);
      List<ObjectNode> sum = server.rows("outage", "SELECT sum(seq) FROM signals");
      assertThat(sum.get(0).get("sum").asLong()).isEqualTo((long) TOTAL * (TOTAL - 1) / 2);
      Random random = new Random(7);
      for (int k = 0; k < 5; k++) {
        long i = random.nextInt(TOTAL);
        List<ObjectNode> rows =
            server.rows(
                "outage",
                "SELECT seq FROM signals WHERE machine = 'm"
                    + (i % 10)
                    + "' AND time = "
                    + (StorageFixture.BASE_MILLIS + i / 10)
                    + "ms");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("seq").asLong()).isEqualTo(i);
      }
      StorageMetrics.Snapshot m = storage.metrics().snapshot();
      assertThat(m.api()).isEqualTo("v1");
      assertThat(m.retries()).isPositive();
      assertThat(m.deadLettered()).isZero();
      assertThat(m.dropped()).isZero();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> storage.metrics().snapshot().pending() == 0);
      assertThat(storage.health().status()).isEqualTo(StorageHealth.Status.UP);
    } finally {
      clock.shutdownNow();
      pipeline.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      storage.stop().get(30, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
