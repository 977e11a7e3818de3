package io.atelier.connector.api;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Told exactly once what became of samples handed to a {@link SampleSink}: {@link #succeeded()}
 * once they are durable (a connector may then acknowledge upstream, e.g. an MQTT QoS 1 ack), or
 * {@link #failed(Throwable)} when the gateway refused them (queue full, shutting down). It may be
 * called on any thread, so implementations must be quick and thread-safe, and never block.
 */
public interface Completion {

  /** A completion for callers that do not need to know. */
  Completion NONE =
      new Completion() {
        @Override
        public void succeeded() {}

        @Override
        public void failed(Throwable cause) {}
      };

  void succeeded();

  void failed(Throwable cause);

  static Completion of(Runnable onSuccess, Consumer<Throwable> onFailure) {
    Objects.requireNonNull(onSuccess, "onSuccess");
    Objects.requireNonNull(onFailure, "onFailure");
    return new Completion() {
      @Override
      public void succeeded() {
        onSuccess.run();
      }

      @Override
      public void failed(Throwable cause) {
        onFailure.accept(cause);
      }
    };
  }
}
