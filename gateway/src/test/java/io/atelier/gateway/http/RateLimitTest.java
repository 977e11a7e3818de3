package io.atelier.gateway.http;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static io.atelier.gateway.http.TestGateway.VIEWER_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The per-token rate limit, against a real gateway with a small bucket. */
@Timeout(60)
class RateLimitTest {

  @TempDir Path dir;

  @Test
  void aTokenOverItsLimitGets429WhileOthersAreServed() throws Exception {
    // A bucket of 5 refilled at 0.01/s: the 6th request within the test is over the limit.
    String yaml =
        TestGateway.CONFIG.replace(
            "rateLimit: {perSecond: 10000, burst: 10000}",
            "rateLimit: {perSecond: 0.01, burst: 5}");
    try (TestGateway gw = TestGateway.start(dir, yaml, Map.of(), app -> {})) {
      List<Integer> statuses = new ArrayList<>();
      HttpResponse<String> last = null;
      for (int i = 0; i < 7; i++) {
        last = gw.get("/api/machines", ADMIN);
        statuses.add(last.statusCode());
      }
      assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429);
      assertThat(new JsonObject(last.body()).getString("error")).isEqualTo("too-many-requests");
      assertThat(last.headers().firstValue("retry-after")).isPresent();
      // Another token has its own bucket.
      assertThat(gw.get("/api/machines", VIEWER_A).statusCode()).isEqualTo(200);
      // Health stays open and unlimited, for probes.
      for (int i = 0; i < 10; i++) {
        assertThat(gw.get("/health", null).statusCode()).isEqualTo(200);
      }
    }
  }
}
