package io.atelier.gateway.kpi;

import io.atelier.gateway.kpi.KpiReport.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@link KpiReport}s from the machines' tallies: sums buckets into windows, sums machines
 * into lines (times and counts, then the formulas: never an average of ratios). Guarded by the
 * engine's lock.
 */
final class KpiReports {

  static final String SHIFT = "shift";
  private static final String SESSION = "session:";

  private final List<KpiWindow> windows;
  private final int[] windowRing;
  private final int[] windowBuckets;
  private final Map<String, List<MachineKpi>> lines;
  private final KpiSessions sessions;

  KpiReports(
      List<KpiWindow> windows,
      int[] windowRing,
      int[] windowBuckets,
      Map<String, List<MachineKpi>> lines,
      KpiSessions sessions) {
    this.windows = windows;
    this.windowRing = windowRing;
    this.windowBuckets = windowBuckets;
    this.lines = lines;
    this.sessions = sessions;
  }

  /**
   * One machine's tally over a rolling window; returns the window's start. The window is the
   * buckets up to the one holding the last millisecond before {@code now}: exactly [now - length,
   * now) when now is on a bucket boundary, else up to one bucket shorter.
   */
  private long windowTally(MachineKpi m, int w, long now, double[] out) {
    return m.acc.rings[windowRing[w]].sum(now - 1, windowBuckets[w], out);
  }

  private int windowIndex(String name) {
    for (int i = 0; i < windows.size(); i++) {
      if (windows.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** All windows and the shift, for one machine, plus its running sessions. */
  List<KpiReport> machine(MachineKpi m, long now) {
    List<KpiReport> out = new ArrayList<>();
    for (int w = 0; w < windows.size(); w++) {
      double[] t = Tally.empty();
      long from = windowTally(m, w, now, t);
      out.add(report(Scope.MACHINE, m.id, windows.get(w).name(), "", from, now, t));
    }
    out.add(
        report(
            Scope.MACHINE,
            m.id,
            SHIFT,
            m.acc.shiftPeriod.label(),
            m.acc.shiftPeriod.startMs(),
            now,
            m.acc.shift));
    for (KpiSessions.Run r : sessions.running()) {
      SessionTally st = r.tallies.get(m.id);
      if (st != null) {
        out.add(report(Scope.MACHINE, m.id, SESSION + r.id, r.name, r.startMs, now, st.tally));
      }
    }
    return out;
  }

  /** All windows and the shift, for one line. */
  List<KpiReport> line(String line, long now) {
    List<MachineKpi> ms = lines.get(line);
    List<KpiReport> out = new ArrayList<>();
    for (int w = 0; w < windows.size(); w++) {
      double[] t = Tally.empty();
      long from = now;
      for (MachineKpi m : ms) {
        from = windowTally(m, w, now, t);
      }
      out.add(report(Scope.LINE, line, windows.get(w).name(), "", from, now, t, ms.size()));
    }
    out.add(lineShift(line, ms, now));
    return out;
  }

  private KpiReport lineShift(String line, List<MachineKpi> ms, long now) {
    double[] t = Tally.empty();
    long from = Long.MAX_VALUE;
    Set<String> labels = new LinkedHashSet<>();
    for (MachineKpi m : ms) {
      Tally.addInto(t, m.acc.shift);
      from = Math.min(from, m.acc.shiftPeriod.startMs());
      labels.add(m.acc.shiftPeriod.label());
    }
    String label = labels.size() == 1 ? labels.iterator().next() : "";
    return report(Scope.LINE, line, SHIFT, label, from, now, t, ms.size());
  }

  /** Every machine's and line's report for one window name. */
  Optional<List<KpiReport>> window(String name, Collection<MachineKpi> all, long now) {
    if (name.startsWith(SESSION)) {
      return session(name.substring(SESSION.length()), now)
          .map(
              k -> {
                List<KpiReport> out = new ArrayList<>(k.machines());
                out.addAll(k.lines());
                return out;
              });
    }
    if (!name.equals(SHIFT) && windowIndex(name) < 0) {
      return Optional.empty();
    }
    List<KpiReport> out = new ArrayList<>();
    for (MachineKpi m : all) {
      machine(m, now).stream().filter(r -> r.window().equals(name)).forEach(out::add);
    }
    for (String l : lines.keySet()) {
      line(l, now).stream().filter(r -> r.window().equals(name)).forEach(out::add);
    }
    return Optional.of(out);
  }

  /** Everything: each machine, each line, each running session. */
  List<KpiReport> all(Collection<MachineKpi> all, long now) {
    List<KpiReport> out = new ArrayList<>();
    for (MachineKpi m : all) {
      out.addAll(machine(m, now));
    }
    for (String l : lines.keySet()) {
      out.addAll(line(l, now));
    }
    for (KpiSessions.Run r : sessions.running()) {
      session(r.id, now).ifPresent(k -> out.addAll(k.lines()));
    }
    return out;
  }

  /** The reports after state changes: the machines that changed and their lines. */
  List<KpiReport> forMachines(Collection<MachineKpi> changed, long now) {
    List<KpiReport> out = new ArrayList<>();
    Set<String> touched = new LinkedHashSet<>();
    for (MachineKpi m : changed) {
      out.addAll(machine(m, now));
      touched.add(m.ref.linePath());
    }
    for (String l : touched) {
      out.addAll(line(l, now));
    }
    return out;
  }

  Optional<SessionKpis> session(String id, long now) {
    Optional<KpiSessions.Run> run = sessions.run(id);
    if (run.isEmpty()) {
      return Optional.empty();
    }
    KpiSessions.Run r = run.get();
    long to = r.running() ? now : r.endMs;
    List<KpiReport> ms = new ArrayList<>();
    Map<String, double[]> byLine = new HashMap<>();
    Map<String, Integer> lineMachines = new HashMap<>();
    List<String> lineOrder = new ArrayList<>();
    for (Map.Entry<String, SessionTally> e : r.tallies.entrySet()) {
      ms.add(
          report(
              Scope.MACHINE,
              e.getKey(),
              SESSION + r.id,
              r.name,
              r.startMs,
              to,
              e.getValue().tally));
      String line = lineOf(e.getKey());
      if (line != null) {
        if (!byLine.containsKey(line)) {
          lineOrder.add(line);
        }
        Tally.addInto(byLine.computeIfAbsent(line, k -> Tally.empty()), e.getValue().tally);
        lineMachines.merge(line, 1, Integer::sum);
      }
    }
    List<KpiReport> ls = new ArrayList<>();
    for (String l : lineOrder) {
      ls.add(
          report(
              Scope.LINE,
              l,
              SESSION + r.id,
              r.name,
              r.startMs,
              to,
              byLine.get(l),
              lineMachines.get(l)));
    }
    return Optional.of(new SessionKpis(r.view(), ms, ls));
  }

  private String lineOf(String machine) {
    for (Map.Entry<String, List<MachineKpi>> e : lines.entrySet()) {
      for (MachineKpi m : e.getValue()) {
        if (m.id.equals(machine)) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  Optional<DowntimePareto> pareto(MachineKpi m, String window, long now) {
    long from;
    long to = now;
    if (window.equals(SHIFT)) {
      from = m.acc.shiftPeriod.startMs();
    } else if (window.startsWith(SESSION)) {
      Optional<KpiSessions.Run> r = sessions.run(window.substring(SESSION.length()));
      if (r.isEmpty() || !r.get().tallies.containsKey(m.id)) {
        return Optional.empty();
      }
      from = r.get().startMs;
      to = r.get().running() ? now : r.get().endMs;
    } else {
      int w = windowIndex(window);
      if (w < 0) {
        return Optional.empty();
      }
      from = windowTally(m, w, now, Tally.empty());
    }
    return Optional.of(
        new DowntimePareto(
            m.id,
            window,
            Instant.ofEpochMilli(from),
            Instant.ofEpochMilli(to),
            m.stops.pareto(from, to, m::busyMs)));
  }

  private static KpiReport report(
      Scope scope, String subject, String window, String label, long from, long to, double[] t) {
    return report(scope, subject, window, label, from, to, t, 1);
  }

  /** A report over a tally summed over {@code machines} machines. */
  private static KpiReport report(
      Scope scope,
      String subject,
      String window,
      String label,
      long from,
      long to,
      double[] t,
      int machines) {
    return new KpiReport(
        scope,
        subject,
        window,
        label,
        Instant.ofEpochMilli(from),
        Instant.ofEpochMilli(to),
        KpiFormulas.compute(t, machines));
  }
}
