package io.atelier.gateway.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblem;
import io.atelier.connector.api.config.ConfigProblems;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KpiConfigTest {

  @Test
  void defaultsFitTheSimulators() {
    ConfigProblems problems = new ConfigProblems();
    KpiSettings s = KpiSettings.read(new ConfigNode("kpi", java.util.Map.of(), problems));
    MachineKpiConfig m =
        MachineKpiConfig.read(new ConfigNode("machines[0].kpi", java.util.Map.of(), problems), s);
    assertThat(problems.all()).isEmpty();
    assertThat(s.windows()).extracting(KpiWindow::name).containsExactly("15m", "1h", "8h");
    assertThat(s.bucket()).isEqualTo(Duration.ofSeconds(10));
    assertThat(m.state().signals()).containsExactly("state");
    assertThat(m.counters().good()).contains("good_count");
    assertThat(m.counters().reject()).contains("reject_count");
    assertThat(m.idealCycleTimeSignal()).contains("ideal_cycle_time_s");
    assertThat(m.reasonSignal()).contains("alarm_code");
    assertThat(m.energySignal()).contains("energy_kwh");
    assertThat(m.microStopAs()).isEqualTo(MachineState.DOWN);
    assertThat(m.offlineAs()).isEqualTo(MachineState.DOWN);
  }

  @Test
  void aFullConfigurationIsRead() {
    ConfigProblems problems = new ConfigProblems();
    KpiSettings s =
        KpiSettings.read(
            new ConfigNode(
                "kpi",
                KpiRig.yaml(
                    """
                    bucket: 30s
                    windows: [ 30m, 4h ]
                    emitInterval: 2s
                    lateness: 1s
                    staleAfter: 20s
                    snapshotInterval: 5m
                    calendars:
                      plant: { timezone: UTC, shifts: [ { name: day, start: "06:00", end: "18:00" } ] }
                    """),
                problems));
    MachineKpiConfig m =
        MachineKpiConfig.read(
            new ConfigNode(
                "machines[0].kpi",
                KpiRig.yaml(
                    """
                    calendar: plant
                    state: { type: packml }
                    counters: { total: parts, reject: scrap, wrapAt: 4294967295 }
                    idealCycleTime: 850ms
                    reason: stop_reason
                    energy: none
                    microStop: { threshold: 45s, as: idle }
                    offlineAs: planned-stop
                    staleAfter: 2m
                    """),
                problems),
            s);
    assertThat(problems.all()).isEmpty();
    assertThat(s.windows()).extracting(KpiWindow::name).containsExactly("30m", "4h");
    assertThat(m.calendar()).contains("plant");
    assertThat(m.counters().total()).contains("parts");
    assertThat(m.counters().good()).isEmpty();
    assertThat(m.counters().wrapAt()).isEqualTo(4294967295.0);
    assertThat(m.idealCycleTime()).contains(Duration.ofMillis(850));
    assertThat(m.idealCycleTimeSignal()).isEmpty();
    assertThat(m.energySignal()).isEmpty();
    assertThat(m.microStopThreshold()).isEqualTo(Duration.ofSeconds(45));
    assertThat(m.microStopAs()).isEqualTo(MachineState.IDLE);
    assertThat(m.offlineAs()).isEqualTo(MachineState.PLANNED_STOP);
    assertThat(m.staleAfter()).contains(Duration.ofMinutes(2));
  }

  @Test
  void everyMistakeIsReportedAtOnceWithItsPath() {
    ConfigProblems problems = new ConfigProblems();
    KpiSettings s =
        KpiSettings.read(
            new ConfigNode(
                "kpi",
                KpiRig.yaml(
                    "bucket: 1500ms\nwindows: [ 15m, 1h, 25s, soon ]\ndefaultCalendar: nope\nwindow: 1h"),
                problems));
    MachineKpiConfig.read(
        new ConfigNode(
            "machines[2].kpi",
            KpiRig.yaml(
                """
                calendar: nope
                counters: { reject: scrap }
                idealCycleTime: 0s
                microStop: { threshold: 2h, as: setup }
                offlineAs: producing
                """),
            problems),
        s);
    List<String> paths = problems.all().stream().map(ConfigProblem::path).toList();
    assertThat(paths)
        .containsExactlyInAnyOrder(
            "kpi.bucket",
            "kpi.windows[2]",
            "kpi.windows[3]",
            "kpi.defaultCalendar",
            "kpi.window",
            "machines[2].kpi.calendar",
            "machines[2].kpi.counters",
            "machines[2].kpi.idealCycleTime",
            "machines[2].kpi.microStop.threshold",
            "machines[2].kpi.microStop.as",
            "machines[2].kpi.offlineAs");
  }
}
