package io.atelier.gateway.kpi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training sessions: each adds a {@link SessionTally} to its machines while it runs, so its
 * KPIs cover exactly [start, stop). Finished sessions are kept (bounded) for the API. Guarded by
 * the engine's lock.
 */
final class KpiSessions {

  /** A session and its machines' tallies. */
  static final class Run {
    final String id;
    final String name;
    final long startMs;
    long endMs = Long.MAX_VALUE;
    final Map<String, SessionTally> tallies = new LinkedHashMap<>();

    Run(String id, String name, long startMs) {
      this.id = id;
      this.name = name;
      this.startMs = startMs;
    }

    boolean running() {
      return endMs == Long.MAX_VALUE;
    }

    TrainingSession view() {
      return new TrainingSession(
          id,
          name,
          List.copyOf(tallies.keySet()),
          Instant.ofEpochMilli(startMs),
          running() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(endMs)));
    }
  }

  private final Map<String, MachineKpi> machines;
  private final int kept;
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private long nextNo = 1;

  KpiSessions(Map<String, MachineKpi> machines, int kept) {
    this.machines = machines;
    this.kept = kept;
  }

  TrainingSession start(String name, Collection<String> machineIds, long nowMs) {
    List<String> ids =
        machineIds.isEmpty() ? List.copyOf(machines.keySet()) : List.copyOf(machineIds);
    for (String id : ids) {
      if (!machines.containsKey(id)) {
        throw new IllegalArgumentException("no machine '" + id + "' with KPIs");
      }
    }
    String id = "s" + nextNo++;
    Run run = new Run(id, name == null || name.isBlank() ? "session " + id : name.trim(), nowMs);
    for (String m : ids) {
      SessionTally t = new SessionTally(id, nowMs, Tally.empty());
      run.tallies.put(m, t);
      machines.get(m).acc.sessions.add(t);
    }
    runs.put(id, run);
    return run.view();
  }

  Optional<TrainingSession> stop(String id, long nowMs) {
    Run run = runs.get(id);
    if (run == null) {
      return Optional.empty();
    }
    if (run.running()) {
      for (Map.Entry<String, SessionTally> e : run.tallies.entrySet()) {
        MachineKpi m = machines.get(e.getKey());
        // Book every machine up to the stop so the session holds its whole interval.
        m.advanceTo(nowMs);
        e.getValue().endMs = nowMs;
        m.acc.sessions.remove(e.getValue());
      }
      run.endMs = nowMs;
      trim();
    }
    return Optional.of(run.view());
  }

  private void trim() {
    List<Run> finished = runs.values().stream().filter(r -> !r.running()).toList();
    for (int i = 0; i < finished.size() - kept; i++) {
      runs.remove(finished.get(i).id);
    }
  }

  Optional<Run> run(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  List<Run> running() {
    return runs.values().stream().filter(Run::running).toList();
  }

  List<TrainingSession> list() {
    List<Run> all = new ArrayList<>(runs.values());
    all.sort(Comparator.comparing((Run r) -> !r.running()).thenComparing(r -> -r.startMs));
    return all.stream().map(Run::view).toList();
  }

  long earliestRunningStart() {
    long min = Long.MAX_VALUE;
    for (Run r : runs.values()) {
      if (r.running()) {
        min = Math.min(min, r.startMs);
      }
    }
    return min;
  }

  long nextNo() {
    return nextNo;
  }

  List<KpiSnapshot.Session> snapshot() {
    List<KpiSnapshot.Session> out = new ArrayList<>();
    for (Run r : runs.values()) {
      Map<String, double[]> tallies = new LinkedHashMap<>();
      r.tallies.forEach((m, t) -> tallies.put(m, t.tally.clone()));
      out.add(
          new KpiSnapshot.Session(
              r.id, r.name, r.startMs, r.endMs, List.copyOf(r.tallies.keySet()), tallies));
    }
    return out;
  }

  void restore(List<KpiSnapshot.Session> saved, long savedNextNo) {
    nextNo = Math.max(nextNo, savedNextNo);
    for (KpiSnapshot.Session s : saved) {
      Run run = new Run(s.id(), s.name(), s.startMs());
      run.endMs = s.endMs();
      for (String m : s.machines()) {
        double[] tally = s.tallies().get(m);
        if (tally == null || tally.length != Tally.FIELDS) {
          continue;
        }
        SessionTally t = new SessionTally(s.id(), s.startMs(), tally.clone());
        t.endMs = s.endMs();
        run.tallies.put(m, t);
        MachineKpi mk = machines.get(m);
        if (run.running() && mk != null) {
          mk.acc.sessions.add(t);
        }
      }
      runs.put(run.id, run);
    }
  }
}
