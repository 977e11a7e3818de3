package io.atelier.connector.opcua;

import java.time.Duration;

/** A capped exponential backoff: initial, 2x, 4x... up to max. Not thread-safe. */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The delay to wait now; doubles the following one. */
  Duration next() {
    Duration now = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return now;
  }

  void reset() {
    next = initial;
  }
}
