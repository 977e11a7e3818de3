package io.atelier.gateway.kpi;

/**
 * The layout of one tally: the sums every KPI is computed from, as a flat {@code double[]} so that
 * buckets, shifts and sessions are plain arrays (cheap to add, sum, copy and snapshot). Times are
 * in milliseconds; doubles hold whole milliseconds exactly far beyond any window, so sums never
 * drift.
 *
 * <p>Every booked millisecond lands in exactly one of APT, ASUT, ADET, ADOT or PDOT; the other time
 * fields are details of those (micro-stops, OFFLINE, failures).
 */
final class Tally {

  /** Actual production time (PRODUCING), ms. */
  static final int APT = 0;

  /** Actual unit setup time (SETUP), ms. */
  static final int ASUT = 1;

  /** Actual unit delay time (DOWN, micro-stops and OFFLINE by default), ms. */
  static final int ADET = 2;

  /** Actual unit down time (IDLE), ms. */
  static final int ADOT = 3;

  /** Planned down time (outside the shift calendar, breaks, holidays, PLANNED_STOP), ms. */
  static final int PDOT = 4;

  /** Of the above: time in micro-stops, ms. */
  static final int MICRO_MS = 5;

  /** Of the above: time OFFLINE within planned busy time, ms. */
  static final int OFFLINE_MS = 6;

  /** Of ADET: time in failures (DOWN stops at least as long as the micro-stop threshold), ms. */
  static final int FAILURE_MS = 7;

  /** Produced quantity (good + reject). */
  static final int PQ = 8;

  /** Good quantity. */
  static final int GQ = 9;

  /** Scrap (reject) quantity. */
  static final int SQ = 10;

  /** Ideal production time of the parts produced: sum of ideal cycle time x parts, seconds. */
  static final int IDEAL_S = 11;

  /** Parts produced while no ideal cycle time was known (makes effectiveness unknown). */
  static final int PQ_NO_IDEAL = 12;

  /** Energy used, kWh. */
  static final int ENERGY_KWH = 13;

  /** Number of failures (DOWN stops not shorter than the micro-stop threshold). */
  static final int FAILURES = 14;

  /** Number of micro-stops. */
  static final int MICRO_STOPS = 15;

  /** Number of fields. */
  static final int FIELDS = 16;

  private Tally() {}

  static double[] empty() {
    return new double[FIELDS];
  }

  static void addInto(double[] target, double[] source) {
    for (int i = 0; i < FIELDS; i++) {
      target[i] += source[i];
    }
  }

  /** All booked time: APT + ASUT + ADET + ADOT + PDOT, ms. */
  static double elapsedMs(double[] t) {
    return t[APT] + t[ASUT] + t[ADET] + t[ADOT] + t[PDOT];
  }
}
