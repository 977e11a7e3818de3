package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import io.atelier.gateway.influx.InfluxSettings.Api;
import io.atelier.gateway.spool.SpoolSettings.FsyncPolicy;
import io.atelier.gateway.spool.SpoolSettings.FullPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

  private static final Path DATA = Path.of("/var/lib/atelier");

  @SuppressWarnings("unchecked")
  private static ConfigNode node(String yaml, ConfigProblems problems) throws Exception {
    Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    return new ConfigNode("storage", map, problems);
  }

  @Test
  void readsEveryOption() throws Exception {
    ConfigProblems problems = new ConfigProblems();
    StorageSettings s =
        StorageSettings.read(
            node(
                """
                spool: {dir: /tmp/sp, maxBytes: 2GiB, segmentBytes: 32MiB, segmentAge: 5m,
                        whenFull: backpressure, fsync: interval, fsyncInterval: 2s}
                influx:
                  url: http://influx:8086
                  api: v2
                  token: secret-token
                  org: acme
                  bucket: shop
                  precision: ns
                  batchSize: 1000
                  linger: 50ms
                  maxInFlight: 4
                  gzip: false
                  timeout: 10s
                  retry: {initial: 1s, max: 1m, retryAfterCap: 2m}
                deadLetterFile: /tmp/dead.lp
                """,
                problems),
            DATA);
    assertThat(problems.all()).isEmpty();
    assertThat(s.spool().dir()).isEqualTo(Path.of("/tmp/sp"));
    assertThat(s.spool().maxBytes()).isEqualTo(2L << 30);
    assertThat(s.spool().segmentBytes()).isEqualTo(32L << 20);
    assertThat(s.spool().segmentAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.spool().whenFull()).isEqualTo(FullPolicy.BACKPRESSURE);
    assertThat(s.spool().fsync()).isEqualTo(FsyncPolicy.INTERVAL);
    InfluxSettings i = s.influx().orElseThrow();
    assertThat(i.api()).isEqualTo(Api.V2);
    assertThat(i.token()).isEqualTo("secret-token");
    assertThat(i.precision()).isEqualTo(Precision.NS);
    assertThat(s.precision()).isEqualTo(Precision.NS);
    assertThat(i.batchSize()).isEqualTo(1000);
    assertThat(i.linger()).isEqualTo(Duration.ofMillis(50));
    assertThat(i.gzip()).isFalse();
    assertThat(i.retry().max()).isEqualTo(Duration.ofMinutes(1));
    assertThat(i.toString()).doesNotContain("secret-token");
    assertThat(s.deadLetterFile()).isEqualTo(Path.of("/tmp/dead.lp"));
  }

  @Test
  void defaultsToASpoolUnderTheDataDirectoryAndNoInfluxDb() throws Exception {
    ConfigProblems problems = new ConfigProblems();
    StorageSettings s = StorageSettings.read(node("{}", problems), DATA);
    assertThat(problems.all()).isEmpty();
    assertThat(s.influx()).isEmpty();
    assertThat(s.spool().dir()).isEqualTo(DATA.resolve("spool"));
    assertThat(s.spool().maxBytes()).isEqualTo(1L << 30);
    assertThat(s.spool().whenFull()).isEqualTo(FullPolicy.DROP_OLDEST);
    assertThat(s.spool().fsync()).isEqualTo(FsyncPolicy.BATCH);
    assertThat(s.deadLetterFile()).isEqualTo(DATA.resolve("dead-letter.lp"));
    assertThat(s.precision()).isEqualTo(Precision.MS);
  }

  @Test
  void reportsEveryProblemWithItsPath() throws Exception {
    ConfigProblems problems = new ConfigProblems();
    StorageSettings.read(
        node(
            """
            spool: {maxBytes: lots, segmentBytes: 64MiB, whenFull: panic, colour: red}
            influx: {url: ftp://x, api: v9, precision: weeks, batchSize: 0, retry: {initial: soon}}
            extra: 1
            """,
            problems),
        DATA);
    List<String> paths = problems.all().stream().map(ConfigProblem::path).toList();
    assertThat(paths)
        .contains(
            "storage.spool.maxBytes",
            "storage.spool.whenFull",
            "storage.spool.colour",
            "storage.influx.url",
            "storage.influx.api",
            "storage.influx.precision",
            "storage.influx.batchSize",
            "storage.influx.retry.initial",
            "storage.extra");
  }

  @Test
  void theSpoolMustHoldAtLeastTwoSegments() throws Exception {
    ConfigProblems problems = new ConfigProblems();
    StorageSettings.read(node("spool: {maxBytes: 64MiB, segmentBytes: 64MiB}", problems), DATA);
    assertThat(problems.all())
        .extracting(ConfigProblem::path)
        .containsExactly("storage.spool.maxBytes");
  }
}
