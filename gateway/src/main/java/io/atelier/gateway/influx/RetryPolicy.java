package io.atelier.gateway.influx;

import io.atelier.gateway.influx.InfluxSettings.RetrySettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying again: exponential backoff with jitter for server and network
 * errors, the server's own {@code Retry-After} (capped) for 429 and 503.
 */
final class RetryPolicy {

  private final RetrySettings settings;
  private final DoubleSupplier random;

  RetryPolicy(RetrySettings settings, DoubleSupplier random) {
    this.settings = settings;
    this.random = random;
  }

  /**
   * The wait after the {@code failures}-th consecutive failure (1 = first): initial × 2^(n-1),
   * capped at max, then jittered into [d/2, d] so that several gateways do not retry in step.
   */
  Duration backoff(int failures) {
    long initial = settings.initial().toMillis();
    long max = settings.max().toMillis();
    int shift = Math.min(Math.max(failures - 1, 0), 30);
    long d = Math.min(max, initial << shift);
    if (d < 0) {
      d = max;
    }
    return Duration.ofMillis(d / 2 + (long) (random.getAsDouble() * (d - d / 2)));
  }

  /** The pace of retries while nothing will change by itself (bad credentials, missing bucket). */
  Duration slow() {
    return settings.max();
  }

  /**
   * The server's {@code Retry-After}: delay-seconds or an HTTP date, capped at {@code
   * retryAfterCap}; empty if absent or unreadable.
   */
  Optional<Duration> retryAfter(Optional<String> header, Instant now) {
    if (header.isEmpty() || header.get().isBlank()) {
      return Optional.empty();
    }
    String v = header.get().trim();
    Duration d;
    try {
      d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        d = Duration.between(now, at);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    return Optional.of(d.compareTo(settings.retryAfterCap()) > 0 ? settings.retryAfterCap() : d);
  }
}
