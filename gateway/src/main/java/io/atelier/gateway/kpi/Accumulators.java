package io.atelier.gateway.kpi;

import io.atelier.gateway.kpi.ShiftCalendar.Period;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one machine's booked time and counts go: the bucket rings of the rolling windows, the
 * current shift, and the running training sessions. Each clips what it takes to its own interval.
 */
final class Accumulators {

  final BucketRing[] rings;
  Period shiftPeriod;
  double[] shift = Tally.empty();
  final List<SessionTally> sessions = new ArrayList<>(2);
  long rolledOut;

  Accumulators(BucketRing[] rings, Period initialShift) {
    this.rings = rings;
    this.shiftPeriod = initialShift;
  }

  /** Adds the time of {@code [from, to)}, which lies within {@code period}, times sign. */
  void addTime(int field, long from, long to, int sign, Period period) {
    for (BucketRing ring : rings) {
      if (!ring.addTime(field, from, to, sign)) {
        rolledOut++;
      }
    }
    if (period.startMs() > shiftPeriod.startMs()) {
      rollShift(period);
    }
    if (period.startMs() == shiftPeriod.startMs()) {
      shift[field] += sign * (double) (to - from);
    }
    for (int i = 0; i < sessions.size(); i++) {
      SessionTally s = sessions.get(i);
      long a = Math.max(from, s.startMs);
      long b = Math.min(to, s.endMs);
      if (b > a) {
        s.tally[field] += sign * (double) (b - a);
      }
    }
  }

  /** Adds an amount at an instant that lies within {@code period}. */
  void addCount(int field, long at, double amount, Period period) {
    for (BucketRing ring : rings) {
      if (!ring.add(field, at, amount)) {
        rolledOut++;
      }
    }
    if (period.startMs() > shiftPeriod.startMs()) {
      rollShift(period);
    }
    if (period.startMs() == shiftPeriod.startMs()) {
      shift[field] += amount;
    }
    for (int i = 0; i < sessions.size(); i++) {
      SessionTally s = sessions.get(i);
      if (at >= s.startMs && at < s.endMs) {
        s.tally[field] += amount;
      }
    }
  }

  private void rollShift(Period period) {
    shiftPeriod = period;
    shift = Tally.empty();
  }
}
