import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency from source timestamp to the live WebSocket, for bench/harness.py. Runs with the JDK's
 * single-file launcher (no build): {@code java bench/LiveProbe.java ws://127.0.0.1:PORT/api/live
 * MACHINE[,MACHINE...] SECONDS}. Subscribes to the machines (auth none), and for every signal in
 * every update records now - sourceTime. After SECONDS (bounded) prints one line: {@code LIVE n=..
 * p50_ms=.. p99_ms=.. max_ms=..}.
 */
public final class LiveProbe {

  private static final Pattern SOURCE_TIME = Pattern.compile("\"sourceTime\"\\s*:\\s*\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    String[] machines = args[1].split(",");
    long seconds = Long.parseLong(args[2]);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    long[] messages = new long[1];
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              long now = System.currentTimeMillis();
              Matcher m = SOURCE_TIME.matcher(text);
              while (m.find()) {
                latencies.add(now - Instant.parse(m.group(1)).toEpochMilli());
              }
              messages[0]++;
              text.setLength(0);
            }
            ws.request(1);
            return null;
          }
        };
    WebSocket ws =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build()
            .newWebSocketBuilder()
            .buildAsync(uri, listener)
            .get(10, TimeUnit.SECONDS);
    StringBuilder sub = new StringBuilder("{\"type\":\"subscribe\",\"machines\":[");
    for (int i = 0; i < machines.length; i++) {
      sub.append(i > 0 ? "," : "").append('"').append(machines[i]).append('"');
    }
    sub.append("]}");
    ws.sendText(sub, true).get(10, TimeUnit.SECONDS);
    // Skip the snapshot sent right after subscribing (last values, possibly old).
    Thread.sleep(1000);
    latencies.clear();
    Thread.sleep(seconds * 1000);
    CompletableFuture<WebSocket> closing = ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    closing.get(5, TimeUnit.SECONDS);
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      System.out.println("LIVE n=0 messages=" + messages[0]);
      return;
    }
    System.out.printf(
        "LIVE n=%d messages=%d p50_ms=%d p99_ms=%d max_ms=%d%n",
        sorted.size(),
        messages[0],
        sorted.get(sorted.size() / 2),
        sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))),
        sorted.get(sorted.size() - 1));
  }
}
