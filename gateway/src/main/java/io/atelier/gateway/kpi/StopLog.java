package io.atelier.gateway.kpi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/**
 * The recent stops of one machine (every period it was DOWN, IDLE, SETUP or OFFLINE), kept long
 * enough to cover the longest window, the current shift and running sessions: the source of the
 * downtime Pareto. Bounded in count.
 */
final class StopLog {

  static final int MAX_STOPS = 10_000;

  /** One stop; {@code end} is Long.MAX_VALUE while it lasts. */
  static final class Stop {
    final long start;
    long end = Long.MAX_VALUE;
    final MachineState state;
    String reason;
    boolean reasonFromSignal;
    boolean micro;

    Stop(long start, MachineState state, String reason, boolean reasonFromSignal) {
      this.start = start;
      this.state = state;
      this.reason = reason;
      this.reasonFromSignal = reasonFromSignal;
    }
  }

  private final ArrayDeque<Stop> stops = new ArrayDeque<>();

  Stop open() {
    Stop last = stops.peekLast();
    return last != null && last.end == Long.MAX_VALUE ? last : null;
  }

  void open(long at, MachineState state, String reason, boolean fromSignal) {
    stops.addLast(new Stop(at, state, reason, fromSignal));
    if (stops.size() > MAX_STOPS) {
      stops.removeFirst();
    }
  }

  void close(long at, boolean micro) {
    Stop s = open();
    if (s != null) {
      s.end = at;
      s.micro = micro;
    }
  }

  /** Forgets stops that ended before {@code keepFromMs}. */
  void prune(long keepFromMs) {
    Iterator<Stop> it = stops.iterator();
    while (it.hasNext()) {
      Stop s = it.next();
      if (s.end < keepFromMs) {
        it.remove();
      } else {
        break;
      }
    }
  }

  List<Stop> all() {
    return List.copyOf(stops);
  }

  void restore(List<Stop> restored) {
    stops.clear();
    stops.addAll(restored);
  }

  /**
   * The Pareto over {@code [from, to)}; {@code busyMs(a, b)} is the planned busy time within [a, b)
   * (stops in planned down time are no loss). An open stop counts up to {@code to}.
   */
  List<DowntimePareto.Entry> pareto(long from, long to, LongBinaryOperator busyMs) {
    record Key(MachineState state, String reason) {}
    Map<Key, double[]> sums = new HashMap<>();
    for (Stop s : stops) {
      long a = Math.max(from, s.start);
      long b = Math.min(to, s.end);
      if (b <= a && !(s.start >= from && s.start < to && s.end == s.start)) {
        continue;
      }
      double[] sum = sums.computeIfAbsent(new Key(s.state, s.reason), k -> new double[3]);
      sum[0] += 1;
      sum[1] += s.micro ? 1 : 0;
      sum[2] += b > a ? busyMs.applyAsLong(a, b) : 0;
    }
    List<DowntimePareto.Entry> entries = new ArrayList<>();
    sums.forEach(
        (k, s) ->
            entries.add(
                new DowntimePareto.Entry(
                    k.state(), k.reason(), (int) s[0], (int) s[1], s[2] / 1000)));
    entries.sort(
        Comparator.comparingDouble(DowntimePareto.Entry::seconds)
            .reversed()
            .thenComparing(DowntimePareto.Entry::reason));
    return entries;
  }
}
