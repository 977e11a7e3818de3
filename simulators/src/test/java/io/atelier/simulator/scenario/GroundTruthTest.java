package io.atelier.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import io.atelier.simulator.machine.MachineConfig;
import io.atelier.simulator.machine.MachineParams;
import io.atelier.simulator.machine.MachineState;
import io.atelier.simulator.machine.MachineType;
import io.atelier.simulator.machine.SignalBoard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ground truth over a scenario whose every event is known, against KPIs worked out by hand. The
 * machine has a fixed 60 s cycle, no scrap, no random faults; the scenario injects a 5 min fault,
 * one minute-by-minute reject burst, a 10 min planned stop, a slow-down to half speed and a 2 min
 * setup. The timeline (seconds from start):
 *
 * <pre>
 *    0..600   producing, parts at 60..600 (10 good)
 *  600..900   DOWN (fault injected at 600; the cycle begun at 600 resumes at 900)
 *  900..1800  producing, parts at 960..1800 (15; scrap rate 1.0 from 1200 to 1500 makes the parts
 *             at 1260, 1320, 1380, 1440, 1500 rejects)
 * 1800..2400  PLANNED_STOP
 * 2400..3300  producing: parts at 2460..2700 (5); speed 0.5 from 2700, so the cycle begun at 2700
 *             ends at 2820 and the next ones every 120 s: 2940, 3060, 3180, 3300 (5)
 * 3300..3420  SETUP (forced at 3300, after the part at 3300)
 * 3420..3600  producing, part at 3540 (1), next one due at 3660
 * </pre>
 *
 * So over [0, 3600): APT 2580 s, ADET 300 s, ASUT 120 s, planned 600 s, PQ 36, SQ 5, GQ 31.
 */
class GroundTruthTest {

  private static final long T0 = Instant.parse("2025-03-03T06:00:00Z").toEpochMilli();

  static Simulation run(long stepMs) {
    Simulation sim = new Simulation(7, T0, new SignalBoard(), Clock.systemUTC());
    sim.addMachine(
        new MachineConfig(
            "cnc-01",
            MachineType.CNC_MILL,
            MachineRef.parse("platform/hall-a/machining/cnc-01"),
            MachineConfig.OPCUA,
            MachineParams.steady(Duration.ofSeconds(60))));
    Scenario scenario =
        ScenarioReader.parse(
            """
            name: known faults
            events:
              - {at: 600s, action: fault, machine: cnc-01, duration: 5m, reason: tool-breakage}
              - {at: 1200s, action: scrap-rate, machine: cnc-01, scrap-rate: 1.0}
              - {at: 1500s, action: scrap-rate, machine: cnc-01, scrap-rate: 0}
              - {at: 30m, action: planned-stop, machine: cnc-01, duration: 10m, reason: break}
              - {at: 2700s, action: speed, machine: cnc-01, speed: 0.5}
              - {at: 3300s, action: setup, machine: cnc-01, duration: 2m}
            """,
            List.of("cnc-01"),
            List.of());
    sim.schedule(scenario, T0);
    for (long t = T0; t < T0 + 3_600_000; t = Math.min(t + stepMs, T0 + 3_600_000)) {
      sim.advanceTo(Math.min(t + stepMs, T0 + 3_600_000));
    }
    return sim;
  }

  @ParameterizedTest(name = "tick {0} ms")
  @ValueSource(longs = {100, 1000, 7_321, 3_600_000})
  void truthOverTheWholeRunMatchesTheHandComputedKpisWhateverTheTickSize(long stepMs) {
    Simulation sim = run(stepMs);
    TruthReport r = sim.truth("cnc-01", T0, T0 + 3_600_000).orElseThrow();

    assertThat(r.windowMs()).isEqualTo(3_600_000);
    assertThat(r.aptMs()).isEqualTo(2_580_000);
    assertThat(r.adetMs()).isEqualTo(300_000);
    assertThat(r.asutMs()).isEqualTo(120_000);
    assertThat(r.adotMs()).isZero();
    assertThat(r.plannedStopMs()).isEqualTo(600_000);
    assertThat(r.pbtMs()).isEqualTo(3_000_000);
    assertThat(r.pq()).isEqualTo(36);
    assertThat(r.gq()).isEqualTo(31);
    assertThat(r.sq()).isEqualTo(5);
    assertThat(r.failures()).isEqualTo(1);
    assertThat(r.microStops()).isZero();

    double availability = 2580.0 / 3000.0;
    double effectiveness = 60.0 * 36 / 2580.0;
    double quality = 31.0 / 36.0;
    assertThat(r.availability()).contains(availability);
    assertThat(r.effectiveness()).contains(effectiveness);
    assertThat(r.quality()).contains(quality);
    assertThat(r.oee()).contains(availability * effectiveness * quality);
    assertThat(r.throughputPerHour()).contains(36.0);
    assertThat(r.setupRatio()).contains(120.0 / 2700.0);
    assertThat(r.technicalEfficiency()).contains(2580.0 / 2880.0);
    assertThat(r.scrapRatio()).contains(5.0 / 36.0);
    assertThat(r.mtbfSeconds()).contains(2580.0);
    assertThat(r.mttrSeconds()).contains(300.0);
  }

  @ParameterizedTest(name = "tick {0} ms")
  @ValueSource(longs = {1000, 3_600_000})
  void truthOverASubIntervalClipsStatesAndCountsPartsByCompletionTime(long stepMs) {
    Simulation sim = run(stepMs);
    // [1000 s, 2000 s): producing 1000..1800, planned stop 1800..2000; parts at 1020..1800.
    TruthReport r = sim.truth("cnc-01", T0 + 1_000_000, T0 + 2_000_000).orElseThrow();

    assertThat(r.aptMs()).isEqualTo(800_000);
    assertThat(r.plannedStopMs()).isEqualTo(200_000);
    assertThat(r.pbtMs()).isEqualTo(800_000);
    assertThat(r.pq()).isEqualTo(14);
    assertThat(r.sq()).isEqualTo(5);
    assertThat(r.gq()).isEqualTo(9);
    assertThat(r.failures()).isZero();
    assertThat(r.availability()).contains(1.0);
    assertThat(r.effectiveness()).contains(60.0 * 14 / 800.0);
    assertThat(r.mtbfSeconds()).isEmpty();
  }

  @ParameterizedTest(name = "tick {0} ms")
  @ValueSource(longs = {1000})
  void stateSegmentsFollowTheScenarioTimeline(long stepMs) {
    Simulation sim = run(stepMs);
    List<MachineTruth.Segment> segments = sim.truthRecord("cnc-01").orElseThrow().segments();

    assertThat(segments)
        .extracting(s -> (s.startMs() - T0) / 1000 + " " + s.state() + " " + s.reason())
        .containsExactly(
            "0 PRODUCING ",
            "600 DOWN tool-breakage",
            "900 PRODUCING ",
            "1800 PLANNED_STOP break",
            "2400 PRODUCING ",
            "3300 SETUP job-changeover",
            "3420 PRODUCING ");
    assertThat(sim.machine("cnc-01").orElseThrow().production().state())
        .isEqualTo(MachineState.PRODUCING);
    assertThat(sim.events().all()).hasSize(6);
  }

  @ParameterizedTest(name = "tick {0} ms")
  @ValueSource(longs = {1000})
  void truthStopsAtTheSimulatedPresent(long stepMs) {
    Simulation sim = run(stepMs);
    TruthReport r = sim.truth("cnc-01", T0, T0 + 10_000_000).orElseThrow();

    assertThat(r.toMs()).isEqualTo(T0 + 3_600_000);
    assertThat(r.pq()).isEqualTo(36);
  }
}
