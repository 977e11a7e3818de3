package io.atelier.simulator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProductionModelTest {

  private static final long T0 = 1_700_000_000_000L;

  private static MachineParams counting(long jobSize, boolean reset, long wrap) {
    MachineParams s = MachineParams.steady(Duration.ofSeconds(10));
    return new MachineParams(
        s.idealCycleTime(),
        1.0,
        0,
        0,
        Distribution.never(),
        s.mttr(),
        Distribution.never(),
        s.microStopDuration(),
        0,
        s.idleDuration(),
        jobSize,
        Distribution.fixed(Duration.ofSeconds(30)),
        reset,
        wrap);
  }

  @Test
  void countersWrapToZeroAfterTheConfiguredMaximum() {
    ProductionModel m =
        new ProductionModel(
            MachineType.CONVEYOR, counting(0, false, 5), new SplittableRandom(1), T0, noop());

    m.advanceTo(T0 + 13 * 10_000);

    // 0,1,2,3,4,5 then 0 again: the 13th part shows 13 mod 6 = 1.
    assertThat(m.goodCount()).isEqualTo(1);
    assertThat(m.totalGood()).isEqualTo(13);
  }

  @Test
  void countersRestartWithEachJobWhenConfiguredAndSetupSeparatesJobs() {
    List<String> states = new ArrayList<>();
    ProductionModel m =
        new ProductionModel(
            MachineType.CNC_MILL,
            counting(4, true, 1000),
            new SplittableRandom(1),
            T0,
            recording(states));

    // Job 1: parts at 10, 20, 30, 40 s; setup 40..70 s; job 2: parts at 80, 90 s.
    m.advanceTo(T0 + 40_000);
    assertThat(m.goodCount()).isEqualTo(4);
    m.advanceTo(T0 + 95_000);

    assertThat(m.goodCount()).isEqualTo(2);
    assertThat(m.jobNumber()).isEqualTo(2);
    assertThat(m.jobGood()).isEqualTo(2);
    assertThat(m.totalGood()).isEqualTo(6);
    assertThat(states).containsExactly("40000 SETUP job-changeover", "70000 PRODUCING ");
  }

  @Test
  void countersKeepCountingAcrossJobsWhenResetIsOff() {
    ProductionModel m =
        new ProductionModel(
            MachineType.CNC_MILL, counting(4, false, 1000), new SplittableRandom(1), T0, noop());

    m.advanceTo(T0 + 95_000);

    assertThat(m.goodCount()).isEqualTo(6);
    assertThat(m.jobGood()).isEqualTo(2);
  }

  @Test
  void aFaultDuringAPlannedStopShowsDownAndThePlannedStopResumesAfterIt() {
    List<String> states = new ArrayList<>();
    ProductionModel m =
        new ProductionModel(
            MachineType.ROBOT_CELL,
            counting(0, false, 1000),
            new SplittableRandom(1),
            T0,
            recording(states));

    m.advanceTo(T0 + 5_000);
    m.plannedStop(Optional.of(Duration.ofSeconds(20)), Optional.empty());
    m.advanceTo(T0 + 10_000);
    m.injectFault(Optional.of(Duration.ofSeconds(5)), "collision");
    m.advanceTo(T0 + 40_000);

    assertThat(states)
        .containsExactly(
            "5000 PLANNED_STOP planned-stop",
            "10000 DOWN collision",
            "15000 PLANNED_STOP planned-stop",
            "25000 PRODUCING ");
    // The cycle paused at 5 s with 5 s left resumes at 25 s: parts at 30 s and 40 s.
    assertThat(m.totalGood()).isEqualTo(2);
  }

  @Test
  void anOpenPlannedStopLastsUntilResume() {
    ProductionModel m =
        new ProductionModel(
            MachineType.PRINTER_3D, counting(0, false, 1000), new SplittableRandom(1), T0, noop());

    m.plannedStop(Optional.empty(), Optional.of("weekend"));
    m.advanceTo(T0 + 86_400_000);
    assertThat(m.state()).isEqualTo(MachineState.PLANNED_STOP);
    assertThat(m.reason()).isEqualTo("weekend");
    m.resume();

    assertThat(m.state()).isEqualTo(MachineState.PRODUCING);
    assertThat(m.totalGood()).isZero();
  }

  @Test
  void randomFaultsAndMicroStopsCarryAlarmCodesFromTheCatalogue() {
    MachineParams p = MachineParams.defaults(MachineType.INJECTION_MOULDING);
    List<Long> codes = new ArrayList<>();
    ProductionModel m =
        new ProductionModel(
            MachineType.INJECTION_MOULDING,
            p,
            new SplittableRandom(3),
            T0,
            new ProductionListener() {
              @Override
              public void stateChanged(
                  long timeMs, MachineState state, String reason, long alarmCode) {
                if (state == MachineState.DOWN) {
                  codes.add(alarmCode);
                } else {
                  assertThat(alarmCode).isZero();
                }
              }

              @Override
              public void partMade(long timeMs, boolean good) {}
            });

    m.advanceTo(T0 + 48 * 3_600_000L);

    assertThat(codes).isNotEmpty().contains(AlarmCatalogue.MICRO_STOP_CODE);
    assertThat(codes).anyMatch(c -> c > 3100 && c < 3200);
    assertThat(codes).allMatch(c -> c == AlarmCatalogue.MICRO_STOP_CODE || (c > 3100 && c < 3200));
  }

  private static ProductionListener noop() {
    return ProductionListener.NONE;
  }

  private static ProductionListener recording(List<String> out) {
    return new ProductionListener() {
      @Override
      public void stateChanged(long timeMs, MachineState state, String reason, long alarmCode) {
        out.add((timeMs - T0) + " " + state + " " + reason);
      }

      @Override
      public void partMade(long timeMs, boolean good) {}
    };
  }
}
