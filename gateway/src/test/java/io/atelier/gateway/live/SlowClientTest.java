package io.atelier.gateway.live;

import static io.atelier.gateway.http.TestGateway.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.atelier.connector.api.Sample;
import io.atelier.gateway.http.TestGateway;
import io.atelier.gateway.metrics.MetricNames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that subscribes and then never reads must be cut off, not buffered for ever, and must
 * not hold up anyone else. The client is a raw socket with a tiny receive buffer that does the
 * WebSocket handshake by hand and then stops reading: the realistic stuck browser tab.
 */
@Timeout(120)
class SlowClientTest {

  private static final int MAX_PENDING = 5_000;

  @TempDir Path dir;

  @Test
  void aClientThatNeverReadsIsDisconnectedAndMemoryStaysBounded() throws Exception {
    Vertx clientVertx = Vertx.vertx();
    String live = "live: {maxRate: 50, writeQueueBytes: 65536, maxPending: " + MAX_PENDING + "}";
    try (TestGateway gw =
            TestGateway.start(dir, TestGateway.CONFIG, Map.of("EXTRA_HTTP", live), a -> {});
        Socket stuck = new Socket()) {
      stuck.setReceiveBufferSize(4096);
      stuck.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
      stuck.setSoTimeout(15_000);
      handshake(stuck, gw.port());
      sendText(
          stuck.getOutputStream(),
          new JsonObject()
              .put("type", "subscribe")
              .put("machines", new JsonArray().add("cnc-01"))
              .encode());

      // A well-behaved client on the same machine keeps getting its updates meanwhile.
      LiveTestClient good = LiveTestClient.connect(clientVertx, gw.port(), ADMIN);
      good.send(
          new JsonObject()
              .put("type", "subscribe")
              .put("signals", new JsonArray().add("cnc-01/spindle_speed")));
      await().atMost(Duration.ofSeconds(5)).until(() -> !good.ofType("subscribed").isEmpty());
      await().atMost(Duration.ofSeconds(5)).until(() -> gw.app().live().clientCount() == 2);

      // ~2,000 distinct signals per batch make every message ~200 KB: the stuck socket's buffers
      // fill within a few ticks.
      AtomicLong round = new AtomicLong();
      AtomicInteger maxPendingSeen = new AtomicInteger();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                long r = round.incrementAndGet();
                List<Sample> batch = new ArrayList<>();
                Instant now = Instant.now();
                for (int i = 0; i < 2_000; i++) {
                  batch.add(Sample.good("cnc-01", "signal_" + i, (double) r, now));
                }
                batch.add(Sample.good("cnc-01", "spindle_speed", (double) r, now));
                gw.sink().acceptAll(batch, io.atelier.connector.api.Completion.NONE);
                maxPendingSeen.accumulateAndGet(gw.app().live().maxPending(), Math::max);
                return gw.app().live().clientCount() == 1;
              });

      double slow =
          gw.app()
              .metrics()
              .registry()
              .counter(MetricNames.LIVE_DISCONNECTS, MetricNames.REASON, "slow")
              .count();
      assertThat(slow).isEqualTo(1.0);
      assertThat(maxPendingSeen.get()).isLessThanOrEqualTo(MAX_PENDING);

      // The good client was not disconnected and still receives fresh values.
      long before = round.get();
      gw.push(Sample.good("cnc-01", "spindle_speed", -1.0, Instant.now()));
      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> good.ofType("update").toString().contains("-1.0"));
      assertThat(good.closeStatus).isNull();
      assertThat(before).isPositive();

      // What the stuck client finally reads ends with a close frame carrying 1013.
      byte[] tail = readToEnd(stuck.getInputStream());
      byte[] reason = "too slow: send queue full".getBytes(StandardCharsets.UTF_8);
      int at = tail.length - (4 + reason.length);
      assertThat(at).isNotNegative();
      assertThat(tail[at] & 0xff).as("close frame").isEqualTo(0x88);
      assertThat(((tail[at + 2] & 0xff) << 8) | (tail[at + 3] & 0xff))
          .isEqualTo(LiveProtocol.CLOSE_TOO_SLOW);
      good.close();
    } finally {
      clientVertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void handshake(Socket s, int port) throws Exception {
    String request =
        "GET /api/live HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer "
            + ADMIN
            + "\r\n\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("handshake answer").isNotNegative();
      head.write(b);
    }
    assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
  }

  /** One masked text frame, as a client must send it (RFC 6455 §5.3). */
  private static void sendText(OutputStream out, String text) throws Exception {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    assertThat(payload.length).isLessThan(126);
    byte[] mask = {1, 2, 3, 4};
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    frame.write(0x80 | payload.length);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  private static byte[] readToEnd(InputStream in) throws Exception {
    // Keep only the end: what matters is the last frame.
    byte[] window = new byte[4096];
    byte[] buf = new byte[65536];
    int kept = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n >= window.length) {
        System.arraycopy(buf, n - window.length, window, 0, window.length);
        kept = window.length;
      } else {
        int keep = Math.min(kept, window.length - n);
        System.arraycopy(window, kept - keep, window, 0, keep);
        System.arraycopy(buf, 0, window, keep, n);
        kept = keep + n;
      }
    }
    byte[] out = new byte[kept];
    System.arraycopy(window, 0, out, 0, kept);
    return out;
  }
}
