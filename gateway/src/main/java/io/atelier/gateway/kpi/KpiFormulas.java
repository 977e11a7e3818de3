package io.atelier.gateway.kpi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ISO 22400-2 formulas, applied to one tally (of a machine, or the sum over a line's machines:
 * lines are never averages of ratios). A KPI whose denominator is zero is left out.
 */
public final class KpiFormulas {

  /** KPI names, as they appear in reports, InfluxDB fields and the API. */
  public static final String AVAILABILITY = "availability";

  public static final String EFFECTIVENESS = "effectiveness";
  public static final String QUALITY = "quality";
  public static final String OEE = "oee";
  public static final String THROUGHPUT_PER_H = "throughput_per_h";
  public static final String SETUP_RATIO = "setup_ratio";
  public static final String TECHNICAL_EFFICIENCY = "technical_efficiency";
  public static final String SCRAP_RATIO = "scrap_ratio";
  public static final String MTBF_S = "mtbf_s";
  public static final String MTTR_S = "mttr_s";
  public static final String ENERGY_PER_PART_WH = "energy_per_part_wh";
  public static final String APT_S = "apt_s";
  public static final String PBT_S = "pbt_s";
  public static final String ADET_S = "adet_s";
  public static final String ADOT_S = "adot_s";
  public static final String SETUP_S = "setup_s";
  public static final String PLANNED_DOWN_S = "planned_down_s";
  public static final String OFFLINE_S = "offline_s";
  public static final String MICRO_STOP_S = "micro_stop_s";
  public static final String MICRO_STOPS = "micro_stops";
  public static final String FAILURES = "failures";
  public static final String ELAPSED_S = "elapsed_s";
  public static final String PQ = "pq";
  public static final String GQ = "gq";
  public static final String SQ = "sq";
  public static final String ENERGY_KWH = "energy_kwh";

  private KpiFormulas() {}

  /** The KPIs of one machine's tally. */
  public static Map<String, Double> compute(double[] t) {
    return compute(t, 1);
  }

  /**
   * The KPIs of a tally summed over {@code machines} machines. Times and counts are sums, except
   * the covered time: each machine covers the same window, so the window's elapsed time is the
   * summed elapsed time divided by the number of machines (throughput is parts per hour of window,
   * not per machine-hour).
   */
  public static Map<String, Double> compute(double[] t, int machines) {
    Map<String, Double> v = new LinkedHashMap<>();
    double apt = t[Tally.APT] / 1000;
    double asut = t[Tally.ASUT] / 1000;
    double adet = t[Tally.ADET] / 1000;
    double adot = t[Tally.ADOT] / 1000;
    double pbt = apt + asut + adet + adot;
    double elapsed = Tally.elapsedMs(t) / 1000 / Math.max(1, machines);
    double pq = t[Tally.PQ];
    double gq = t[Tally.GQ];
    double sq = t[Tally.SQ];
    double failures = t[Tally.FAILURES];
    boolean idealKnown = t[Tally.PQ_NO_IDEAL] == 0;

    Double availability = pbt > 0 ? apt / pbt : null;
    Double effectiveness = apt > 0 && idealKnown ? t[Tally.IDEAL_S] / apt : null;
    Double quality = pq > 0 ? gq / pq : null;
    put(v, AVAILABILITY, availability);
    put(v, EFFECTIVENESS, effectiveness);
    put(v, QUALITY, quality);
    if (availability != null && idealKnown) {
      // No production time means no output: OEE is 0 even though effectiveness is undefined.
      double oee = apt == 0 || pq == 0 ? 0 : availability * effectiveness * quality;
      v.put(OEE, oee);
    }
    put(v, THROUGHPUT_PER_H, elapsed > 0 ? pq / (elapsed / 3600) : null);
    put(v, SETUP_RATIO, apt + asut > 0 ? asut / (apt + asut) : null);
    put(v, TECHNICAL_EFFICIENCY, apt + adet > 0 ? apt / (apt + adet) : null);
    put(v, SCRAP_RATIO, pq > 0 ? sq / pq : null);
    put(v, MTBF_S, failures > 0 ? apt / failures : null);
    put(v, MTTR_S, failures > 0 ? t[Tally.FAILURE_MS] / 1000 / failures : null);
    put(
        v,
        ENERGY_PER_PART_WH,
        gq > 0 && t[Tally.ENERGY_KWH] > 0 ? t[Tally.ENERGY_KWH] * 1000 / gq : null);
    v.put(APT_S, apt);
    v.put(PBT_S, pbt);
    v.put(ADET_S, adet);
    v.put(ADOT_S, adot);
    v.put(SETUP_S, asut);
    v.put(PLANNED_DOWN_S, t[Tally.PDOT] / 1000);
    v.put(OFFLINE_S, t[Tally.OFFLINE_MS] / 1000);
    v.put(MICRO_STOP_S, t[Tally.MICRO_MS] / 1000);
    v.put(MICRO_STOPS, t[Tally.MICRO_STOPS]);
    v.put(FAILURES, failures);
    v.put(ELAPSED_S, elapsed);
    v.put(PQ, pq);
    v.put(GQ, gq);
    v.put(SQ, sq);
    v.put(ENERGY_KWH, t[Tally.ENERGY_KWH]);
    return v;
  }

  private static void put(Map<String, Double> v, String name, Double value) {
    if (value != null && !value.isNaN() && !value.isInfinite()) {
      v.put(name, value);
    }
  }
}
