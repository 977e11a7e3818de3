package io.atelier.gateway.influx;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.influx.InfluxSettings.RetrySettings;
import io.atelier.gateway.spool.SpoolSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Shared bits of the storage tests: ten machines, numbered samples, quick retry settings. */
final class StorageFixture {

  static final int MACHINES = 10;
  static final long BASE_MILLIS = 1_700_000_000_000L;
  static final Map<String, MachineRef> REFS = new HashMap<>();

  static {
    for (int m = 0; m < MACHINES; m++) {
      REFS.put("m" + m, new MachineRef("platform", "hall-a", "test", "m" + m));
    }
  }

  static final Function<String, Optional<MachineRef>> LOOKUP =
      id -> Optional.ofNullable(REFS.get(id));

  private StorageFixture() {}

  /**
   * Sample number {@code i}: machine {@code m(i % 10)}, signal {@code seq}, value {@code i}, at
   * {@code BASE + i / 10} ms. Every sample is its own point (series + timestamp).
   */
  static Sample sample(long i) {
    Instant t = Instant.ofEpochMilli(BASE_MILLIS + i / MACHINES);
    return Sample.good("m" + (i % MACHINES), "seq", i, t);
  }

  static List<Sample> samples(long first, int count) {
    List<Sample> out = new ArrayList<>(count);
    for (long i = first; i < first + count; i++) {
      out.add(sample(i));
    }
    return out;
  }

  static InfluxSettings v1(String url, String database) {
    return InfluxSettings.v1(URI.create(url), database)
        .withBatching(5_000, Duration.ofMillis(50), 2)
        // A request that hangs (a loaded CI machine) is given up and retried sooner.
        .withTimeout(Duration.ofSeconds(10))
        .withRetry(
            new RetrySettings(
                Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  static StorageSettings storage(Path dir, Optional<InfluxSettings> influx) {
    return new StorageSettings(
        SpoolSettings.defaults(dir), influx, dir.resolve("dead-letter.lp"), 1L << 20);
  }
}
