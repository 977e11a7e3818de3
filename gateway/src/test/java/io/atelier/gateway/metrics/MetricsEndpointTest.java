package io.atelier.gateway.metrics;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.http.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes /metrics of a real gateway and finds every documented series. */
@Timeout(60)
class MetricsEndpointTest {

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)(\\s+\\d+)?$");

  @TempDir Path dir;

  /** Series name with sorted labels, as scraped, to value. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.trim());
      assertThat(m.matches()).as("Prometheus text line: " + line).isTrue();
      out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  private static double value(Map<String, Double> series, String name, String... labels) {
    return series.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .filter(
            e -> {
              for (String l : labels) {
                if (!e.getKey().contains(l)) {
                  return false;
                }
              }
              return true;
            })
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private static boolean has(Map<String, Double> series, String name, String... labels) {
    return series.keySet().stream()
        .anyMatch(
            k -> {
              if (!(k.equals(name) || k.startsWith(name + "{"))) {
                return false;
              }
              for (String l : labels) {
                if (!k.contains(l)) {
                  return false;
                }
              }
              return true;
            });
  }

  @Test
  void exposesPipelineConnectionMachineLiveHttpAndJvmSeries() throws Exception {
    try (TestGateway gw = TestGateway.start(dir)) {
      Instant now = Instant.now();
      gw.push(
          Sample.good("cnc-01", "spindle_speed", 1.0, now),
          Sample.good("cnc-01", "good_count", 2L, now),
          Sample.good("imm-01", "temperature_c", 210.0, now));
      assertThat(gw.get("/api/machines", "wrong-token-0123456789").statusCode()).isEqualTo(401);
      assertThat(gw.get("/api/machines", ADMIN).statusCode()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                HttpResponse<String> r = gw.get("/metrics", ADMIN);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
                Map<String, Double> s = parse(r.body());
                assertThat(value(s, "atelier_pipeline_samples_total", "outcome=\"accepted\""))
                    .isEqualTo(3.0);
                assertThat(value(s, "atelier_pipeline_samples_total", "outcome=\"delivered\""))
                    .isEqualTo(3.0);
                assertThat(has(s, "atelier_pipeline_samples_total", "outcome=\"rejected\""))
                    .isTrue();
                assertThat(has(s, "atelier_pipeline_samples_total", "outcome=\"dropped\""))
                    .isTrue();
                assertThat(value(s, "atelier_pipeline_queued")).isZero();
                assertThat(value(s, "atelier_pipeline_capacity")).isEqualTo(100_000.0);
                assertThat(has(s, "atelier_pipeline_batches_total")).isTrue();
                assertThat(
                        value(
                            s,
                            "atelier_connection_up",
                            "connection=\"sim-opcua\"",
                            "type=\"test\""))
                    .isZero();
                assertThat(
                        value(
                            s,
                            "atelier_connection_state",
                            "connection=\"sim-opcua\"",
                            "state=\"DISCONNECTED\""))
                    .isEqualTo(1.0);
                assertThat(
                        value(
                            s,
                            "atelier_connector_events_total",
                            "connection=\"sim-opcua\"",
                            "type=\"test\"",
                            "event=\"messages-received\""))
                    .isEqualTo(7.0);
                assertThat(
                        value(
                            s,
                            "atelier_connector_rejects_total",
                            "connection=\"sim-opcua\"",
                            "reason=\"malformed-json\""))
                    .isEqualTo(2.0);
                assertThat(value(s, "atelier_machine_samples_total", "machine=\"cnc-01\""))
                    .isEqualTo(2.0);
                assertThat(value(s, "atelier_machine_samples_total", "machine=\"imm-01\""))
                    .isEqualTo(1.0);
                assertThat(has(s, "atelier_live_clients")).isTrue();
                assertThat(has(s, "atelier_live_messages_total")).isTrue();
                assertThat(has(s, "atelier_live_disconnects_total", "reason=\"slow\"")).isTrue();
                assertThat(has(s, "atelier_live_dropped_total")).isTrue();
                assertThat(value(s, "atelier_http_auth_failures_total")).isGreaterThanOrEqualTo(1);
                assertThat(has(s, "atelier_http_rate_limited_total")).isTrue();
                assertThat(
                        value(
                            s,
                            "vertx_http_server_requests_total",
                            "route=\"/api/machines\"",
                            "code=\"200\""))
                    .isGreaterThanOrEqualTo(1);
                assertThat(has(s, "vertx_http_server_response_time_seconds_count")).isTrue();
                assertThat(has(s, "jvm_memory_used_bytes", "area=\"heap\"")).isTrue();
                assertThat(has(s, "jvm_threads_live_threads")).isTrue();
                assertThat(has(s, "jvm_gc_memory_allocated_bytes_total")).isTrue();
                assertThat(has(s, "process_uptime_seconds")).isTrue();
                assertThat(has(s, "system_cpu_count")).isTrue();
              });
    }
  }
}
