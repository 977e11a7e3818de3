package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.gateway.influx.InfluxSettings.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 write path end to end against a real server that speaks {@code /api/v2/write}: QuestDB
 * (InfluxDB 2 itself does not run here). The auto probe must pick v2 from its {@code /ping}, and
 * the rows must come back through QuestDB's SQL with tags as columns and the source timestamps.
 * QuestDB is not InfluxDB: InfluxDB's error bodies are tested elsewhere.
 */
@Timeout(120)
class InfluxV2QuestDbIT {

  @TempDir Path dir;

  @Test
  void writesThroughTheV2ApiIntoARealServer() throws Exception {
    try (QuestDbProcess questdb = new QuestDbProcess(dir.resolve("questdb"))) {
      InfluxSettings influx =
          InfluxSettings.v1(URI.create(questdb.url()), "unused")
              .withV2("any-token", "atelier", "atelier")
              .withApi(Api.AUTO)
              .withBatching(1_000, Duration.ofMillis(20), 2);
      InfluxStorage storage =
          InfluxStorage.open(
              StorageFixture.storage(dir.resolve("storage"), Optional.of(influx)),
              StorageFixture.LOOKUP);
      storage.start();
      try {
        for (int i = 0; i < 5_000; i += 500) {
          storage
              .accept(StorageFixture.samples(i, 500))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> storage.metrics().snapshot().written() == 5_000);
        assertThat(storage.metrics().snapshot().api()).isEqualTo("v2");

        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(() -> firstValue(questdb, "select count() from signals") == 5_000L);
        assertThat(firstValue(questdb, "select sum(seq) from signals"))
            .isEqualTo(5_000L * 4_999 / 2);
        JsonArray row =
            dataset(
                    questdb,
                    "select machine, site, area, line, seq, timestamp from signals where seq = 1234")
                .getJsonArray(0);
        assertThat(row.getString(0)).isEqualTo("m4");
        assertThat(row.getString(1)).isEqualTo("platform");
        assertThat(row.getString(2)).isEqualTo("hall-a");
        assertThat(row.getString(3)).isEqualTo("test");
        assertThat(row.getLong(4)).isEqualTo(1234L);
        // 1700000000123 ms, as QuestDB prints it.
        assertThat(row.getString(5)).startsWith("2023-11-14T22:13:20.123");
      } finally {
        storage.stop().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static JsonArray dataset(QuestDbProcess questdb, String sql) throws Exception {
    var response = questdb.sql(sql);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("dataset");
  }

  private static long firstValue(QuestDbProcess questdb, String sql) throws Exception {
    return ((Number) dataset(questdb, sql).getJsonArray(0).getValue(0)).longValue();
  }
}
