package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.influx.InfluxSettings.Api;
import io.atelier.testsupport.InfluxExtension;
import io.atelier.testsupport.InfluxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One point InfluxDB refuses (a field type conflict) must cost that point only: the rest of its
 * batch lands, the refused line goes to the dead-letter file with InfluxDB's own reason, and the
 * writer carries on with the next batches.
 */
@Timeout(60)
class InfluxBadLineIT {

  @RegisterExtension static final InfluxExtension influx = new InfluxExtension();

  @TempDir Path dir;

  private static Sample temperature(int i, Object value) {
    Instant t = Instant.ofEpochMilli(StorageFixture.BASE_MILLIS + i);
    return Sample.good("m" + (i % 10), "temperature_c", value, t);
  }

  @Test
  void aFieldTypeConflictIsDeadLetteredWhileTheRestOfTheBatchLands() throws Exception {
    InfluxServer server = influx.server();
    server.createDatabase("badline");
    // temperature_c is a float in this database before the gateway writes anything.
    server.write(
        "badline",
        "signals,area=hall-a,line=test,machine=m0,site=platform temperature_c=20.5 "
            + (StorageFixture.BASE_MILLIS - 1_000),
        "ms");
    StorageSettings settings =
        StorageFixture.storage(
            dir, Optional.of(StorageFixture.v1(server.url(), "badline").withApi(Api.AUTO)));
    InfluxStorage storage = InfluxStorage.open(settings, StorageFixture.LOOKUP);
    storage.start();
    try {
      List<Sample> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(temperature(i, i == 37 ? (Object) "too hot" : (Object) (20.0 + i * 0.5)));
      }
      storage.accept(batch).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> storage.metrics().snapshot().deadLettered() == 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.countField("badline", "signals", "temperature_c") == 100);
      String deadLetters = Files.readString(settings.deadLetterFile());
      assertThat(deadLetters).contains("field type conflict").contains("temperature_c=\"too hot\"");
      assertThat(deadLetters.lines().filter(l -> !l.startsWith("#"))).hasSize(1);

      // The writer keeps going.
      List<Sample> next = new ArrayList<>();
      for (int i = 100; i < 110; i++) {
        next.add(temperature(i, 30.0));
      }
      storage.accept(next).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.countField("badline", "signals", "temperature_c") == 110);
      StorageMetrics.Snapshot m = storage.metrics().snapshot();
      assertThat(m.written()).isEqualTo(109);
      assertThat(m.splits()).isPositive();
      assertThat(storage.health().status()).isEqualTo(StorageHealth.Status.UP);
    } finally {
      storage.stop().get(30, TimeUnit.SECONDS);
    }
  }

  // Java prints large and small doubles as 1.0E20 and 1.0E-5; InfluxDB must parse both.
  @Test
  void floatsInScientificNotationLand() throws Exception {
    InfluxServer server = influx.server();
    server.createDatabase("floats");
    StorageSettings settings =
        StorageFixture.storage(
            dir, Optional.of(StorageFixture.v1(server.url(), "floats").withApi(Api.V1)));
    InfluxStorage storage = InfluxStorage.open(settings, StorageFixture.LOOKUP);
    storage.start();
    try {
      Instant t = Instant.ofEpochMilli(StorageFixture.BASE_MILLIS);
      storage
          .accept(
              List.of(
                  Sample.good("m0", "big", 1.0e20, t),
                  Sample.good("m1", "big", 1.0e-5, t),
                  Sample.good("m2", "big", -123.456, t)))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.countField("floats", "signals", "big") == 3);
      assertThat(
              server
                  .rows("floats", "SELECT big FROM signals WHERE machine = 'm0'")
                  .get(0)
                  .get("big")
                  .asDouble())
          .isEqualTo(1.0e20);
      assertThat(storage.metrics().snapshot().deadLettered()).isZero();
    } finally {
      storage.stop().get(30, TimeUnit.SECONDS);
    }
  }
}
