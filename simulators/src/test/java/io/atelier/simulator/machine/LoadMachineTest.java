package io.atelier.simulator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.connector.api.MachineRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadMachineTest {

  private static final long T0 = 1_700_000_000_000L;

  private record Change(String signal, double value, Instant time) {}

  private static List<Change> listen(SignalBoard board) {
    List<Change> changes = new ArrayList<>();
    board.addListener((m, s, v, t) -> changes.add(new Change(s.name(), (Double) v, t)));
    return changes;
  }

  private static LoadMachine machine(SignalBoard board) {
    return new LoadMachine(
        new MachineRef("platform", "hall-a", "load", "load-0001"), "opcua", 3, 250, T0, board);
  }

  @Test
  void everySignalChangesOnceAtEveryBoundaryStampedWithTheBoundary() {
    SignalBoard board = new SignalBoard();
    LoadMachine m = machine(board);
    List<Change> changes = listen(board);

    m.advanceTo(T0 + 100);
    m.advanceTo(T0 + 260);
    m.advanceTo(T0 + 499);
    m.advanceTo(T0 + 510);

    assertThat(changes).hasSize(6);
    assertThat(changes.subList(0, 3))
        .extracting(Change::time)
        .containsOnly(Instant.ofEpochMilli(T0 + 250));
    assertThat(changes.subList(3, 6))
        .extracting(Change::time)
        .containsOnly(Instant.ofEpochMilli(T0 + 500));
    assertThat(m.periods()).isEqualTo(2);
    assertThat(m.late()).isZero();
    assertThat(m.skipped()).isZero();
  }

  @Test
  void aLateTickEmitsEveryBoundaryItPassedInOrderAndCountsThemLate() {
    SignalBoard board = new SignalBoard();
    LoadMachine m = machine(board);
    List<Change> changes = listen(board);

    // One tick 1.1 s late: boundaries 250, 500, 750, 1000 all still change every signal.
    m.advanceTo(T0 + 1_100);

    assertThat(changes).hasSize(4 * 3);
    assertThat(changes.stream().map(Change::time).distinct())
        .containsExactly(
            Instant.ofEpochMilli(T0 + 250),
            Instant.ofEpochMilli(T0 + 500),
            Instant.ofEpochMilli(T0 + 750),
            Instant.ofEpochMilli(T0 + 1_000));
    for (int i = 3; i < changes.size(); i++) {
      assertThat(changes.get(i).value()).isNotEqualTo(changes.get(i - 3).value());
    }
    assertThat(m.periods()).isEqualTo(4);
    // 250, 500 and 750 were emitted 350 ms or more after their time; 1000 only 100 ms after.
    assertThat(m.late()).isEqualTo(3);
    assertThat(m.skipped()).isZero();
  }

  @Test
  void aStallLongerThanTheCatchUpLimitSkipsTheOldestBoundariesAndCountsThem() {
    SignalBoard board = new SignalBoard();
    LoadMachine m = machine(board);
    List<Change> changes = listen(board);

    long periods = LoadMachine.MAX_CATCH_UP + 10;
    m.advanceTo(T0 + periods * 250);

    assertThat(changes).hasSize(LoadMachine.MAX_CATCH_UP * 3);
    assertThat(changes.get(0).time()).isEqualTo(Instant.ofEpochMilli(T0 + 11 * 250));
    assertThat(changes.get(changes.size() - 1).time())
        .isEqualTo(Instant.ofEpochMilli(T0 + periods * 250));
    assertThat(m.periods()).isEqualTo(periods);
    assertThat(m.skipped()).isEqualTo(10);
    assertThat(m.late()).isEqualTo(LoadMachine.MAX_CATCH_UP - 1);
  }
}
