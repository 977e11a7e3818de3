package io.atelier.gateway.kpi;

import static io.atelier.gateway.kpi.KpiRig.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Training sessions cover exactly their interval; KPI state survives a restart. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KpiSessionAndRestartTest {

  private static final String SETTINGS = "lateness: 0s\nstaleAfter: 1h\n";
  private static final String LINE = "platform/hall-a/machining";

  private static KpiRig rig() {
    return new KpiRig(
        KpiRig.MONDAY,
        SETTINGS,
        List.of(
            machine("m1", LINE + "/m1", "idealCycleTime: 2s"),
            machine("m2", LINE + "/m2", "idealCycleTime: 2s")));
  }

  @Test
  void aTrainingSessionCoversExactlyItsInterval() {
    KpiRig rig = rig();
    rig.at(0)
        .send("m1", "state", "PRODUCING")
        .send("m1", "good_count", 0L)
        .send("m1", "reject_count", 0L);
    rig.at(50).send("m1", "good_count", 10L); // before the session
    rig.at(100);
    TrainingSession started = rig.engine.startSession("lesson 1", List.of("m1"));
    assertThat(started.id()).isEqualTo("s1");
    assertThat(started.start()).isEqualTo(rig.t0.plusSeconds(100));
    rig.at(130).send("m1", "good_count", 20L); // +10 inside
    rig.at(150).send("m1", "state", "DOWN");
    rig.at(200).send("m1", "state", "PRODUCING");
    rig.at(250).send("m1", "good_count", 40L).send("m1", "reject_count", 2L); // +20, +2 inside
    rig.at(300);
    TrainingSession stopped = rig.engine.stopSession("s1").orElseThrow();
    rig.at(320).send("m1", "good_count", 50L); // after the session
    rig.at(400).tick();

    assertThat(stopped.end()).contains(rig.t0.plusSeconds(300));
    SessionKpis s = rig.engine.session("s1").orElseThrow();
    KpiReport m1 = s.machines().get(0);
    assertThat(m1.window()).isEqualTo("session:s1");
    assertThat(m1.label()).isEqualTo("lesson 1");
    assertThat(m1.from()).isEqualTo(rig.t0.plusSeconds(100));
    assertThat(m1.to()).isEqualTo(rig.t0.plusSeconds(300));
    // [100, 300): producing 100-150 and 200-300 = 150 s, down 50 s; parts 10 + 22 = 32.
    Map<String, Double> k = m1.values();
    assertThat(k.get("pbt_s")).isEqualTo(200.0);
    assertThat(k.get("apt_s")).isEqualTo(150.0);
    assertThat(k.get("adet_s")).isEqualTo(50.0);
    assertThat(k.get("pq")).isEqualTo(32.0);
    assertThat(k.get("gq")).isEqualTo(30.0);
    assertThat(k.get("availability")).isCloseTo(0.75, within(1e-12));
    assertThat(k.get("effectiveness")).isCloseTo(64.0 / 150, within(1e-12));
    // Its line report covers only the session's machines.
    assertThat(s.lines()).singleElement().satisfies(l -> assertThat(l.values()).isEqualTo(k));
    assertThat(rig.engine.sessions()).extracting(TrainingSession::id).containsExactly("s1");
    // The session's final KPIs were emitted when it stopped.
    assertThat(rig.reports).anySatisfy(r -> assertThat(r.window()).isEqualTo("session:s1"));
  }

  @Test
  void dataFromBeforeTheStopArrivingLateStillLandsInTheSession() {
    KpiRig rig = rig();
    rig.at(0)
        .send("m1", "state", "PRODUCING")
        .send("m1", "good_count", 0L)
        .send("m1", "reject_count", 0L);
    rig.at(100);
    rig.engine.startSession("lesson", List.of("m1"));
    rig.at(200);
    rig.engine.stopSession("s1");
    assertThat(rig.engine.sessionFinal("s1")).contains(false);
    // Made (and gone DOWN) half a second before the stop, received a second after it: within the
    // lateness allowance (2 s), so it belongs to the session.
    rig.at(201)
        .sendStamped("m1", "good_count", 3L, 199.5)
        .sendStamped("m1", "state", "DOWN", 199.5);
    rig.at(203).tick();

    assertThat(rig.engine.sessionFinal("s1")).contains(true);
    Map<String, Double> k = rig.engine.session("s1").orElseThrow().machines().get(0).values();
    assertThat(k.get("gq")).isEqualTo(3.0);
    assertThat(k.get("apt_s")).isEqualTo(99.5);
    assertThat(k.get("adet_s")).isEqualTo(0.5);
    assertThat(k.get("elapsed_s")).isEqualTo(100.0);
    assertThat(rig.reports)
        .filteredOn(r -> r.window().equals("session:s1"))
        .last()
        .satisfies(r -> assertThat(r.values().get("gq")).isEqualTo(3.0));
    // Later data is outside the session.
    rig.at(210).send("m1", "good_count", 9L).tick();
    assertThat(rig.engine.session("s1").orElseThrow().machines().get(0).values().get("gq"))
        .isEqualTo(3.0);
  }

  @Test
  void aSessionOfUnknownMachinesIsRefused() {
    KpiRig rig = rig();
    assertThatThrownBy(() -> rig.engine.startSession("x", List.of("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
    assertThat(rig.engine.stopSession("s9")).isEmpty();
  }

  @Test
  void kpiStateSurvivesARestartThroughTheSnapshot(@TempDir Path dir) throws Exception {
    KpiRig before = rig();
    before
        .at(0)
        .send("m1", "state", "PRODUCING")
        .send("m1", "good_count", 0L)
        .send("m1", "reject_count", 0L);
    before.send("m2", "state", "IDLE");
    before.at(60).send("m1", "good_count", 20L);
    before.at(100);
    before.engine.startSession("across the restart", List.of());
    before.at(120).send("m1", "state", "DOWN");
    before.at(200).tick();
    List<KpiReport> kpisBefore = before.engine.machineKpis("m1").orElseThrow();
    KpiSnapshotStore store = new KpiSnapshotStore(dir);
    store.write(before.engine.snapshot());
    assertThat(Files.exists(dir.resolve("kpi-state.json"))).isTrue();

    // A new engine, as after a gateway restart at the same moment: same KPIs.
    KpiRig after = rig();
    after.at(200);
    after.engine.restore(store.read().orElseThrow());
    List<KpiReport> kpisAfter = after.engine.machineKpis("m1").orElseThrow();
    assertThat(kpisAfter).isEqualTo(kpisBefore);
    assertThat(after.engine.sessions())
        .singleElement()
        .satisfies(s -> assertThat(s.running()).isTrue());

    // The gateway was down from 200 s to 300 s: OFFLINE. Parts made meanwhile still count.
    after.at(300).send("m1", "good_count", 30L);
    after.at(320).tick();
    Map<String, Double> k = after.kpis("m1", "15m");
    // Data flows again with a counter: the last known state (DOWN) resumes until the state
    // signal says otherwise.
    assertThat(k.get("apt_s")).isEqualTo(120.0);
    assertThat(k.get("offline_s")).isEqualTo(100.0);
    assertThat(k.get("adet_s")).isEqualTo(80.0 + 100 + 20); // DOWN, OFFLINE 200-300 s, DOWN
    assertThat(k.get("pq")).isEqualTo(30.0); // counted from the stored baseline (20)
    assertThat(after.engine.currentState("m1").orElseThrow().state()).isEqualTo(MachineState.DOWN);
    // The running session kept going across the restart.
    KpiReport session = after.engine.session("s1").orElseThrow().machines().get(0);
    assertThat(session.values().get("pbt_s")).isEqualTo(220.0);
  }

  @Test
  void anUnreadableSnapshotIsMovedAsideAndIgnored(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("kpi-state.json"), "{ not json");
    KpiSnapshotStore store = new KpiSnapshotStore(dir);
    assertThat(store.read()).isEmpty();
    assertThat(Files.exists(dir.resolve("kpi-state.json"))).isFalse();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("kpi-state.json.unreadable-"));
    }
  }
}
