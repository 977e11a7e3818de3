package io.atelier.simulator.scenario;

import java.time.Duration;
import java.util.List;

/**
 * A training scenario: commands at offsets of simulated time from when the scenario starts.
 *
 * @param name short title
 * @param description what the trainees should see
 * @param events the timeline, sorted by offset (stable for equal offsets)
 */
public record Scenario(String name, String description, List<TimedCommand> events) {

  /** One command of the timeline. */
  public record TimedCommand(Duration at, Command command) {}

  public Scenario {
    events = events.stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
  }
}
