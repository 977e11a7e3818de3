package io.atelier.connector.mqtt;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: min, 2·min, 4·min ... up to max, each ±20 % so that many
 * gateways do not reconnect to a restarted broker in lock-step. Thread-safe.
 */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private int failures;

  Backoff(Duration min, Duration max) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
  }

  synchronized long nextDelayMillis() {
    long base = minMillis << Math.min(failures, 30);
    if (base <= 0 || base > maxMillis) {
      base = maxMillis;
    }
    failures++;
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Math.max(1, Math.min(maxMillis, Math.round(base * jitter)));
  }

  synchronized void reset() {
    failures = 0;
  }
}
