package io.atelier.simulator.scenario;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ground truth of one machine over {@code [fromMs, toMs)}: ISO 22400 times (milliseconds), part
 * quantities and the KPIs of DESIGN §5 computed from them. A KPI whose denominator is zero is
 * empty.
 *
 * <p>Failures are DOWN episodes (entries into DOWN) that start in the interval, micro-stops
 * included, because that is what an observer of the state signal sees; {@code microStops} says how
 * many of them were micro-stops.
 */
public record TruthReport(
    String machine,
    long fromMs,
    long toMs,
    long idealCycleMs,
    long aptMs,
    long asutMs,
    long adetMs,
    long adotMs,
    long plannedStopMs,
    long microStopMs,
    long pq,
    long gq,
    long sq,
    long failures,
    long microStops) {

  public long windowMs() {
    return toMs - fromMs;
  }

  /** Planned busy time: the window without planned stops. */
  public long pbtMs() {
    return windowMs() - plannedStopMs;
  }

  public Optional<Double> availability() {
    return ratio(aptMs, pbtMs());
  }

  public Optional<Double> effectiveness() {
    return ratio((double) idealCycleMs * pq, aptMs);
  }

  public Optional<Double> quality() {
    return ratio(gq, pq);
  }

  public Optional<Double> oee() {
    if (availability().isEmpty() || effectiveness().isEmpty() || quality().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(availability().get() * effectiveness().get() * quality().get());
  }

  /** Parts per hour of window. */
  public Optional<Double> throughputPerHour() {
    return ratio(pq * 3_600_000.0, windowMs());
  }

  public Optional<Double> setupRatio() {
    return ratio(asutMs, aptMs + asutMs);
  }

  public Optional<Double> technicalEfficiency() {
    return ratio(aptMs, aptMs + adetMs);
  }

  public Optional<Double> scrapRatio() {
    return ratio(sq, pq);
  }

  /** Producing time between failures, seconds. */
  public Optional<Double> mtbfSeconds() {
    return ratio(aptMs / 1000.0, failures);
  }

  /** Down time per failure, seconds. */
  public Optional<Double> mttrSeconds() {
    return ratio(adetMs / 1000.0, failures);
  }

  private static Optional<Double> ratio(double num, double den) {
    return den == 0 ? Optional.empty() : Optional.of(num / den);
  }

  /** A JSON-ready map; absent KPIs are null. Times in seconds. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("machine", machine);
    m.put("from", Instant.ofEpochMilli(fromMs).toString());
    m.put("to", Instant.ofEpochMilli(toMs).toString());
    m.put("window_s", windowMs() / 1000.0);
    m.put("pbt_s", pbtMs() / 1000.0);
    m.put("apt_s", aptMs / 1000.0);
    m.put("setup_s", asutMs / 1000.0);
    m.put("adet_s", adetMs / 1000.0);
    m.put("adot_s", adotMs / 1000.0);
    m.put("planned_stop_s", plannedStopMs / 1000.0);
    m.put("micro_stop_s", microStopMs / 1000.0);
    m.put("ideal_cycle_time_s", idealCycleMs / 1000.0);
    m.put("pq", pq);
    m.put("gq", gq);
    m.put("sq", sq);
    m.put("failures", failures);
    m.put("micro_stops", microStops);
    m.put("availability", availability().orElse(null));
    m.put("effectiveness", effectiveness().orElse(null));
    m.put("quality", quality().orElse(null));
    m.put("oee", oee().orElse(null));
    m.put("throughput_per_h", throughputPerHour().orElse(null));
    m.put("setup_ratio", setupRatio().orElse(null));
    m.put("technical_efficiency", technicalEfficiency().orElse(null));
    m.put("scrap_ratio", scrapRatio().orElse(null));
    m.put("mtbf_s", mtbfSeconds().orElse(null));
    m.put("mttr_s", mttrSeconds().orElse(null));
    return m;
  }
}
