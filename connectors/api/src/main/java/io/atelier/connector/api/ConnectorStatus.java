package io.atelier.connector.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a connection stands, since when, and the last error it met (kept after recovery so an
 * engineer can still see why it dropped).
 */
public record ConnectorStatus(State state, Instant since, Optional<String> lastError) {

  /** Lifecycle of one connection. */
  public enum State {
    /** Not started, or stopped on purpose. */
    STOPPED,
    /** Started, first connection attempt under way. */
    CONNECTING,
    /** Connected and delivering. */
    CONNECTED,
    /** Lost or never reached its peer; retrying by itself. */
    DISCONNECTED,
    /** Cannot work without someone acting (bad credentials, untrusted certificate, ...). */
    ERROR
  }

  public ConnectorStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(lastError, "lastError");
  }

  public static ConnectorStatus stopped() {
    return new ConnectorStatus(State.STOPPED, Instant.now(), Optional.empty());
  }

  /** A new status in the given state; keeps the last error unless a new one is given. */
  public ConnectorStatus to(State next, Optional<String> error) {
    return new ConnectorStatus(next, Instant.now(), error.isPresent() ? error : lastError);
  }
}
