package io.atelier.connector.mqtt;

import io.vertx.core.Future;

/**
 * One attempt to hold a crashed peer's session ({@link AdoptedSession} against a broker). {@link
 * Takeover} talks to it through this interface so that its rules can be tested without a broker.
 */
interface Adoption {

  /** Why an adoption ended; the code is part of the counter name. */
  enum End {
    /** The owner came back, or another member adopted the session: not retried. */
    TAKEN_OVER("taken-over"),
    /** The broker no longer had the session: nothing to adopt. */
    EXPIRED("expired"),
    /** The adopter's connection dropped. */
    LOST("lost"),
    /** The connection attempt failed. */
    FAILED("failed"),
    /** We stopped (planned): disconnected with the will, so another member adopts. */
    STOPPED("stopped");

    final String code;

    End(String code) {
      this.code = code;
    }
  }

  /** Hears how an adoption goes; each adoption reports {@code ended} exactly once. */
  interface Listener {
    void adopted(Adoption adoption);

    void ended(Adoption adoption, End end, String detail);
  }

  /** The crashed member whose session this is. */
  String peerId();

  /** The presence message that made us adopt. */
  byte[] triggerPayload();

  /** Whether the broker had the session and we held it. */
  boolean wasAdopted();

  /** Connects under the peer's client id; the outcome reaches the listener. */
  void start();

  /** Planned stop: hands the session back to the broker with its will. */
  Future<Void> stop();
}
