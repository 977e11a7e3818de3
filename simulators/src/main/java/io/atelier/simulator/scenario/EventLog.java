package io.atelier.simulator.scenario;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of trainer actions, kept in memory for {@code GET /events} and written to the SLF4J log.
 * Thread-safe: endpoint operations complete on other threads. Keeps the newest {@link #CAPACITY}.
 */
public final class EventLog {

  public static final int CAPACITY = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

  private final Clock wallClock;
  private final Deque<SimEvent> events = new ArrayDeque<>();
  private long seq;

  public EventLog(Clock wallClock) {
    this.wallClock = wallClock;
  }

  public synchronized SimEvent add(
      long simTimeMs, String source, String action, Map<String, Object> details, String outcome) {
    SimEvent e =
        new SimEvent(
            ++seq,
            Instant.ofEpochMilli(simTimeMs),
            wallClock.instant(),
            source,
            action,
            details,
            outcome);
    events.addLast(e);
    if (events.size() > CAPACITY) {
      events.removeFirst();
    }
    LOG.info("{} {} {} -> {}", source, action, details, outcome);
    return e;
  }

  public synchronized List<SimEvent> all() {
    return new ArrayList<>(events);
  }
}
