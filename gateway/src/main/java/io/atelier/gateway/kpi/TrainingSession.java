package io.atelier.gateway.kpi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A training session: a named interval a trainer starts and stops, with KPIs covering exactly it.
 *
 * @param id the session id ({@code s1}, {@code s2}, ...)
 * @param name the name the trainer gave
 * @param machines the machines it covers
 * @param start when it started
 * @param end when it stopped; empty while running
 */
public record TrainingSession(
    String id, String name, List<String> machines, Instant start, Optional<Instant> end) {

  public TrainingSession {
    machines = List.copyOf(machines);
  }

  public boolean running() {
    return end.isEmpty();
  }

  /** The window name its reports carry. */
  public String window() {
    return "session:" + id;
  }
}
