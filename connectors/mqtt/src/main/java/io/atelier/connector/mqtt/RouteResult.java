package io.atelier.connector.mqtt;

/** The outcome of routing a topic: a {@link Route}, or why there is none. */
public sealed interface RouteResult {

  /** The topic belongs to a configured machine. */
  record Found(Route route) implements RouteResult {}

  /** The topic cannot be routed; the message is rejected for this reason. */
  record Refused(RejectReason reason, String detail) implements RouteResult {}
}
