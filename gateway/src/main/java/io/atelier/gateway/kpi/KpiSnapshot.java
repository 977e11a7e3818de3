package io.atelier.gateway.kpi;

import java.util.List;
import java.util.Map;

/**
 * Everything the KPI engine needs to carry on after a restart, as plain data for JSON. Times are
 * epoch milliseconds. Written by {@link KpiSnapshotStore}.
 *
 * @param version the format version; a snapshot of another version is ignored
 * @param takenAtMs when it was taken (gateway clock)
 * @param nextSessionNo the number the next training session id gets
 * @param machines per machine state
 * @param sessions training sessions, running and kept finished ones
 */
public record KpiSnapshot(
    int version,
    long takenAtMs,
    long nextSessionNo,
    List<Machine> machines,
    List<Session> sessions) {

  public static final int VERSION = 1;

  /** One machine: its cursor, state, counter baselines, buckets, shift tally and recent stops. */
  public record Machine(
      String id,
      long cursorMs,
      MachineState state,
      String nativeState,
      String reason,
      Map<String, Object> inputs,
      Map<String, Counter> counters,
      double idealCycleS,
      long stopStartMs,
      boolean provisional,
      List<Ring> rings,
      long shiftStartMs,
      double[] shiftTally,
      List<Stop> stops) {}

  /** The non-empty buckets of one ring: bucket numbers and their tallies. */
  public record Ring(long widthMs, int count, long[] numbers, double[][] tallies) {}

  /** A counter's baseline. */
  public record Counter(double last, long timeMs) {}

  /** A stop of the downtime log; {@code endMs} is Long.MAX_VALUE while it lasts. */
  public record Stop(
      long startMs,
      long endMs,
      MachineState state,
      String reason,
      boolean reasonFromSignal,
      boolean micro) {}

  /** A training session and its per-machine tallies. */
  public record Session(
      String id,
      String name,
      long startMs,
      long endMs,
      List<String> machines,
      Map<String, double[]> tallies) {}
}
