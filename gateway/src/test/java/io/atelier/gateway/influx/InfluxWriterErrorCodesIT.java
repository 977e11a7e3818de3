package io.atelier.gateway.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.influx.InfluxSettings.Api;
import io.atelier.gateway.influx.InfluxSettings.RetrySettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's answer to each HTTP status InfluxDB may give. The server here is an in-process
 * Vert.x endpoint, not InfluxDB, because InfluxDB 1.6.7 (the one real InfluxDB that runs here)
 * cannot be made to answer 429, 503, 413 or 401 on demand; the field-type-conflict 400 is tested
 * against the real one in {@link InfluxBadLineIT}.
 */
@Timeout(60)
class InfluxWriterErrorCodesIT {

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private InfluxStorage storage;

  /** One request as the endpoint saw it. */
  private record Received(
      long nanos, String path, Map<String, String> headers, List<String> lines, int answer) {}

  @AfterEach
  void close() throws Exception {
    if (storage != null) {
      storage.stop().get(30, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers requests with {@code script} in order, then 204; records every request. */
  private int serve(List<Received> received, int... script) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions())
            .requestHandler(
                req -> {
                  if (req.path().equals("/ping")) {
                    req.response()
                        .putHeader("X-Influxdb-Version", "v2.7.10")
                        .setStatusCode(204)
                        .end();
                    return;
                  }
                  req.body()
                      .onSuccess(
                          body -> {
                            int n = received.size();
                            int status = n < script.length ? script[n] : 204;
                            Map<String, String> headers = new java.util.TreeMap<>();
                            req.headers()
                                .forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                            received.add(
                                new Received(
                                    System.nanoTime(),
                                    req.uri(),
                                    headers,
                                    unzip(body.getBytes(), headers)
                                        .lines()
                                        .filter(l -> !l.isBlank())
                                        .toList(),
                                    status));
                            HttpServerResponse r = req.response().setStatusCode(status);
                            switch (status) {
                              case 429 -> r.putHeader("Retry-After", "1");
                              case 503 -> r.putHeader("Retry-After", "3600"); // capped to 1 s
                              default -> {}
                            }
                            if (status >= 400) {
                              r.putHeader("Content-Type", "application/json");
                              r.end("{\"error\":\"scripted " + status + "\"}");
                            } else {
                              r.end();
                            }
                          });
                });
    return server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get()
        .actualPort();
  }

  /** The body as text; un-gzipped here so that the test sees the Content-Encoding header. */
  private static String unzip(byte[] body, Map<String, String> headers) {
    if (!"gzip".equals(headers.get("content-encoding"))) {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
    try (java.util.zip.GZIPInputStream in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private InfluxStorage storage(InfluxSettings influx) throws Exception {
    storage =
        InfluxStorage.open(StorageFixture.storage(dir, Optional.of(influx)), StorageFixture.LOOKUP);
    storage.start();
    return storage;
  }

  private static double seconds(Received from, Received to) {
    return (to.nanos() - from.nanos()) / 1e9;
  }

  @Test
  void honoursRetryAfterSplitsOn413AndKeepsTheDataOn401() throws Exception {
    List<Received> received = Collections.synchronizedList(new ArrayList<>());
    int port = serve(received, 429, 503, 413, 413, 401);
    InfluxSettings influx =
        InfluxSettings.v1(URI.create("http://127.0.0.1:" + port), "codes")
            .withBatching(8, Duration.ZERO, 1)
            .withRetry(
                new RetrySettings(
                    Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    InfluxStorage storage = storage(influx);
    List<Sample> samples = StorageFixture.samples(0, 8);
    storage.accept(samples).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // While credentials are refused, the data stays and /ready says why.
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 5);
    StorageHealth during = storage.health();
    assertThat(during.status()).isEqualTo(StorageHealth.Status.DEGRADED);
    assertThat(during.reasons())
        .anySatisfy(r -> assertThat(r).contains("credentials").contains("401"));
    assertThat(storage.metrics().snapshot().pending()).isEqualTo(8);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> storage.metrics().snapshot().pending() == 0 && received.size() == 8);
    List<Received> r = List.copyOf(received);
    assertThat(r)
        .extracting(Received::answer)
        .containsExactly(429, 503, 413, 413, 401, 204, 204, 204);
    assertThat(r).extracting(x -> x.lines().size()).containsExactly(8, 8, 8, 4, 2, 2, 2, 4);
    assertThat(seconds(r.get(0), r.get(1))).as("Retry-After: 1").isBetween(0.9, 2.0);
    assertThat(seconds(r.get(1), r.get(2)))
        .as("Retry-After: 3600, capped at 1 s")
        .isBetween(0.9, 2.0);
    assertThat(seconds(r.get(2), r.get(3))).as("413 splits at once").isLessThan(0.5);
    assertThat(seconds(r.get(4), r.get(5))).as("401 retried at the slow pace").isBetween(0.9, 2.0);

    List<String> written = new ArrayList<>();
    r.stream().filter(x -> x.answer() == 204).forEach(x -> written.addAll(x.lines()));
    StringBuilder expected = new StringBuilder();
    new LineProtocolEncoder(StorageFixture.LOOKUP, Precision.MS).encode(samples, expected);
    assertThat(written).containsExactlyInAnyOrder(expected.toString().split("\n"));

    StorageMetrics.Snapshot m = storage.metrics().snapshot();
    assertThat(m.retries()).isEqualTo(3);
    assertThat(m.splits()).isEqualTo(2);
    assertThat(m.written()).isEqualTo(8);
    assertThat(m.deadLettered()).isZero();
    assertThat(storage.health().status()).isEqualTo(StorageHealth.Status.UP);
  }

  /** The exact v2 request, chosen by the auto probe from the server's version header. */
  @Test
  void autoPicksV2AndSendsTheV2RequestShape() throws Exception {
    List<Received> received = Collections.synchronizedList(new ArrayList<>());
    int port = serve(received);
    InfluxSettings influx =
        InfluxSettings.v1(URI.create("http://127.0.0.1:" + port), "unused")
            .withV2("s3cret", "acme", "shop floor")
            .withApi(Api.AUTO)
            .withBatching(100, Duration.ofMillis(10), 1);
    InfluxStorage storage = storage(influx);
    storage
        .accept(StorageFixture.samples(0, 3))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    Received req = received.get(0);
    assertThat(req.path()).isEqualTo("/api/v2/write?org=acme&bucket=shop+floor&precision=ms");
    assertThat(req.headers())
        .containsEntry("authorization", "Token s3cret")
        .containsEntry("content-encoding", "gzip")
        .containsEntry("content-type", "text/plain; charset=utf-8");
    assertThat(req.lines())
        .containsExactly(
            "signals,area=hall-a,line=test,machine=m0,site=platform seq=0i 1700000000000",
            "signals,area=hall-a,line=test,machine=m1,site=platform seq=1i 1700000000000",
            "signals,area=hall-a,line=test,machine=m2,site=platform seq=2i 1700000000000");
    assertThat(storage.metrics().snapshot().api()).isEqualTo("v2");
  }
}
