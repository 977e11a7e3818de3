package io.atelier.gateway.kpi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.connector.api.config.ConfigNode;
import io.atelier.connector.api.config.ConfigProblems;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives a {@link KpiEngine} in tests: configuration from YAML (as users write it), a hand-moved
 * clock, samples stamped with that clock, and everything the engine emits recorded.
 */
final class KpiRig implements KpiListener {

  /** Monday 2025-03-03 00:00 UTC. */
  static final Instant MONDAY = Instant.parse("2025-03-03T00:00:00Z");

  final MutableClock clock;
  final KpiEngine engine;
  final Instant t0;
  final List<KpiReport> reports = new ArrayList<>();
  final List<MachineStateChange> changes = new ArrayList<>();

  /**
   * @param kpiSection the top-level {@code kpi:} section (YAML, may be empty)
   * @param machines machine id to {path, kpi block YAML}
   */
  /** A machine of the rig: id, ISA-95 path and its kpi block as YAML. */
  record M(String id, String path, String kpi) {}

  KpiRig(Instant t0, String kpiSection, List<M> machines) {
    this.t0 = t0;
    this.clock = new MutableClock(t0);
    ConfigProblems problems = new ConfigProblems();
    KpiSettings settings = KpiSettings.read(new ConfigNode("kpi", yaml(kpiSection), problems));
    List<KpiMachine> list = new ArrayList<>();
    for (int i = 0; i < machines.size(); i++) {
      M m = machines.get(i);
      MachineKpiConfig c =
          MachineKpiConfig.read(
              new ConfigNode("machines[" + i + "].kpi", yaml(m.kpi()), problems), settings);
      list.add(new KpiMachine(m.id(), MachineRef.parse(m.path()), c));
    }
    problems.throwIfAny();
    this.engine = new KpiEngine(settings, list, clock, this);
  }

  static M machine(String id, String path, String kpiYaml) {
    return new M(id, path, kpiYaml);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    try {
      Object o = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
      return o == null ? Map.of() : (Map<String, Object>) o;
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Moves the clock to t0 + seconds. */
  KpiRig at(double seconds) {
    clock.set(t0.plusMillis(Math.round(seconds * 1000)));
    return this;
  }

  /** Sends one GOOD sample stamped with the clock. */
  KpiRig send(String machine, String signal, Object value) {
    Instant now = clock.instant();
    engine.accept(List.of(Sample.good(machine, signal, value, now)));
    return this;
  }

  /** Sends a sample whose source time is {@code sourceSeconds} after t0, received now. */
  KpiRig sendStamped(String machine, String signal, Object value, double sourceSeconds) {
    Instant src = t0.plusMillis(Math.round(sourceSeconds * 1000));
    engine.accept(
        List.of(
            new Sample(
                machine, signal, Sample.normalise(value), Quality.GOOD, src, clock.instant())));
    return this;
  }

  KpiRig tick() {
    engine.tick();
    return this;
  }

  /** The values of a machine's (or line's) report over a window, now. */
  Map<String, Double> kpis(String subject, String window) {
    List<KpiReport> all =
        engine.machineKpis(subject).or(() -> engine.lineKpis(subject)).orElseThrow();
    return all.stream()
        .filter(r -> r.window().equals(window))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no window " + window + " for " + subject))
        .values();
  }

  KpiReport report(String subject, String window) {
    List<KpiReport> all =
        engine.machineKpis(subject).or(() -> engine.lineKpis(subject)).orElseThrow();
    return all.stream().filter(r -> r.window().equals(window)).findFirst().orElseThrow();
  }

  static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Override
  public void onKpis(List<KpiReport> r) {
    reports.addAll(r);
  }

  @Override
  public void onStateChanges(List<MachineStateChange> c) {
    changes.addAll(c);
  }
}
