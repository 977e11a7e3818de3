package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.testsupport.InfluxExtension;
import io.atelier.testsupport.InfluxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without InfluxDB the spool is the archive: its segment files, comments and all, must load into a
 * real InfluxDB as they are ({@code curl --data-binary @segment.lp
 * '.../write?db=..&precision=ms'}).
 */
@Timeout(60)
class SpoolImportIT {

  @RegisterExtension static final InfluxExtension influx = new InfluxExtension();

  @TempDir Path dir;

  @Test
  void spoolSegmentsImportAsTheyAre() throws Exception {
    InfluxStorage storage =
        InfluxStorage.open(StorageFixture.storage(dir, Optional.empty()), StorageFixture.LOOKUP);
    storage.start();
    for (int i = 0; i < 3_000; i += 1_000) {
      storage
          .accept(StorageFixture.samples(i, 1_000))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
    storage.stop().get(10, TimeUnit.SECONDS);

    InfluxServer server = influx.server();
    server.createDatabase("archive");
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      segments = files.filter(p -> p.toString().endsWith(".lp")).toList();
    }
    assertThat(segments).isNotEmpty();
    for (Path segment : segments) {
      server.write("archive", Files.readString(segment), "ms");
    }
    assertThat(server.count("archive", "signals")).isEqualTo(3_000);
  }
}
