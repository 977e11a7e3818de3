package io.atelier.simulator.scenario;

import io.atelier.simulator.machine.AlarmCatalogue;
import io.atelier.simulator.machine.MachineState;
import io.atelier.simulator.machine.ProductionListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The exact record of one machine: every state segment and every part with its simulated
 * millisecond. From it {@link #report} computes the ISO 22400 times, counts and KPIs over any
 * interval. Owned by the simulation thread.
 */
public final class MachineTruth implements ProductionListener {

  /** One stretch of time in one state. */
  public record Segment(long startMs, MachineState state, String reason) {}

  private final String machineId;
  private final long idealCycleMs;
  private final List<Segment> segments = new ArrayList<>();
  private long[] partTimes = new long[1024];
  private final BitSet rejects = new BitSet();
  private int parts;

  public MachineTruth(String machineId, long idealCycleMs) {
    this.machineId = machineId;
    this.idealCycleMs = idealCycleMs;
  }

  public String machineId() {
    return machineId;
  }

  @Override
  public void stateChanged(long timeMs, MachineState state, String reason, long alarmCode) {
    if (!segments.isEmpty()) {
      Segment last = segments.get(segments.size() - 1);
      if (last.startMs() == timeMs) {
        // Several changes at one instant: only the last one lasts any time.
        segments.remove(segments.size() - 1);
        if (!segments.isEmpty()) {
          Segment prev = segments.get(segments.size() - 1);
          if (prev.state() == state && prev.reason().equals(reason)) {
            return;
          }
        }
      }
    }
    segments.add(new Segment(timeMs, state, reason));
  }

  @Override
  public void partMade(long timeMs, boolean good) {
    if (parts == partTimes.length) {
      partTimes = Arrays.copyOf(partTimes, parts * 2);
    }
    partTimes[parts] = timeMs;
    if (!good) {
      rejects.set(parts);
    }
    parts++;
  }

  /** Every state segment so far (the last one is still open). */
  public List<Segment> segments() {
    return List.copyOf(segments);
  }

  /** Parts made so far, as (time, good) in order. */
  public long partCount() {
    return parts;
  }

  public long partTime(int index) {
    return partTimes[index];
  }

  public boolean partGood(int index) {
    return !rejects.get(index);
  }

  /**
   * The truth over {@code [fromMs, toMs)}, with {@code toMs} no later than {@code nowMs} (the end
   * of what has been simulated).
   */
  public TruthReport report(long fromMs, long toMs, long nowMs) {
    long to = Math.min(toMs, nowMs);
    long from = Math.min(fromMs, to);
    Map<MachineState, Long> time = new EnumMap<>(MachineState.class);
    for (MachineState s : MachineState.values()) {
      time.put(s, 0L);
    }
    long microStopMs = 0;
    long failures = 0;
    long microStops = 0;
    for (int i = firstSegmentAtOrBefore(from); i < segments.size(); i++) {
      Segment seg = segments.get(i);
      long segEnd = i + 1 < segments.size() ? segments.get(i + 1).startMs() : nowMs;
      long a = Math.max(seg.startMs(), from);
      long b = Math.min(segEnd, to);
      if (seg.startMs() >= to) {
        break;
      }
      if (b > a) {
        time.merge(seg.state(), b - a, Long::sum);
        if (seg.state() == MachineState.DOWN && seg.reason().equals(AlarmCatalogue.MICRO_STOP)) {
          microStopMs += b - a;
        }
      }
      boolean startsEpisode =
          seg.state() == MachineState.DOWN
              && seg.startMs() >= from
              && (i == 0 || segments.get(i - 1).state() != MachineState.DOWN);
      if (startsEpisode) {
        failures++;
        if (seg.reason().equals(AlarmCatalogue.MICRO_STOP)) {
          microStops++;
        }
      }
    }
    int first = lowerBound(from);
    int end = lowerBound(to);
    long pq = end - first;
    long sq = rejects.get(first, Math.max(first, end)).cardinality();
    return new TruthReport(
        machineId,
        from,
        to,
        idealCycleMs,
        time.get(MachineState.PRODUCING),
        time.get(MachineState.SETUP),
        time.get(MachineState.DOWN),
        time.get(MachineState.IDLE),
        time.get(MachineState.PLANNED_STOP),
        microStopMs,
        pq,
        pq - sq,
        sq,
        failures,
        microStops);
  }

  private int firstSegmentAtOrBefore(long t) {
    int lo = 0;
    int hi = segments.size() - 1;
    int found = 0;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (segments.get(mid).startMs() <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Index of the first part made at or after {@code t}. */
  private int lowerBound(long t) {
    int lo = 0;
    int hi = parts;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (partTimes[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
