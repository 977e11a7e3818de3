package io.atelier.gateway.kpi;

import io.atelier.gateway.kpi.ShiftCalendar.Period;
import java.util.Map;

/**
 * One machine's part counters (good, reject, total), its energy counter and its ideal cycle time:
 * turns counter values into PQ, GQ, SQ, ideal time and energy increments. With two of the three
 * part counters the third is derived; PQ always comes from one source so no part counts twice.
 */
final class PartCounters {

  static final int GOOD = 0;
  static final int REJECT = 1;
  static final int TOTAL = 2;
  private static final String[] NAMES = {"good", "reject", "total"};

  private final CounterTracker[] counters = new CounterTracker[3];
  private final int[][] effects = new int[3][];
  private final boolean[] countsPq = new boolean[3];
  private final CounterTracker energy = new CounterTracker(0);
  private double idealCycleS;

  long resets;
  long wraps;
  long badValues;

  PartCounters(MachineKpiConfig config) {
    MachineKpiConfig.Counters c = config.counters();
    for (int k = 0; k < 3; k++) {
      counters[k] = new CounterTracker(c.wrapAt());
    }
    boolean good = c.good().isPresent();
    boolean reject = c.reject().isPresent();
    if (c.total().isPresent()) {
      // (field, sign) pairs each counter's increase is added with.
      effects[TOTAL] =
          good && reject
              ? new int[] {Tally.PQ, 1}
              : good ? new int[] {Tally.PQ, 1, Tally.SQ, 1} : new int[] {Tally.PQ, 1, Tally.GQ, 1};
      countsPq[TOTAL] = true;
      effects[GOOD] = reject ? new int[] {Tally.GQ, 1} : new int[] {Tally.GQ, 1, Tally.SQ, -1};
      effects[REJECT] = good ? new int[] {Tally.SQ, 1} : new int[] {Tally.SQ, 1, Tally.GQ, -1};
    } else {
      effects[GOOD] = new int[] {Tally.PQ, 1, Tally.GQ, 1};
      effects[REJECT] = new int[] {Tally.PQ, 1, Tally.SQ, 1};
      countsPq[GOOD] = true;
      countsPq[REJECT] = true;
    }
    idealCycleS = config.idealCycleTime().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  /** A new ideal cycle time in seconds from its signal. */
  void idealCycleTime(Object v) {
    double d = number(v);
    if (d > 0 && d < 1e9) {
      idealCycleS = d;
    } else {
      badValues++;
    }
  }

  /** A part counter's value at {@code t}; its increase, if any, is added at {@code t}. */
  void count(int kind, Object v, long t, Period p, Accumulators acc) {
    double x = number(v);
    if (Double.isNaN(x)) {
      badValues++;
      return;
    }
    CounterTracker c = counters[kind];
    // A LATE value is older than the machine's cursor too: counted as late by the machine.
    switch (c.observe(x, t)) {
      case RESET -> resets++;
      case WRAP -> wraps++;
      default -> {}
    }
    double d = c.delta();
    if (d <= 0) {
      return;
    }
    int[] fx = effects[kind];
    for (int j = 0; j < fx.length; j += 2) {
      acc.addCount(fx[j], t, fx[j + 1] * d, p);
    }
    if (countsPq[kind]) {
      if (idealCycleS > 0) {
        acc.addCount(Tally.IDEAL_S, t, d * idealCycleS, p);
      } else {
        acc.addCount(Tally.PQ_NO_IDEAL, t, d, p);
      }
    }
  }

  /** The energy counter's value (kWh) at {@code t}. */
  void energy(Object v, long t, Period p, Accumulators acc) {
    double d = number(v);
    if (Double.isNaN(d)) {
      badValues++;
    } else if (energy.observe(d, t) != CounterTracker.Change.LATE && energy.delta() > 0) {
      acc.addCount(Tally.ENERGY_KWH, t, energy.delta(), p);
    }
  }

  static double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** The baselines, for a snapshot. */
  void snapshotInto(Map<String, KpiSnapshot.Counter> out) {
    for (int k = 0; k < 3; k++) {
      if (counters[k].known()) {
        out.put(NAMES[k], new KpiSnapshot.Counter(counters[k].last(), counters[k].lastTimeMs()));
      }
    }
    if (energy.known()) {
      out.put("energy", new KpiSnapshot.Counter(energy.last(), energy.lastTimeMs()));
    }
  }

  double idealCycleS() {
    return Double.isNaN(idealCycleS) ? 0 : idealCycleS;
  }

  void restore(Map<String, KpiSnapshot.Counter> saved, double savedIdealCycleS) {
    for (int k = 0; k < 3; k++) {
      KpiSnapshot.Counter c = saved.get(NAMES[k]);
      if (c != null) {
        counters[k].restore(c.last(), c.timeMs());
      }
    }
    KpiSnapshot.Counter e = saved.get("energy");
    if (e != null) {
      energy.restore(e.last(), e.timeMs());
    }
    if (savedIdealCycleS > 0) {
      idealCycleS = savedIdealCycleS;
    }
  }
}
