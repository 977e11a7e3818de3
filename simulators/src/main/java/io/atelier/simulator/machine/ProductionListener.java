package io.atelier.simulator.machine;

/**
 * Told by a {@link ProductionModel} of every state change and every finished part, at the exact
 * simulated time it happens (not rounded to a tick), so ground truth is exact.
 */
public interface ProductionListener {

  /**
   * The shown state or its reason changed.
   *
   * @param timeMs simulated time, epoch milliseconds
   * @param state the new state
   * @param reason why: a fault reason, {@code micro-stop}, {@code starved}, {@code blocked}, {@code
   *     job-changeover}, a planned-stop reason; empty while producing
   * @param alarmCode the alarm code while DOWN, 0 otherwise
   */
  void stateChanged(long timeMs, MachineState state, String reason, long alarmCode);

  /** A part was finished; good or reject. */
  void partMade(long timeMs, boolean good);

  /** Counters changed without a part (a job started and counters were reset). */
  default void countersReset(long timeMs) {}

  ProductionListener NONE =
      new ProductionListener() {
        @Override
        public void stateChanged(long timeMs, MachineState state, String reason, long alarmCode) {}

        @Override
        public void partMade(long timeMs, boolean good) {}
      };
}
