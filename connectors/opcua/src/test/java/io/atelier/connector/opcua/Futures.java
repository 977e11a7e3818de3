package io.atelier.connector.opcua;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Waits for Vert.x futures from a test thread (never from an event loop), bounded. */
final class Futures {

  private Futures() {}

  static <T> T done(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
