package io.atelier.gateway.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Sample;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Vert.x glue: restore on start, snapshot on stop, samples through the consumer interface. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class KpiServiceTest {

  private static KpiEngine engine() {
    return new KpiEngine(
        KpiSettings.defaults(),
        List.of(
            new KpiMachine(
                "cnc-01",
                MachineRef.parse("platform/hall-a/machining/cnc-01"),
                MachineKpiConfig.defaults())),
        Clock.systemUTC(),
        KpiListener.NONE);
  }

  @Test
  void aStoppedServiceLeavesASnapshotThatTheNextOneRestores(Vertx vertx, @TempDir Path dir)
      throws Exception {
    KpiSnapshotStore store = new KpiSnapshotStore(dir);
    KpiService first = new KpiService(vertx, engine(), store, KpiSettings.defaults());
    first.start().await(10, TimeUnit.SECONDS);
    // Stamped in the past: reports cover up to now minus the lateness allowance.
    Instant now = Instant.now().minusSeconds(10);
    first
        .accept(
            List.of(
                Sample.good("cnc-01", "state", "PRODUCING", now),
                Sample.good("cnc-01", "good_count", 5L, now),
                Sample.good("cnc-01", "ignored_signal", 1.0, now)))
        .await(10, TimeUnit.SECONDS);
    first.stop().await(10, TimeUnit.SECONDS);
    assertThat(store.read()).isPresent();

    KpiService second = new KpiService(vertx, engine(), store, KpiSettings.defaults());
    second.start().await(10, TimeUnit.SECONDS);
    try {
      // The counter baseline came back: the next value counts only what is new.
      Instant recent = Instant.now().minusSeconds(5);
      second
          .accept(List.of(Sample.good("cnc-01", "good_count", 8L, recent, Instant.now())))
          .await(10, TimeUnit.SECONDS);
      assertThat(second.engine().kpis("15m").orElseThrow())
          .filteredOn(r -> r.subject().equals("cnc-01"))
          .singleElement()
          .satisfies(r -> assertThat(r.values().get("pq")).isEqualTo(3.0));
    } finally {
      second.stop().await(10, TimeUnit.SECONDS);
    }
  }
}
