package io.atelier.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.gateway.config.HttpSettings.RateLimit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final AtomicLong now = new AtomicLong();

  @Test
  void allowsABurstThenRefillsAtTheRate() {
    RateLimiter limiter = new RateLimiter(new RateLimit(2, 3), now::get);
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse();
    assertThat(limiter.tryAcquire("b")).as("keys have their own bucket").isTrue();
    now.addAndGet(500_000_000L); // 0.5 s at 2/s: one more
    assertThat(limiter.tryAcquire("a")).isTrue();
    assertThat(limiter.tryAcquire("a")).isFalse();
    now.addAndGet(60_000_000_000L); // never more than the burst
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("a")).isTrue();
    }
    assertThat(limiter.tryAcquire("a")).isFalse();
  }

  @Test
  void forgetsIdleKeysWhenThereAreTooMany() {
    RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), now::get);
    for (int i = 0; i < 10_000; i++) {
      limiter.tryAcquire("ip:" + i);
    }
    now.addAndGet(5_000_000_000L);
    limiter.tryAcquire("one-more");
    assertThat(limiter.keys()).isLessThan(100);
  }

  @Test
  void aZeroRateTurnsTheLimitOff() {
    RateLimiter limiter = new RateLimiter(new RateLimit(0, 1), now::get);
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAcquire("a")).isTrue();
    }
  }
}
