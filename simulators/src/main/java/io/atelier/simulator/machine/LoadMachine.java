package io.atelier.simulator.machine;

import io.atelier.connector.api.MachineRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A synthetic machine for benchmarks: K double signals that all change at every period boundary of
 * simulated time, so the number of changes a run produced is known exactly: (periods elapsed) × K.
 * Values are a sine per signal; when rounding would repeat a value it is nudged so every period
 * really is a change.
 *
 * <p>A tick that comes late (the simulator starved of CPU) still emits every boundary it passed, in
 * order and each with its own source time, so a benchmark's "offered" stays true; such boundaries
 * are counted as late. Only after a stall longer than {@link #MAX_CATCH_UP} periods are the oldest
 * boundaries dropped, and counted as skipped.
 */
public final class LoadMachine implements SimulatedDevice {

  /** Most boundaries one tick emits; older ones are skipped (and counted) after a long stall. */
  public static final int MAX_CATCH_UP = 40;

  private final MachineInfo info;
  private final SignalBoard board;
  private final long startMs;
  private final long periodMs;
  private final double[] last;
  private final String[] names;
  private long period;
  private long late;
  private long skipped;

  public LoadMachine(
      MachineRef ref,
      String protocol,
      int signals,
      long periodMs,
      long startMs,
      SignalBoard board) {
    if (signals < 1 || periodMs < 1) {
      throw new IllegalArgumentException("need at least one signal and a period of 1 ms or more");
    }
    this.board = board;
    this.startMs = startMs;
    this.periodMs = periodMs;
    this.last = new double[signals];
    this.names = new String[signals];
    List<SignalDef> defs = new ArrayList<>(signals);
    Map<String, Object> initial = new LinkedHashMap<>();
    for (int k = 0; k < signals; k++) {
      String name = signalName(k);
      names[k] = name;
      defs.add(new SignalDef(name, SignalType.DOUBLE, "", "Load/" + name));
      last[k] = value(0, k);
      initial.put(name, last[k]);
    }
    this.info = new MachineInfo(ref.machine(), "load", ref, protocol, defs);
    board.define(info, initial, Instant.ofEpochMilli(startMs));
  }

  public static String signalName(int k) {
    return String.format("value_%03d", k);
  }

  @Override
  public MachineInfo info() {
    return info;
  }

  /** Periods completed so far; each one not {@link #skipped} changed every signal once. */
  public long periods() {
    return period;
  }

  /** Boundaries emitted a whole period or more after their time (the simulator was starved). */
  public long late() {
    return late;
  }

  /** Boundaries never emitted, because a stall outlasted {@link #MAX_CATCH_UP} periods. */
  public long skipped() {
    return skipped;
  }

  @Override
  public void advanceTo(long t) {
    long n = (t - startMs) / periodMs;
    if (n <= period) {
      return;
    }
    long from = period + 1;
    if (n - from >= MAX_CATCH_UP) {
      skipped += n - MAX_CATCH_UP + 1 - from;
      from = n - MAX_CATCH_UP + 1;
    }
    for (long p = from; p <= n; p++) {
      long boundary = startMs + p * periodMs;
      if (t - boundary >= periodMs) {
        late++;
      }
      emit(p, Instant.ofEpochMilli(boundary));
    }
    period = n;
  }

  private void emit(long n, Instant time) {
    for (int k = 0; k < last.length; k++) {
      double v = value(n, k);
      if (v == last[k]) {
        v += 0.001;
      }
      last[k] = v;
      board.set(info.id(), names[k], v, time);
    }
  }

  private static double value(long n, int k) {
    return Math.round((100 + 50 * Math.sin(0.1 * n + k)) * 1000) / 1000.0;
  }
}
