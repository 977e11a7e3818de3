package io.atelier.simulator.scenario;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One logged trainer action.
 *
 * @param seq position in the log, from 1
 * @param simTime simulated time it took effect
 * @param wallTime wall-clock time it was logged
 * @param source {@code api}, {@code scenario} or {@code auto} (a timed follow-up)
 * @param action the action name
 * @param details the action's fields
 * @param outcome {@code applied}, {@code requested} (endpoint operations in flight), {@code
 *     completed}, or {@code failed: ...}
 */
public record SimEvent(
    long seq,
    Instant simTime,
    Instant wallTime,
    String source,
    String action,
    Map<String, Object> details,
    String outcome) {

  public SimEvent {
    details = Map.copyOf(details);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("sim_time", simTime.toString());
    m.put("wall_time", wallTime.toString());
    m.put("source", source);
    m.put("action", action);
    m.putAll(details);
    m.put("outcome", outcome);
    return m;
  }
}
