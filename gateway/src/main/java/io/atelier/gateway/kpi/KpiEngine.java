package io.atelier.gateway.kpi;

import io.atelier.connector.api.Sample;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live KPI engine (ISO 22400-2): per-machine time models fed by samples, summed into rolling
 * windows, the current shift and training sessions, per machine and per line. Incremental: nothing
 * is ever recomputed from history.
 *
 * <p>Thread-safe: every public method takes one lock (the hot path takes it once per batch), and
 * the listener is called after the lock is released. "Now" comes from the {@link Clock}, so tests
 * are deterministic; the time model itself runs on the samples' source time.
 */
public final class KpiEngine {

  private static final Logger LOG = LoggerFactory.getLogger(KpiEngine.class);
  private static final int MAX_BUCKETS_PER_WINDOW = 360;

  private final KpiSettings settings;
  private final Clock clock;
  private final KpiListener listener;
  private final Object lock = new Object();
  private final Object dispatchLock = new Object();
  private final Map<String, MachineKpi> machines = new LinkedHashMap<>();
  private final Map<String, List<MachineKpi>> lines = new LinkedHashMap<>();
  private final long[] ringWidths;
  private final int[] ringCounts;
  private final int[] windowRing;
  private final int[] windowBuckets;
  private final long maxWindowMs;
  private final KpiSessions sessions;
  private final KpiReports reports;
  private final List<MachineStateChange> pendingChanges = new ArrayList<>();

  public KpiEngine(
      KpiSettings settings, List<KpiMachine> machineList, Clock clock, KpiListener listener) {
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
    List<KpiWindow> windows = settings.windows();
    long bucket = settings.bucket().toMillis();
    List<Long> widths = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    windowRing = new int[windows.size()];
    windowBuckets = new int[windows.size()];
    long longest = 0;
    for (int i = 0; i < windows.size(); i++) {
      long n0 = windows.get(i).length().toMillis() / bucket;
      long k = 1;
      // The finest width dividing the window into at most 360 buckets: bounded memory per window.
      while (n0 / k > MAX_BUCKETS_PER_WINDOW || n0 % k != 0) {
        k++;
      }
      long width = bucket * k;
      int n = (int) (n0 / k);
      int r = widths.indexOf(width);
      if (r < 0) {
        widths.add(width);
        counts.add(n + 1);
        r = widths.size() - 1;
      } else {
        counts.set(r, Math.max(counts.get(r), n + 1));
      }
      windowRing[i] = r;
      windowBuckets[i] = n;
      longest = Math.max(longest, windows.get(i).length().toMillis());
    }
    maxWindowMs = longest;
    ringWidths = widths.stream().mapToLong(Long::longValue).toArray();
    ringCounts = counts.stream().mapToInt(Integer::intValue).toArray();
    long now = clock.millis();
    for (KpiMachine km : machineList) {
      if (!km.config().enabled()) {
        continue;
      }
      BucketRing[] rings = new BucketRing[ringWidths.length];
      for (int r = 0; r < rings.length; r++) {
        rings[r] = new BucketRing(ringWidths[r], ringCounts[r]);
      }
      MachineKpi m =
          new MachineKpi(
              km.id(),
              km.ref(),
              km.config(),
              settings.calendar(km.config().calendar()),
              rings,
              settings.staleAfter().toMillis(),
              now);
      machines.put(km.id(), m);
      lines.computeIfAbsent(km.ref().linePath(), k -> new ArrayList<>()).add(m);
    }
    this.sessions = new KpiSessions(machines, settings.sessionsKept());
    this.reports = new KpiReports(windows, windowRing, windowBuckets, lines, sessions);
  }

  // ------------------------------------------------------------------ feeding

  /** Takes a batch of samples (the pipeline consumer's work). Never throws on bad samples. */
  public void accept(List<Sample> batch) {
    List<MachineStateChange> changes;
    List<KpiReport> out = List.of();
    synchronized (lock) {
      Set<MachineKpi> dirty = null;
      for (int i = 0, n = batch.size(); i < n; i++) {
        Sample s = batch.get(i);
        MachineKpi m = machines.get(s.machine());
        if (m != null && m.onSample(s)) {
          pendingChanges.add(change(m));
          if (dirty == null) {
            dirty = new LinkedHashSet<>();
          }
          dirty.add(m);
        }
      }
      changes = drainChanges();
      if (dirty != null) {
        out = reports.forMachines(dirty, target());
      }
    }
    dispatch(changes, out);
  }

  /**
   * Advances every machine to now (minus the lateness allowance), marks silent machines OFFLINE,
   * and emits every KPI: call every {@link KpiSettings#emitInterval()}.
   */
  public void tick() {
    List<MachineStateChange> changes;
    List<KpiReport> out;
    synchronized (lock) {
      List<String> settled = advanceAll();
      changes = drainChanges();
      out = new ArrayList<>(reports.all(machines.values(), target()));
      out.addAll(finalSessionReports(settled));
    }
    dispatch(changes, out);
  }

  /** The connection serving these machines went down (OFFLINE from now) or came back. */
  public void connectionChanged(Collection<String> machineIds, boolean connected) {
    List<MachineStateChange> changes;
    synchronized (lock) {
      long now = clock.millis();
      for (String id : machineIds) {
        MachineKpi m = machines.get(id);
        if (m != null && m.connectivity(connected, now)) {
          pendingChanges.add(change(m));
        }
      }
      changes = drainChanges();
    }
    dispatch(changes, List.of());
  }

  /** A session's final KPIs, emitted once every machine is booked past its stop. */
  private List<KpiReport> finalSessionReports(List<String> settled) {
    List<KpiReport> out = new ArrayList<>();
    for (String id : settled) {
      reports.session(id, target()).ifPresent(k -> out.addAll(concat(k.machines(), k.lines())));
    }
    return out;
  }

  /** Returns the sessions whose KPIs became final. */
  private List<String> advanceAll() {
    long now = clock.millis();
    long target = target();
    long earliestSession = sessions.earliestRunningStart();
    for (MachineKpi m : machines.values()) {
      if (m.checkStale(now)) {
        pendingChanges.add(change(m));
      }
      m.advanceTo(target);
      long keep =
          Math.min(target - maxWindowMs, Math.min(m.acc.shiftPeriod.startMs(), earliestSession));
      m.stops.prune(keep);
    }
    return sessions.settle(target);
  }

  private long target() {
    return clock.millis() - settings.lateness().toMillis();
  }

  private List<MachineStateChange> drainChanges() {
    if (pendingChanges.isEmpty()) {
      return List.of();
    }
    List<MachineStateChange> c = List.copyOf(pendingChanges);
    pendingChanges.clear();
    return c;
  }

  private static MachineStateChange change(MachineKpi m) {
    return new MachineStateChange(
        m.id,
        m.state,
        m.state.isoBucket(),
        m.nativeState,
        m.currentReason(),
        Instant.ofEpochMilli(m.cursorMs));
  }

  private void dispatch(List<MachineStateChange> changes, List<KpiReport> out) {
    if (changes.isEmpty() && out.isEmpty()) {
      return;
    }
    synchronized (dispatchLock) {
      try {
        if (!changes.isEmpty()) {
          listener.onStateChanges(changes);
        }
        if (!out.isEmpty()) {
          listener.onKpis(out);
        }
      } catch (RuntimeException e) {
        LOG.error("The KPI listener failed; these KPIs are not published", e);
      }
    }
  }

  // ------------------------------------------------------------------ queries

  /** The names of the windows: the rolling ones, then {@code shift}. */
  public List<String> windows() {
    List<String> names = new ArrayList<>();
    settings.windows().forEach(w -> names.add(w.name()));
    names.add(KpiReports.SHIFT);
    return names;
  }

  /** The lines, as {@code site/area/line}. */
  public List<String> lines() {
    return List.copyOf(lines.keySet());
  }

  /** The machines followed. */
  public List<String> machines() {
    return List.copyOf(machines.keySet());
  }

  /** Every machine's and line's KPIs over one window; empty if there is no such window. */
  public Optional<List<KpiReport>> kpis(String window) {
    return query(() -> reports.window(window, machines.values(), target()));
  }

  /** One machine's KPIs over every window; empty if the machine is unknown. */
  public Optional<List<KpiReport>> machineKpis(String machine) {
    return query(
        () -> Optional.ofNullable(machines.get(machine)).map(m -> reports.machine(m, target())));
  }

  /** One line's KPIs over every window, by path or by a unique line name; empty if unknown. */
  public Optional<List<KpiReport>> lineKpis(String line) {
    return query(() -> resolveLine(line).map(l -> reports.line(l, target())));
  }

  /** A machine's downtime Pareto over a window (rolling, {@code shift} or a session). */
  public Optional<DowntimePareto> downtime(String machine, String window) {
    return query(
        () ->
            Optional.ofNullable(machines.get(machine))
                .flatMap(m -> reports.pareto(m, window, target())));
  }

  /** The machine's current state, as its last state change says. */
  public Optional<MachineStateChange> currentState(String machine) {
    synchronized (lock) {
      return Optional.ofNullable(machines.get(machine)).map(KpiEngine::change);
    }
  }

  /** What the engine could not use, per machine. */
  public List<KpiStats> stats() {
    synchronized (lock) {
      return machines.values().stream().map(MachineKpi::stats).toList();
    }
  }

  private Optional<String> resolveLine(String line) {
    if (lines.containsKey(line)) {
      return Optional.of(line);
    }
    List<String> named = lines.keySet().stream().filter(l -> l.endsWith("/" + line)).toList();
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  /**
   * Runs a query after bringing every machine up to now (state changes found on the way are
   * emitted).
   */
  private <T> Optional<T> query(java.util.function.Supplier<Optional<T>> q) {
    Optional<T> result;
    List<MachineStateChange> changes;
    List<KpiReport> out;
    synchronized (lock) {
      out = finalSessionReports(advanceAll());
      result = q.get();
      changes = drainChanges();
    }
    dispatch(changes, out);
    return result;
  }

  // ------------------------------------------------------------------ sessions

  /**
   * Starts a training session now over the given machines (all when empty). Throws
   * IllegalArgumentException naming an unknown machine.
   */
  public TrainingSession startSession(String name, Collection<String> machineIds) {
    synchronized (lock) {
      return sessions.start(name, machineIds, clock.millis());
    }
  }

  /**
   * Stops a running session now. Its KPIs cover exactly its interval; they are final (and emitted)
   * at the first {@link #tick} after the lateness allowance has passed the stop, so that samples
   * from before the stop still on their way land in it ({@link #sessionFinal}). Empty if unknown.
   */
  public Optional<TrainingSession> stopSession(String id) {
    synchronized (lock) {
      return sessions.stop(id, clock.millis());
    }
  }

  /**
   * Whether a session is stopped and its KPIs final (no late data can change them any more); empty
   * if unknown.
   */
  public Optional<Boolean> sessionFinal(String id) {
    synchronized (lock) {
      return sessions.settled(id);
    }
  }

  /** Every session kept, running ones first, then newest first. */
  public List<TrainingSession> sessions() {
    synchronized (lock) {
      return sessions.list();
    }
  }

  /** A session with its KPIs. */
  public Optional<SessionKpis> session(String id) {
    return query(() -> reports.session(id, target()));
  }

  private static List<KpiReport> concat(List<KpiReport> a, List<KpiReport> b) {
    List<KpiReport> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // ------------------------------------------------------------------ snapshot

  /** A deep copy of the engine's state, for {@link KpiSnapshotStore}. */
  public KpiSnapshot snapshot() {
    synchronized (lock) {
      List<KpiSnapshot.Machine> ms = machines.values().stream().map(MachineKpi::snapshot).toList();
      return new KpiSnapshot(
          KpiSnapshot.VERSION, clock.millis(), sessions.nextNo(), ms, sessions.snapshot());
    }
  }

  /**
   * Restores a snapshot taken by a previous run: call before the first sample. Machines no longer
   * configured are ignored; each restored machine is OFFLINE from its snapshot time until data
   * flows again.
   */
  public void restore(KpiSnapshot snapshot) {
    List<MachineStateChange> changes;
    synchronized (lock) {
      if (snapshot.version() != KpiSnapshot.VERSION) {
        LOG.warn(
            "Ignoring a KPI snapshot of format {} (this version reads {})",
            snapshot.version(),
            KpiSnapshot.VERSION);
        return;
      }
      sessions.restore(snapshot.sessions(), snapshot.nextSessionNo());
      for (KpiSnapshot.Machine s : snapshot.machines()) {
        MachineKpi m = machines.get(s.id());
        if (m != null) {
          m.restore(s);
          pendingChanges.add(change(m));
        }
      }
      changes = drainChanges();
    }
    dispatch(changes, List.of());
  }
}
