package io.atelier.gateway.kpi;

import static io.atelier.gateway.kpi.KpiRig.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The time model against hand-computed cases: counters, micro-stops, shifts, lines, OFFLINE. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KpiTimeModelTest {

  private static final String SETTINGS = "lateness: 0s\nstaleAfter: 1h\n";
  private static final String LINE = "platform/hall-a/machining";

  private static KpiRig oneMachine(String settings, String kpi) {
    return new KpiRig(KpiRig.MONDAY, settings, List.of(machine("m1", LINE + "/m1", kpi)));
  }

  @Test
  void rollingWindowsForgetWhatIsOlderThanTheirLength() {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s");
    rig.at(0).send("m1", "state", "DOWN");
    rig.at(300).send("m1", "state", "PRODUCING");
    rig.at(1200).tick();
    // 15m = [300, 1200): the first 5 minutes down have left it; the 1h window still has them.
    assertThat(rig.kpis("m1", "15m").get("availability")).isEqualTo(1.0);
    assertThat(rig.kpis("m1", "1h").get("availability")).isCloseTo(900.0 / 1200, within(1e-12));
    assertThat(rig.report("m1", "15m").from()).isEqualTo(rig.t0.plusSeconds(300));
    // The 8h window uses coarser buckets (80 s) and still sums exactly.
    assertThat(rig.kpis("m1", "8h").get("apt_s")).isEqualTo(900.0);
    assertThat(rig.kpis("m1", "8h").get("adet_s")).isEqualTo(300.0);
  }

  @Test
  void counterWrapsAndResetsCountEveryPartOnce() {
    KpiRig rig =
        oneMachine(
            SETTINGS,
            "idealCycleTime: 1s\ncounters: {good: good_count, reject: reject_count, wrapAt: 65535}");
    rig.at(0)
        .send("m1", "state", "PRODUCING")
        .send("m1", "good_count", 65000L)
        .send("m1", "reject_count", 0L);
    rig.at(10).send("m1", "good_count", 65530L).send("m1", "reject_count", 4L); // +530, +4
    rig.at(20).send("m1", "good_count", 5L); // wrap: 65535 - 65530 + 5 + 1 = +11
    rig.at(30).send("m1", "good_count", 100L); // +95
    rig.at(40).send("m1", "good_count", 3L); // reset (100 is not near the top): +3
    rig.at(45).send("m1", "reject_count", 1L); // reset: +1
    rig.at(50).send("m1", "good_count", 10L); // +7
    rig.at(55).sendStamped("m1", "good_count", 2L, 35); // older than what we have: ignored
    rig.at(60).tick();

    Map<String, Double> k = rig.kpis("m1", "15m");
    assertThat(k.get("gq")).isEqualTo(530.0 + 11 + 95 + 3 + 7);
    assertThat(k.get("sq")).isEqualTo(5.0);
    assertThat(k.get("pq")).isEqualTo(651.0);
    KpiStats stats = rig.engine.stats().get(0);
    assertThat(stats.counterWraps()).isEqualTo(1);
    assertThat(stats.counterResets()).isEqualTo(2);
    assertThat(stats.lateSamples()).isEqualTo(1);
  }

  @Test
  void totalAndRejectCountersDeriveTheGoodParts() {
    KpiRig rig =
        oneMachine(
            SETTINGS, "idealCycleTime: 1s\ncounters: {total: part_count, reject: reject_count}");
    rig.at(0)
        .send("m1", "state", "PRODUCING")
        .send("m1", "part_count", 0L)
        .send("m1", "reject_count", 0L);
    rig.at(30).send("m1", "part_count", 20L).send("m1", "reject_count", 3L);
    rig.at(60).tick();
    Map<String, Double> k = rig.kpis("m1", "15m");
    assertThat(k.get("pq")).isEqualTo(20.0);
    assertThat(k.get("gq")).isEqualTo(17.0);
    assertThat(k.get("sq")).isEqualTo(3.0);
    assertThat(k.get("effectiveness")).isCloseTo(20.0 / 60, within(1e-12));
  }

  /** Produces for 100 s, then a DOWN stop of {@code stop} seconds, then produces until 300 s. */
  private static Map<String, Double> withStop(String kpi, String stopState, double stop) {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s\n" + kpi);
    rig.at(0).send("m1", "state", "PRODUCING");
    rig.at(100).send("m1", "state", stopState);
    rig.at(100 + stop).send("m1", "state", "PRODUCING");
    rig.at(300).tick();
    return rig.kpis("m1", "15m");
  }

  @Test
  void aStopJustUnderTheThresholdIsAMicroStopAndJustOverIsAFailure() {
    String micro = "microStop: {threshold: 30s}";
    Map<String, Double> under = withStop(micro, "DOWN", 29.999);
    assertThat(under.get("micro_stops")).isEqualTo(1.0);
    assertThat(under.get("micro_stop_s")).isCloseTo(29.999, within(1e-9));
    assertThat(under.get("failures")).isEqualTo(0.0);
    assertThat(under.get("adet_s"))
        .isCloseTo(29.999, within(1e-9)); // ISO default: micro-stops are ADET
    assertThat(under).doesNotContainKeys("mtbf_s", "mttr_s");

    Map<String, Double> over = withStop(micro, "DOWN", 30.0);
    assertThat(over.get("micro_stops")).isEqualTo(0.0);
    assertThat(over.get("micro_stop_s")).isEqualTo(0.0);
    assertThat(over.get("failures")).isEqualTo(1.0);
    assertThat(over.get("adet_s")).isEqualTo(30.0);
    assertThat(over.get("apt_s")).isEqualTo(270.0);
    assertThat(over.get("mtbf_s")).isEqualTo(270.0);
    assertThat(over.get("mttr_s")).isEqualTo(30.0);
  }

  @Test
  void microStopsGoWhereConfigured() {
    // Counted as producing: the short stop becomes a performance loss instead of availability.
    Map<String, Double> asProducing =
        withStop("microStop: {threshold: 30s, as: producing}", "DOWN", 20);
    assertThat(asProducing.get("apt_s")).isEqualTo(300.0);
    assertThat(asProducing.get("adet_s")).isEqualTo(0.0);
    assertThat(asProducing.get("micro_stop_s")).isEqualTo(20.0);

    // A short IDLE is a micro-stop too, and by default ADET (not ADOT).
    Map<String, Double> idle = withStop("microStop: {threshold: 30s}", "IDLE", 20);
    assertThat(idle.get("adet_s")).isEqualTo(20.0);
    assertThat(idle.get("adot_s")).isEqualTo(0.0);
    // A long IDLE stays ADOT and is no failure.
    Map<String, Double> longIdle = withStop("microStop: {threshold: 30s}", "IDLE", 40);
    assertThat(longIdle.get("adot_s")).isEqualTo(40.0);
    assertThat(longIdle.get("adet_s")).isEqualTo(0.0);
    assertThat(longIdle.get("failures")).isEqualTo(0.0);
  }

  @Test
  void anOngoingStopIsAMicroStopUntilItCrossesTheThreshold() {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s\nmicroStop: {threshold: 60s}");
    rig.at(0).send("m1", "state", "PRODUCING");
    rig.at(100).send("m1", "state", "IDLE");
    rig.at(130).tick();
    assertThat(rig.kpis("m1", "15m").get("adet_s")).isEqualTo(30.0); // provisionally a micro-stop
    rig.at(190).tick();
    Map<String, Double> k = rig.kpis("m1", "15m");
    assertThat(k.get("adet_s")).isEqualTo(0.0); // re-booked once it lasted 60 s
    assertThat(k.get("adot_s")).isEqualTo(90.0);
    assertThat(k.get("micro_stop_s")).isEqualTo(0.0);
  }

  private static final String TWO_SHIFTS =
      """
      lateness: 0s
      staleAfter: 1h
      calendars:
        two-shifts:
          timezone: UTC
          shifts:
            - name: early
              days: mon-fri
              start: "06:00"
              end: "14:00"
              breaks: [ { start: "09:00", end: "09:15" } ]
            - name: late
              days: mon-fri
              start: "14:00"
              end: "22:00"
      defaultCalendar: two-shifts
      """;

  private static double h(double hours) {
    return hours * 3600;
  }

  @Test
  void aShiftBoundaryInsideTheWindow() {
    KpiRig rig = oneMachine(TWO_SHIFTS, "idealCycleTime: 1s");
    rig.at(h(13)).send("m1", "state", "PRODUCING");
    rig.at(h(13) + 40 * 60).send("m1", "state", "DOWN");
    rig.at(h(14) + 10 * 60).send("m1", "state", "PRODUCING");
    rig.at(h(14.5)).tick();

    // 1h window [13:30, 14:30): producing 10 min, down 30 min (13:40-14:10), producing 20 min.
    Map<String, Double> hour = rig.kpis("m1", "1h");
    assertThat(hour.get("apt_s")).isEqualTo(1800.0);
    assertThat(hour.get("adet_s")).isEqualTo(1800.0);
    assertThat(hour.get("availability")).isEqualTo(0.5);
    // The shift window only holds the late shift [14:00, 14:30): down 10 min, producing 20 min.
    KpiReport shift = rig.report("m1", "shift");
    assertThat(shift.label()).isEqualTo("late 2025-03-03");
    assertThat(shift.from()).isEqualTo(Instant.parse("2025-03-03T14:00:00Z"));
    assertThat(shift.values().get("apt_s")).isEqualTo(1200.0);
    assertThat(shift.values().get("adet_s")).isEqualTo(600.0);
    assertThat(shift.values().get("availability")).isCloseTo(2.0 / 3, within(1e-12));
    // The Pareto of the shift clips the stop to the shift.
    DowntimePareto pareto = rig.engine.downtime("m1", "shift").orElseThrow();
    assertThat(pareto.entries()).hasSize(1);
    assertThat(pareto.entries().get(0).seconds()).isEqualTo(600.0);
  }

  @Test
  void aBreakIsPlannedDownTime() {
    KpiRig rig = oneMachine(TWO_SHIFTS, "idealCycleTime: 1s");
    rig.at(h(8.5)).send("m1", "state", "PRODUCING");
    rig.at(h(9) - 300).send("m1", "state", "DOWN"); // 08:55
    rig.at(h(9) + 300).send("m1", "state", "PRODUCING"); // 09:05, inside the break
    rig.at(h(9.5)).tick();

    // [08:30, 09:30): 08:30-08:55 APT 1500 s; 08:55-09:00 ADET 300 s; 09:00-09:05 down in the
    // break: planned down time 300 s; 09:05-09:15 producing in the break counts as APT 600 s
    // (production is never hidden); 09:15-09:30 APT 900 s.
    Map<String, Double> k = rig.kpis("m1", "1h");
    assertThat(k.get("apt_s")).isEqualTo(3000.0);
    assertThat(k.get("adet_s")).isEqualTo(300.0);
    assertThat(k.get("planned_down_s")).isEqualTo(300.0);
    assertThat(k.get("pbt_s")).isEqualTo(3300.0);
    assertThat(k.get("availability")).isCloseTo(3000.0 / 3300, within(1e-12));
    // The stop's loss is only its part inside planned busy time.
    assertThat(rig.engine.downtime("m1", "1h").orElseThrow().entries().get(0).seconds())
        .isEqualTo(300.0);
  }

  @Test
  void timeOutsideEveryShiftIsPlannedDownTime() {
    KpiRig rig = oneMachine(TWO_SHIFTS, "idealCycleTime: 1s");
    rig.at(h(21)).send("m1", "state", "IDLE");
    rig.at(h(22.5)).tick();
    Map<String, Double> k = rig.kpis("m1", "1h");
    assertThat(k.get("adot_s")).isEqualTo(1800.0); // 21:30-22:00
    assertThat(k.get("planned_down_s")).isEqualTo(1800.0); // 22:00-22:30, no shift
    assertThat(k.get("pbt_s")).isEqualTo(1800.0);
    KpiReport shift = rig.report("m1", "shift");
    assertThat(shift.label()).isEqualTo("no shift");
    assertThat(shift.values()).doesNotContainKey("availability"); // no planned busy time
  }

  @Test
  void lineKpisSumTimesAndCountsAndNeverAverageRatios() {
    KpiRig rig =
        new KpiRig(
            KpiRig.MONDAY,
            SETTINGS,
            List.of(
                machine("a", LINE + "/a", "idealCycleTime: 2s"),
                machine("b", LINE + "/b", "idealCycleTime: 10s")));
    rig.at(0)
        .send("a", "state", "PRODUCING")
        .send("a", "good_count", 0L)
        .send("a", "reject_count", 0L);
    rig.send("b", "state", "PRODUCING").send("b", "good_count", 0L).send("b", "reject_count", 0L);
    rig.at(290).send("b", "good_count", 30L);
    rig.at(300).send("b", "state", "DOWN");
    rig.at(590).send("a", "good_count", 200L).send("a", "reject_count", 40L);
    rig.at(600).tick();

    // a: APT 600/600, ideal 240 x 2 s = 480 s -> E 0.8, Q 200/240 -> OEE 2/3.
    // b: APT 300/600, ideal 30 x 10 s = 300 s -> E 1.0, Q 1 -> OEE 0.5.
    double oeeA = rig.kpis("a", "15m").get("oee");
    double oeeB = rig.kpis("b", "15m").get("oee");
    assertThat(oeeA).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(oeeB).isCloseTo(0.5, within(1e-12));
    // Line: A = 900/1200, E = 780/900, Q = 230/270 -> OEE = 780/1200 x 230/270 = 0.553704.
    Map<String, Double> line = rig.kpis(LINE, "15m");
    assertThat(line.get("availability")).isCloseTo(0.75, within(1e-12));
    assertThat(line.get("effectiveness")).isCloseTo(780.0 / 900, within(1e-12));
    assertThat(line.get("quality")).isCloseTo(230.0 / 270, within(1e-12));
    assertThat(line.get("oee")).isCloseTo(780.0 / 1200 * 230 / 270, within(1e-12));
    assertThat(line.get("oee")).isNotCloseTo((oeeA + oeeB) / 2, within(0.01));
    // Throughput: all the line's parts per hour of window (270 parts in 10 minutes).
    assertThat(line.get("throughput_per_h")).isCloseTo(1620.0, within(1e-9));
    assertThat(line.get("elapsed_s")).isEqualTo(600.0);
  }

  @Test
  void aMachineWithoutDataBecomesOfflineAfterTheStalenessTimeout() {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s\nstaleAfter: 30s");
    rig.at(0).send("m1", "state", "PRODUCING").send("m1", "good_count", 0L);
    rig.at(60).send("m1", "good_count", 10L);
    rig.at(80).tick();
    assertThat(rig.engine.currentState("m1").orElseThrow().state())
        .isEqualTo(MachineState.PRODUCING);
    rig.at(120).tick();

    // Last data at 60 s: OFFLINE from 90 s, counted as ADET by default and reported on its own.
    Map<String, Double> k = rig.kpis("m1", "15m");
    assertThat(k.get("apt_s")).isEqualTo(90.0);
    assertThat(k.get("offline_s")).isEqualTo(30.0);
    assertThat(k.get("adet_s")).isEqualTo(30.0);
    MachineStateChange offline = rig.changes.get(rig.changes.size() - 1);
    assertThat(offline.state()).isEqualTo(MachineState.OFFLINE);
    assertThat(offline.at()).isEqualTo(rig.t0.plusSeconds(90));

    // Data again at 150 s: the last known state resumes, and the parts made meanwhile count.
    rig.at(150).send("m1", "good_count", 20L);
    rig.at(170).tick();
    k = rig.kpis("m1", "15m");
    assertThat(k.get("apt_s")).isEqualTo(110.0);
    assertThat(k.get("offline_s")).isEqualTo(60.0);
    assertThat(k.get("pq")).isEqualTo(20.0);
    assertThat(rig.engine.currentState("m1").orElseThrow().state())
        .isEqualTo(MachineState.PRODUCING);
  }

  @Test
  void aLostConnectionMakesTheMachineOfflineFromThatMoment() {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s\nofflineAs: idle");
    rig.at(0).send("m1", "state", "PRODUCING");
    rig.at(100);
    rig.engine.connectionChanged(List.of("m1"), false);
    rig.at(150);
    rig.engine.connectionChanged(List.of("m1"), true);
    rig.at(160).send("m1", "state", "PRODUCING");
    rig.at(200).tick();
    Map<String, Double> k = rig.kpis("m1", "15m");
    assertThat(k.get("apt_s")).isEqualTo(140.0);
    assertThat(k.get("offline_s")).isEqualTo(60.0);
    assertThat(k.get("adot_s")).isEqualTo(60.0); // offlineAs: idle
    assertThat(rig.changes)
        .extracting(MachineStateChange::state)
        .containsExactly(MachineState.PRODUCING, MachineState.OFFLINE, MachineState.PRODUCING);
    assertThat(rig.changes.get(1).nativeState()).isEqualTo("connection lost");
  }

  @Test
  void aLateStateChangeTakesEffectAtTheBookedTime() {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s");
    rig.at(0).send("m1", "state", "PRODUCING");
    rig.at(100).tick();
    rig.sendStamped("m1", "state", "DOWN", 90); // arrives after 100 s were booked
    rig.at(200).tick();
    Map<String, Double> k = rig.kpis("m1", "15m");
    assertThat(k.get("apt_s")).isEqualTo(100.0);
    assertThat(k.get("adet_s")).isEqualTo(100.0);
    assertThat(rig.engine.stats().get(0).lateSamples()).isEqualTo(1);
  }

  @Test
  void anUnknownStateCodeIsCountedAndBookedAsConfigured() {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s\nstate: {signal: state, unknown: idle}");
    rig.at(0).send("m1", "state", "WARMING_UP");
    rig.at(60).tick();
    assertThat(rig.kpis("m1", "15m").get("adot_s")).isEqualTo(60.0);
    assertThat(rig.engine.stats().get(0).unknownCodes()).isEqualTo(1);
    assertThat(rig.engine.currentState("m1").orElseThrow().nativeState()).isEqualTo("WARMING_UP");
  }

  @Test
  void theParetoRanksDowntimeByReason() {
    KpiRig rig = oneMachine(SETTINGS, "idealCycleTime: 1s");
    rig.at(0).send("m1", "state", "PRODUCING").send("m1", "alarm_code", 0L);
    rig.at(100).send("m1", "alarm_code", 17L).send("m1", "state", "DOWN");
    rig.at(200).send("m1", "state", "PRODUCING").send("m1", "alarm_code", 0L);
    rig.at(300).send("m1", "state", "DOWN");
    rig.at(301).send("m1", "alarm_code", 17L); // the alarm comes just after the stop
    rig.at(350).send("m1", "state", "PRODUCING").send("m1", "alarm_code", 0L);
    rig.at(400).send("m1", "alarm_code", 4L).send("m1", "state", "DOWN");
    rig.at(520).send("m1", "state", "PRODUCING").send("m1", "alarm_code", 0L);
    rig.at(600).send("m1", "state", "IDLE");
    rig.at(630).send("m1", "state", "PRODUCING");
    rig.at(700).tick();

    List<DowntimePareto.Entry> entries = rig.engine.downtime("m1", "15m").orElseThrow().entries();
    assertThat(entries)
        .containsExactly(
            new DowntimePareto.Entry(MachineState.DOWN, "17", 2, 0, 150.0),
            new DowntimePareto.Entry(MachineState.DOWN, "4", 1, 0, 120.0),
            new DowntimePareto.Entry(MachineState.IDLE, "IDLE", 1, 0, 30.0));
    assertThat(rig.changes)
        .anySatisfy(c -> assertThat(c.reason()).isEqualTo("17").isNotNull())
        .filteredOn(c -> c.at().equals(rig.t0.plusSeconds(301)))
        .singleElement()
        .satisfies(c -> assertThat(c.reason()).isEqualTo("17"));
  }
}
