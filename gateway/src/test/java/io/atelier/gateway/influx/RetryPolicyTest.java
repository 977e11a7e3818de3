package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;

import io.atelier.gateway.influx.InfluxSettings.RetrySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final RetrySettings SETTINGS =
      new RetrySettings(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60));

  @Test
  void backsOffExponentiallyWithJitterUpToTheCap() {
    RetryPolicy low = new RetryPolicy(SETTINGS, () -> 0.0);
    RetryPolicy high = new RetryPolicy(SETTINGS, () -> 0.999_999);
    assertThat(low.backoff(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(high.backoff(1)).isEqualTo(Duration.ofMillis(499));
    assertThat(low.backoff(3)).isEqualTo(Duration.ofMillis(1_000));
    assertThat(high.backoff(3)).isEqualTo(Duration.ofMillis(1_999));
    assertThat(low.backoff(20)).isEqualTo(Duration.ofSeconds(15));
    assertThat(high.backoff(200)).isLessThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void honoursRetryAfterInSecondsOrAsADateCapped() {
    RetryPolicy p = new RetryPolicy(SETTINGS, () -> 0.5);
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(p.retryAfter(Optional.of("7"), now)).hasValue(Duration.ofSeconds(7));
    assertThat(p.retryAfter(Optional.of("3600"), now)).hasValue(Duration.ofSeconds(60));
    assertThat(p.retryAfter(Optional.of("Wed, 01 Jan 2025 00:00:12 GMT"), now))
        .hasValue(Duration.ofSeconds(12));
    assertThat(p.retryAfter(Optional.of("soon"), now)).isEmpty();
    assertThat(p.retryAfter(Optional.empty(), now)).isEmpty();
  }
}
