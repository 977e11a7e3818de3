package io.atelier.gateway.http;

import io.atelier.gateway.config.HttpSettings.RateLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (a token's name, or a client address when there is no valid token). Keys
 * are bounded: when there are too many, buckets that have refilled completely are forgotten, which
 * loses nothing since a full bucket is what a new key starts with.
 */
final class RateLimiter {

  private static final int MAX_KEYS = 10_000;

  private final RateLimit limit;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(RateLimit limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.nanoClock = nanoClock;
  }

  RateLimiter(RateLimit limit) {
    this(limit, System::nanoTime);
  }

  /** Takes one request from the key's bucket; false when it is empty. */
  boolean tryAcquire(String key) {
    if (!limit.enabled()) {
      return true;
    }
    long now = nanoClock.getAsLong();
    if (buckets.size() >= MAX_KEYS && !buckets.containsKey(key)) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), now)).take(now);
  }

  int keys() {
    return buckets.size();
  }

  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized boolean take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= limit.burst();
    }

    private void refill(long now) {
      double add = (now - updated) / 1e9 * limit.perSecond();
      tokens = Math.min(limit.burst(), tokens + add);
      updated = now;
    }
  }
}
