package io.atelier.gateway.kpi;

import io.atelier.connector.api.MachineRef;
import io.atelier.connector.api.Quality;
import io.atelier.connector.api.Sample;
import io.atelier.gateway.kpi.ShiftCalendar.Period;
import io.atelier.gateway.kpi.ShiftCalendar.Segment;
import io.atelier.gateway.kpi.StateMapping.Mapped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One machine's live time model: its state, the time booked into each ISO time element, and its
 * part counts, fed sample by sample. Time is event time (the samples' source time): the machine
 * keeps a cursor up to which its time is booked, and every relevant sample (or a clock tick) moves
 * the cursor forward, booking the elapsed time under the state held until then. A sample older than
 * the cursor takes effect at the cursor. Not thread-safe: the engine guards it.
 */
final class MachineKpi {

  private static final long MAX_AHEAD_MS = 60_000;

  /** What a signal means to this machine; most signals mean nothing and are skipped. */
  private static final class Role {
    int stateInput = -1;
    int counter = -1;
    boolean reason;
    boolean ideal;
    boolean energy;
  }

  final String id;
  final MachineRef ref;
  final MachineKpiConfig config;
  final ShiftCalendar calendar;
  final Accumulators acc;
  final StopLog stops = new StopLog();

  private final StateMapping mapping;
  private final Object[] inputs;
  private final Map<String, Role> roles = new HashMap<>();
  private final PartCounters parts;
  private final long thresholdMs;
  private final int microField;
  private final int offlineField;
  final long staleAfterMs;

  private Segment segment;
  MachineState state = MachineState.OFFLINE;
  String nativeState = "no data";
  private String reason = "";
  long cursorMs;
  long lastReceiveMs = Long.MIN_VALUE;
  private boolean forcedOffline = true;
  private boolean disconnected;
  private long stopStartMs;
  private boolean provisional;

  long unknownCodes;
  long lateSamples;
  long badQuality;
  long clockSkew;

  MachineKpi(
      String id,
      MachineRef ref,
      MachineKpiConfig config,
      ShiftCalendar calendar,
      BucketRing[] rings,
      long staleAfterMs,
      long startMs) {
    this.id = id;
    this.ref = ref;
    this.config = config;
    this.calendar = calendar;
    this.mapping = config.state();
    this.inputs = new Object[mapping.signals().size()];
    this.staleAfterMs = config.staleAfter().map(d -> d.toMillis()).orElse(staleAfterMs);
    this.thresholdMs = config.microStopThreshold().toMillis();
    this.microField = field(config.microStopAs());
    this.offlineField = field(config.offlineAs());
    this.parts = new PartCounters(config);
    this.cursorMs = startMs;
    this.segment = calendar.segmentAt(startMs);
    this.acc = new Accumulators(rings, segment.period());
    List<String> signals = mapping.signals();
    for (int i = 0; i < signals.size(); i++) {
      role(signals.get(i)).stateInput = i;
    }
    config.reasonSignal().ifPresent(s -> role(s).reason = true);
    config.idealCycleTimeSignal().ifPresent(s -> role(s).ideal = true);
    MachineKpiConfig.Counters c = config.counters();
    c.good().ifPresent(s -> role(s).counter = PartCounters.GOOD);
    c.reject().ifPresent(s -> role(s).counter = PartCounters.REJECT);
    c.total().ifPresent(s -> role(s).counter = PartCounters.TOTAL);
    config.energySignal().ifPresent(s -> role(s).energy = true);
  }

  private Role role(String signal) {
    return roles.computeIfAbsent(signal, k -> new Role());
  }

  private static int field(MachineState s) {
    return switch (s) {
      case PRODUCING -> Tally.APT;
      case SETUP -> Tally.ASUT;
      case IDLE -> Tally.ADOT;
      case PLANNED_STOP -> Tally.PDOT;
      default -> Tally.ADET;
    };
  }

  /** Takes one sample; true if the machine's state, native state or reason changed. */
  boolean onSample(Sample s) {
    boolean bad = s.value() == null || s.quality().level() == Quality.Level.BAD;
    if (!bad) {
      long rt = s.receiveTime().toEpochMilli();
      if (rt > lastReceiveMs) {
        lastReceiveMs = rt;
      }
    }
    Role role = roles.get(s.signal());
    if (role == null) {
      if (!bad && forcedOffline && !disconnected) {
        advanceTo(eventTime(s));
        forcedOffline = false;
        return reevaluate();
      }
      return false;
    }
    if (bad) {
      badQuality++;
      return false;
    }
    long t = eventTime(s);
    if (t < cursorMs) {
      lateSamples++;
    }
    advanceTo(t);
    Object v = s.value();
    boolean changed = false;
    boolean evaluate = false;
    if (role.stateInput >= 0 && !v.equals(inputs[role.stateInput])) {
      inputs[role.stateInput] = v;
      evaluate = true;
    }
    if (forcedOffline && !disconnected) {
      forcedOffline = false;
      evaluate = true;
    }
    if (evaluate) {
      changed = reevaluate();
    }
    if (role.reason) {
      changed |= updateReason(v);
    }
    if (role.ideal) {
      parts.idealCycleTime(v);
    }
    if (role.counter >= 0) {
      parts.count(role.counter, v, t, periodAt(t), acc);
    }
    if (role.energy) {
      parts.energy(v, t, periodAt(t), acc);
    }
    return changed;
  }

  /** The connection serving the machine went down or came back (gateway time). */
  boolean connectivity(boolean up, long atMs) {
    if (up) {
      disconnected = false;
      return false;
    }
    if (disconnected) {
      return false;
    }
    disconnected = true;
    advanceTo(atMs);
    forcedOffline = true;
    return changeState(MachineState.OFFLINE, "connection lost");
  }

  /** OFFLINE once no data came for the staleness timeout; true if the state changed. */
  boolean checkStale(long nowMs) {
    if (forcedOffline || lastReceiveMs == Long.MIN_VALUE || nowMs - lastReceiveMs < staleAfterMs) {
      return false;
    }
    advanceTo(lastReceiveMs + staleAfterMs);
    forcedOffline = true;
    return changeState(MachineState.OFFLINE, "no data for " + staleAfterMs / 1000 + "s");
  }

  /** Marks the machine OFFLINE at its cursor after a restart, until data flows again. */
  void restartedOffline() {
    forcedOffline = true;
    changeState(MachineState.OFFLINE, "gateway restart");
  }

  /** Books time up to {@code t} under the current state; a no-op if already booked. */
  void advanceTo(long t) {
    if (t <= cursorMs) {
      return;
    }
    if (provisional && t - stopStartMs >= thresholdMs) {
      // The stop outlasted the micro-stop threshold: what was booked as a micro-stop so far becomes
      // an ordinary stop (and a failure when DOWN).
      long cross = stopStartMs + thresholdMs;
      if (cross > cursorMs) {
        bookTime(cursorMs, cross, true, 1);
      }
      bookTime(stopStartMs, cross, true, -1);
      bookTime(stopStartMs, cross, false, 1);
      provisional = false;
      if (state == MachineState.DOWN) {
        acc.addCount(Tally.FAILURES, stopStartMs, 1, periodAt(stopStartMs));
      }
      cursorMs = Math.max(cursorMs, cross);
    }
    bookTime(cursorMs, t, provisional, 1);
    cursorMs = t;
  }

  private void bookTime(long from, long to, boolean micro, int sign) {
    MachineState st = state;
    long t = from;
    while (t < to) {
      Segment sg = segmentAt(t);
      long end = Math.min(to, sg.endMs());
      Period p = sg.period();
      int field = classify(st, sg.planned(), micro);
      acc.addTime(field, t, end, sign, p);
      if (field != Tally.PDOT) {
        if (micro) {
          acc.addTime(Tally.MICRO_MS, t, end, sign, p);
        } else if (st == MachineState.DOWN) {
          acc.addTime(Tally.FAILURE_MS, t, end, sign, p);
        }
      }
      if (st == MachineState.OFFLINE && sg.planned()) {
        acc.addTime(Tally.OFFLINE_MS, t, end, sign, p);
      }
      t = end;
    }
  }

  private int classify(MachineState st, boolean planned, boolean micro) {
    if (st == MachineState.PRODUCING) {
      return Tally.APT;
    }
    if (!planned) {
      return Tally.PDOT;
    }
    return switch (st) {
      case SETUP -> Tally.ASUT;
      case DOWN -> micro ? microField : Tally.ADET;
      case IDLE -> micro ? microField : Tally.ADOT;
      case PLANNED_STOP -> Tally.PDOT;
      case OFFLINE -> offlineField;
      default -> Tally.APT;
    };
  }

  private boolean reevaluate() {
    boolean any = false;
    for (Object o : inputs) {
      any |= o != null;
    }
    if (!any) {
      return false;
    }
    Mapped m = mapping.map(inputs);
    if (!m.known()) {
      unknownCodes++;
    }
    return forcedOffline ? false : changeState(m.state(), m.nativeState());
  }

  private boolean changeState(MachineState next, String nat) {
    if (next == state && nat.equals(nativeState)) {
      return false;
    }
    nativeState = nat;
    if (next != state) {
      long at = cursorMs;
      boolean micro = provisional;
      if (provisional) {
        provisional = false;
        acc.addCount(Tally.MICRO_STOPS, stopStartMs, 1, periodAt(stopStartMs));
      }
      stops.close(at, micro);
      state = next;
      if (next != MachineState.PRODUCING && next != MachineState.PLANNED_STOP) {
        boolean fromSignal = !reason.isEmpty();
        stops.open(at, next, fromSignal ? reason : nat, fromSignal);
      }
      if (next == MachineState.DOWN || next == MachineState.IDLE) {
        stopStartMs = at;
        provisional = thresholdMs > 0;
        if (!provisional && next == MachineState.DOWN) {
          acc.addCount(Tally.FAILURES, at, 1, periodAt(at));
        }
      }
    }
    return true;
  }

  private boolean updateReason(Object v) {
    String text = CodeKey.of(v);
    if (text.equals("0") || text.equals("NONE") || text.equals("FALSE")) {
      text = "";
    }
    if (text.equals(reason)) {
      return false;
    }
    reason = text;
    StopLog.Stop open = stops.open();
    if (open != null && !text.isEmpty() && !open.reasonFromSignal) {
      open.reason = text;
      open.reasonFromSignal = true;
      return true;
    }
    return false;
  }

  /** The reason of the stop in progress, or empty. */
  String currentReason() {
    StopLog.Stop open = stops.open();
    return open == null ? "" : open.reason;
  }

  private long eventTime(Sample s) {
    long src = s.sourceTime().toEpochMilli();
    long rt = s.receiveTime().toEpochMilli();
    if (src > rt + MAX_AHEAD_MS) {
      // A device clock far ahead would book time that has not happened yet.
      clockSkew++;
      return rt;
    }
    return src;
  }

  private Segment segmentAt(long t) {
    Segment s = segment;
    if (!s.contains(t)) {
      s = calendar.segmentAt(t);
      segment = s;
    }
    return s;
  }

  Period periodAt(long t) {
    return segmentAt(t).period();
  }

  /** Planned busy time within [a, b), ms: the Pareto's measure of a stop. */
  long busyMs(long a, long b) {
    long sum = 0;
    long t = a;
    while (t < b) {
      Segment sg = calendar.segmentAt(t);
      long end = Math.min(b, sg.endMs());
      if (sg.planned()) {
        sum += end - t;
      }
      t = end;
    }
    return sum;
  }

  // ------------------------------------------------------------------ snapshot

  KpiSnapshot.Machine snapshot() {
    Map<String, Object> in = new HashMap<>();
    List<String> signals = mapping.signals();
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] != null) {
        in.put(signals.get(i), inputs[i]);
      }
    }
    Map<String, KpiSnapshot.Counter> cs = new HashMap<>();
    parts.snapshotInto(cs);
    List<KpiSnapshot.Ring> rings = new java.util.ArrayList<>();
    for (BucketRing r : acc.rings) {
      rings.add(r.snapshot());
    }
    List<KpiSnapshot.Stop> stopList =
        stops.all().stream()
            .map(
                s ->
                    new KpiSnapshot.Stop(
                        s.start, s.end, s.state, s.reason, s.reasonFromSignal, s.micro))
            .toList();
    return new KpiSnapshot.Machine(
        id,
        cursorMs,
        state,
        nativeState,
        reason,
        in,
        cs,
        parts.idealCycleS(),
        stopStartMs,
        provisional,
        rings,
        acc.shiftPeriod.startMs(),
        acc.shift.clone(),
        stopList);
  }

  /** Restores from a snapshot, then marks the machine OFFLINE until data flows again. */
  void restore(KpiSnapshot.Machine s) {
    cursorMs = s.cursorMs();
    segment = calendar.segmentAt(cursorMs);
    List<String> signals = mapping.signals();
    for (int i = 0; i < inputs.length; i++) {
      Object v = s.inputs().get(signals.get(i));
      inputs[i] = v == null ? null : Sample.normalise(v);
    }
    parts.restore(s.counters(), s.idealCycleS());
    for (int i = 0; i < acc.rings.length && i < s.rings().size(); i++) {
      acc.rings[i].restore(s.rings().get(i));
    }
    Period p = segment.period();
    if (p.startMs() == s.shiftStartMs() && s.shiftTally().length == Tally.FIELDS) {
      acc.shiftPeriod = p;
      acc.shift = s.shiftTally().clone();
    } else {
      acc.shiftPeriod = p;
      acc.shift = Tally.empty();
    }
    List<StopLog.Stop> restored = new java.util.ArrayList<>();
    for (KpiSnapshot.Stop st : s.stops()) {
      StopLog.Stop x =
          new StopLog.Stop(st.startMs(), st.state(), st.reason(), st.reasonFromSignal());
      x.end = st.endMs();
      x.micro = st.micro();
      restored.add(x);
    }
    stops.restore(restored);
    state = s.state();
    nativeState = s.nativeState();
    reason = s.reason();
    stopStartMs = s.stopStartMs();
    provisional = s.provisional();
    restartedOffline();
  }

  KpiStats stats() {
    return new KpiStats(
        id,
        state,
        unknownCodes,
        lateSamples,
        badQuality,
        parts.badValues,
        parts.resets,
        parts.wraps,
        clockSkew);
  }
}
