package io.atelier.gateway.kpi;

import io.atelier.connector.api.config.ConfigNode;
import java.time.Duration;
import java.util.Optional;

/**
 * A machine's {@code kpi:} block: where its state, parts, ideal cycle time, downtime reasons and
 * energy come from, and how stops and OFFLINE are classified. Every field has a default that fits
 * the Atelier simulators' signal names, so a machine with no block still gets KPIs.
 *
 * @param enabled false to compute no KPIs for the machine
 * @param state the state mapping
 * @param calendar the shift calendar's name; empty = the default calendar
 * @param counters the part counters
 * @param idealCycleTime the ideal cycle time per part, when configured
 * @param idealCycleTimeSignal a signal carrying the ideal cycle time in seconds (wins once known)
 * @param reasonSignal a signal carrying the downtime reason (alarm code); 0/empty means none
 * @param energySignal a cumulative energy counter in kWh
 * @param microStopThreshold DOWN/IDLE periods shorter than this are micro-stops; zero disables
 * @param microStopAs where micro-stop time goes: DOWN (ADET, the ISO default), IDLE (ADOT) or
 *     PRODUCING (APT, so it shows as a performance loss)
 * @param offlineAs where OFFLINE time goes: DOWN (ADET, default), IDLE (ADOT) or PLANNED_STOP
 * @param staleAfter no data for this long makes the machine OFFLINE; empty = the kpi section's
 */
public record MachineKpiConfig(
    boolean enabled,
    StateMapping state,
    Optional<String> calendar,
    Counters counters,
    Optional<Duration> idealCycleTime,
    Optional<String> idealCycleTimeSignal,
    Optional<String> reasonSignal,
    Optional<String> energySignal,
    Duration microStopThreshold,
    MachineState microStopAs,
    MachineState offlineAs,
    Optional<Duration> staleAfter) {

  /**
   * The part counters (cumulative). At least {@code good} or {@code total} is needed for counts;
   * with two of three the third is derived.
   *
   * @param good good parts
   * @param reject rejected (scrap) parts
   * @param total all parts
   * @param wrapAt the largest value before the counters wrap to 0; 0 = they never wrap
   */
  public record Counters(
      Optional<String> good, Optional<String> reject, Optional<String> total, double wrapAt) {}

  /** The defaults: the simulators' signal names, no calendar, no micro-stops. */
  public static MachineKpiConfig defaults() {
    return new MachineKpiConfig(
        true,
        StateMappings.atelierDefault(),
        Optional.empty(),
        new Counters(Optional.of("good_count"), Optional.of("reject_count"), Optional.empty(), 0),
        Optional.empty(),
        Optional.of("ideal_cycle_time_s"),
        Optional.of("alarm_code"),
        Optional.of("energy_kwh"),
        Duration.ZERO,
        MachineState.DOWN,
        MachineState.DOWN,
        Optional.empty());
  }

  /**
   * Reads a machine's {@code kpi:} block; an absent block ({@code node} empty) gives the defaults.
   * Calendar names are checked against {@code settings}.
   */
  public static MachineKpiConfig read(ConfigNode node, KpiSettings settings) {
    MachineKpiConfig d = defaults();
    boolean enabled = node.bool("enabled", true);
    StateMapping state = node.child("state").map(StateMappings::read).orElse(d.state());
    Optional<String> calendar = node.string("calendar");
    if (calendar.isPresent() && !settings.calendars().containsKey(calendar.get())) {
      node.problems()
          .add(
              node.path("calendar"), "no calendar with this name in kpi.calendars", calendar.get());
      calendar = Optional.empty();
    }
    Counters counters = d.counters();
    Optional<ConfigNode> cn = node.child("counters");
    if (cn.isPresent()) {
      ConfigNode c = cn.get();
      counters =
          new Counters(
              signal(c, "good"),
              signal(c, "reject"),
              signal(c, "total"),
              c.number("wrapAt", 0, 0, 1e18));
      if (counters.good().isEmpty()
          && counters.total().isEmpty()
          && counters.reject().isPresent()) {
        c.problems().add(c.path(), "a reject counter needs a good or a total counter too");
      }
      c.rejectUnknownKeys();
    }
    Optional<Duration> ict = Optional.empty();
    if (node.has("idealCycleTime")) {
      Duration t = node.duration("idealCycleTime", Duration.ZERO);
      if (t.isZero() || t.isNegative()) {
        node.problems()
            .add(
                node.path("idealCycleTime"), "must be a positive duration such as 12s or 850ms", t);
      } else {
        ict = Optional.of(t);
      }
    }
    Optional<String> ictSignal =
        node.has("idealCycleTimeSignal")
            ? signal(node, "idealCycleTimeSignal")
            : ict.isPresent() ? Optional.empty() : d.idealCycleTimeSignal();
    Optional<String> reason = node.has("reason") ? signal(node, "reason") : d.reasonSignal();
    Optional<String> energy = node.has("energy") ? signal(node, "energy") : d.energySignal();
    Duration threshold = d.microStopThreshold();
    MachineState microAs = d.microStopAs();
    Optional<ConfigNode> ms = node.child("microStop");
    if (ms.isPresent()) {
      ConfigNode m = ms.get();
      threshold = m.duration("threshold", threshold);
      if (threshold.isNegative() || threshold.compareTo(Duration.ofHours(1)) > 0) {
        m.problems().add(m.path("threshold"), "must be between 0s and 1h", threshold);
        threshold = Duration.ZERO;
      }
      microAs = StateMappings.readState(m, "as", microAs);
      if (microAs != MachineState.DOWN
          && microAs != MachineState.IDLE
          && microAs != MachineState.PRODUCING) {
        m.problems().add(m.path("as"), "expected down, idle or producing", microAs);
        microAs = MachineState.DOWN;
      }
      m.rejectUnknownKeys();
    }
    MachineState offlineAs = StateMappings.readState(node, "offlineAs", d.offlineAs());
    if (offlineAs != MachineState.DOWN
        && offlineAs != MachineState.IDLE
        && offlineAs != MachineState.PLANNED_STOP) {
      node.problems().add(node.path("offlineAs"), "expected down, idle or planned-stop", offlineAs);
      offlineAs = MachineState.DOWN;
    }
    Optional<Duration> stale = Optional.empty();
    if (node.has("staleAfter")) {
      Duration s = node.duration("staleAfter", settings.staleAfter());
      if (s.toMillis() < 1_000) {
        node.problems().add(node.path("staleAfter"), "must be at least 1s", s);
      } else {
        stale = Optional.of(s);
      }
    }
    node.rejectUnknownKeys();
    return new MachineKpiConfig(
        enabled, state, calendar, counters, ict, ictSignal, reason, energy, threshold, microAs,
        offlineAs, stale);
  }

  /** A signal name, or empty when the value is empty or {@code none}. */
  private static Optional<String> signal(ConfigNode node, String key) {
    return node.string(key)
        .map(String::trim)
        .filter(s -> !s.isEmpty() && !s.equalsIgnoreCase("none"));
  }
}
