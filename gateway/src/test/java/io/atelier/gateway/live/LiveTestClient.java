package io.atelier.gateway.live;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (Vert.x) recording every message it receives. */
final class LiveTestClient implements AutoCloseable {

  final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  final List<Long> receivedAtNanos = new CopyOnWriteArrayList<>();
  volatile Short closeStatus;
  private final WebSocketClient client;
  private final WebSocket ws;

  private LiveTestClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(
        t -> {
          messages.add(new JsonObject(t));
          receivedAtNanos.add(System.nanoTime());
        });
    ws.closeHandler(v -> closeStatus = ws.closeStatusCode() == null ? -1 : ws.closeStatusCode());
  }

  static LiveTestClient connect(Vertx vertx, int port, String token) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/live");
    if (token != null) {
      options.addHeader("Authorization", "Bearer " + token);
    }
    // Handlers are set on the socket's own thread as it opens, so no early message is missed.
    return client
        .connect(options)
        .map(ws -> new LiveTestClient(client, ws))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  void send(JsonObject message) {
    ws.writeTextMessage(message.encode());
  }

  List<JsonObject> ofType(String type) {
    return messages.stream().filter(m -> type.equals(m.getString("type"))).toList();
  }

  boolean has(String type, Predicate<JsonObject> test) {
    return ofType(type).stream().anyMatch(test);
  }

  @Override
  public void close()
      throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    try {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
