package io.atelier.gateway.kpi;

import java.time.Instant;
import java.util.List;

/**
 * The losses of one machine over one window, by reason, longest first: every period the machine was
 * not producing inside planned busy time (DOWN, IDLE, SETUP, OFFLINE).
 *
 * @param machine the machine id
 * @param window the window (as in {@link KpiReport#window()})
 * @param from start of the window
 * @param to end of the window
 * @param entries one entry per (state, reason), longest total first
 */
public record DowntimePareto(
    String machine, String window, Instant from, Instant to, List<Entry> entries) {

  public DowntimePareto {
    entries = List.copyOf(entries);
  }

  /**
   * @param state the state of the stops
   * @param reason the alarm code / reason signal value, or the native state when there was none
   * @param stops how many stops (micro-stops included)
   * @param microStops how many of them were micro-stops
   * @param seconds their total duration within planned busy time and the window
   */
  public record Entry(
      MachineState state, String reason, int stops, int microStops, double seconds) {}
}
