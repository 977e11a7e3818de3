package io.atelier.gateway.kpi;

/**
 * Turns a cumulative counter (parts, energy) into increments. A decrease is either a wrap (the
 * counter passed its maximum and started again from zero) or a reset (someone cleared it); both
 * start a new baseline, and the increment after a reset is the new value itself, as a reset counter
 * restarts from zero. A wrap is told from a reset by where the counter was: only a counter in the
 * top tenth of its range wrapping to the bottom tenth counts as a wrap. Mutable, single-threaded.
 */
final class CounterTracker {

  /** What an observed value meant. */
  enum Change {
    FIRST,
    INCREASE,
    RESET,
    WRAP,
    LATE
  }

  private final double wrapAt;
  private double last;
  private long lastTimeMs = Long.MIN_VALUE;
  private boolean known;
  private double delta;

  /**
   * @param wrapAt the largest value the counter holds before it wraps to zero (65535, 4294967295);
   *     0 when it never wraps, so every decrease is a reset
   */
  CounterTracker(double wrapAt) {
    this.wrapAt = wrapAt;
  }

  /** Observes a value; {@link #delta()} then holds the increment it brought (0 unless counted). */
  Change observe(double value, long timeMs) {
    delta = 0;
    if (known && timeMs < lastTimeMs) {
      // An older value than the one we have: the newer one already covers it.
      return Change.LATE;
    }
    if (!known) {
      known = true;
      last = value;
      lastTimeMs = timeMs;
      return Change.FIRST;
    }
    Change change;
    if (value >= last) {
      delta = value - last;
      change = Change.INCREASE;
    } else if (wrapAt > 0 && last > 0.9 * wrapAt && value < 0.1 * wrapAt) {
      delta = (wrapAt - last) + value + 1;
      change = Change.WRAP;
    } else {
      delta = Math.max(0, value);
      change = Change.RESET;
    }
    last = value;
    lastTimeMs = timeMs;
    return change;
  }

  double delta() {
    return delta;
  }

  boolean known() {
    return known;
  }

  double last() {
    return last;
  }

  long lastTimeMs() {
    return lastTimeMs;
  }

  /** Restores the baseline from a snapshot. */
  void restore(double value, long timeMs) {
    known = true;
    last = value;
    lastTimeMs = timeMs;
  }
}
