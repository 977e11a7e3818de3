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
 * KPIs cover exactly [start, stop). A stopped session keeps its tallies attached until every
 * machine's time is booked past the stop ({@link #settle}), so data up to the lateness allowance
 * late still lands in it. Finished sessions are kept (bounded) for the API. Guarded by the engine's
 * lock.
 */
final class KpiSessions {

  /** A session and its machines' tallies. */
  static final class Run {
    final String id;
    final String name;
    final long startMs;
    long endMs = Long.MAX_VALUE;

    /** Stopped, and its tallies detached: its KPIs are final. */
    boolean settled;

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
      // The tallies stay attached (clipped at the stop) until settle(): booking the machines up
      // to the stop right now would book their last state over the final second or two, and lose
      // a part counted just before the stop whose sample is still on its way.
      for (SessionTally t : run.tallies.values()) {
        t.endMs = nowMs;
      }
      run.endMs = nowMs;
    }
    return Optional.of(run.view());
  }

  /**
   * Detaches the tallies of the stopped sessions whose stop every machine's time is booked past
   * (the engine has just advanced them to {@code bookedToMs}); returns the ids of the sessions
   * whose KPIs are now final.
   */
  List<String> settle(long bookedToMs) {
    List<String> settledNow = new ArrayList<>();
    for (Run run : runs.values()) {
      if (run.running() || run.settled || run.endMs > bookedToMs) {
        continue;
      }
      for (Map.Entry<String, SessionTally> e : run.tallies.entrySet()) {
        MachineKpi m = machines.get(e.getKey());
        m.advanceTo(run.endMs); // a no-op unless the machine's cursor lags behind bookedToMs
        m.acc.sessions.remove(e.getValue());
      }
      run.settled = true;
      settledNow.add(run.id);
    }
    if (!settledNow.isEmpty()) {
      trim();
    }
    return settledNow;
  }

  /** Whether a session is stopped and its KPIs final; empty if unknown. */
  Optional<Boolean> settled(String id) {
    return Optional.ofNullable(runs.get(id)).map(r -> r.settled);
  }

  private void trim() {
    List<Run> finished = runs.values().stream().filter(r -> r.settled).toList();
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
      if (!r.settled) {
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
      // A session stopped before the snapshot counts as final: the time after the snapshot is
      // OFFLINE anyway, and late data from before the restart does not come back.
      run.settled = !run.running();
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
